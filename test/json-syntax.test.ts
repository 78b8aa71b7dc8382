/**
 * The JSON syntax walker (`src/cli/json-syntax.ts`) that the CLI's `invalid JSON at line …,
 * column …` messages and the playground's editor both use: it finds an error exactly when
 * `JSON.parse` fails, at the position V8 gives wherever V8 gives one, with a sentence a person
 * can act on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../src/cli/json-syntax.js';
import { runs } from './support/runs.js';

/** JSON with one character inserted, replaced or dropped: mostly broken, sometimes not. */
const broken = fc
  .tuple(
    fc.json(),
    fc.nat(),
    fc.constantFrom(
      '',
      '}',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'x',
      '0',
      '-',
      '.',
      'e',
      ' ',
      '\n',
      '\u0001',
      '\ufeff',
    ),
  )
  .map(([text, at, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
  });

const v8Error = (text: string): string | undefined => {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('jsonSyntaxError', () => {
  it('finds nothing in valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonSyntaxError(text)).toBeUndefined();
      }),
      { numRuns: runs(1000) },
    );
  });

  it('finds an error exactly when JSON.parse fails, where V8 says it is', () => {
    fc.assert(
      fc.property(broken, (text) => {
        const message = v8Error(text);
        const found = jsonSyntaxError(text);
        if (message === undefined) {
          expect(found).toBeUndefined();
          return;
        }
        expect(found, text).toBeDefined();
        const offset = found?.offset as number;
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThanOrEqual(text.length);
        const v8 = / at position (\d+)/.exec(message);
        if (v8) expect(offset, `${text} (${message})`).toBe(Number(v8[1]));
        else if (/^Unexpected end of JSON input/.test(message)) expect(offset).toBe(text.length);
      }),
      { numRuns: runs(3000) },
    );
  });

  it.each([
    ['an unclosed array', '{"rules": [\n}', 12, 'Expected a value'],
    ['a trailing comma in an object', '{"a": 1,}', 8, 'A comma before }'],
    ['a trailing comma in an array', '[1, ]', 4, 'A comma before ]'],
    ['an empty array is fine, a lone comma is not', '[,]', 1, 'Expected a value'],
    ['a single-quoted name', "{'a': 1}", 1, 'member name in double quotes'],
    ['a missing colon', '{"a" 1}', 5, 'Expected ":"'],
    ['a missing comma', '[1 2]', 3, 'Expected "," or "]"'],
    ['a missing comma in an object', '{"a": 1 "b": 2}', 8, 'Expected "," or "}"'],
    ['text after the value', '{} x', 3, 'Unexpected text'],
    ['an unclosed string', '{"a', 3, 'not closed'],
    ['a line break in a string', '"a\nb"', 2, 'line break'],
    ['a bad escape, at the unit after the backslash', '"a\\x"', 3, 'Not an escape'],
    ['a short \\u, at the first bad digit', '"\\u12g4"', 5, 'four hex digits'],
    ['a minus without a digit', '[-x]', 2, 'after -'],
    ['a decimal point without a digit', '1.e5', 2, 'decimal point'],
    ['an exponent without a digit', '1e+', 3, 'exponent'],
    ['a misspelt literal, at the first wrong unit', '[tru]', 4, 'true?'],
    ['a literal cut short', 'nul', 3, 'null?'],
    ['nothing at all', '', 0, 'ends where a value should be'],
    ['only white space', ' \n', 2, 'ends where a value should be'],
    ['a byte-order mark', '\ufeff{}', 0, 'byte-order mark'],
    ['a leading zero', '01', 1, 'Unexpected text'],
  ])('%s', (_, text, offset, message) => {
    expect(v8Error(text)).toBeDefined();
    expect(jsonSyntaxError(text)).toEqual({ offset, message: expect.stringContaining(message) });
  });

  it('walks any depth (no recursion), valid or not', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonSyntaxError(deep)).toBeUndefined();
    const objects = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    expect(jsonSyntaxError(objects)).toBeUndefined();
    const broken = `${'['.repeat(100_000)}x`;
    expect(jsonSyntaxError(broken)).toEqual({
      offset: 100_000,
      message: expect.stringContaining('Expected a value'),
    });
  });
});
