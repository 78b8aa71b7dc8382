/**
 * Three small pieces of SPEC S4 the broader suites leave loose. The target (`src/request/target.ts`):
 * an absolute target is `scheme://`, both slashes right after the colon, so `http:x/h/a.jpg`
 * (one character, then a slash) is neither form, 400 InvalidURI. The readings a path's own
 * processing adds (`src/request/readings.ts`, S4 R2 "Other processing forms"): an empty style
 * after a delimiter splits at that delimiter with the empty style (`key + '!' + ''`), a legacy
 * `@` reading splits at no delimiter and so has no delimiter style. The style index
 * (`src/request/styles.ts`): the catalogue names by last character are, for every ASCII code,
 * the names ending in it, shortest first, and none where no name ends (S4 "Delimiter style":
 * only catalogue names are styles). `src/request/decode.ts` has no survivor a test can tell
 * (see EQUIVALENT.md). Written to kill the mutants the broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import { definePolicy, parseRequestUrl } from '../../src/index.js';
import { pathProcessed } from '../../src/request/readings.js';
import { StyleIndex } from '../../src/request/styles.js';
import { locate, splitTarget } from '../../src/request/target.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const INVALID = {
  ok: false,
  status: 400,
  code: 'InvalidURI',
  message: 'Could not parse the specified URI.',
};

describe('S4 an absolute target needs "://" right after the scheme', () => {
  const cases: [string, string, string][] = [
    ['S4', 'one character between the colon and a slash', `http:x/${HOST}/a.jpg`],
    ['S4', 'a letter, then two slashes', `https:a//${HOST}/a.jpg`],
    ['S4', 'a query mark, then a slash', 'z:?/h/k'],
    ['S4', 'a backslash, then a slash', 'http:\\/h/a.jpg'],
  ];
  for (const [clause, name, target] of cases) {
    it(`${clause}: ${name}`, () => {
      expect(locate(target)).toBeUndefined();
      expect(splitTarget(target)).toBeUndefined();
      expect(parseRequestUrl(target)).toEqual(INVALID);
    });
  }

  it('S4: with both slashes the same targets are absolute', () => {
    expect(splitTarget(`http://x/${HOST}/a.jpg`)).toMatchObject({ rawHost: 'x' });
    expect(parseRequestUrl(`https://${HOST}/a.jpg`)).toMatchObject({ ok: true, key: 'a.jpg' });
  });
});

describe('S4 R2 readings of a path that asks for processing', () => {
  it('an empty style after a delimiter: that delimiter, and the empty style', () => {
    expect(pathProcessed('cat.jpg', 'empty-style', '!', 'literal')).toEqual({
      key: 'cat.jpg',
      access: 'inline',
      style: undefined,
      delimiter: '!',
      delimiterStyle: '',
      pathProcessing: 'empty-style',
      source: 'literal',
    });
  });

  it('legacy @ processing: no delimiter, so no delimiter style', () => {
    expect(pathProcessed('cat.jpg', 'at', undefined, 'whatwg')).toEqual({
      key: 'cat.jpg',
      access: 'inline',
      style: undefined,
      delimiter: undefined,
      delimiterStyle: undefined,
      pathProcessing: 'at',
      source: 'whatwg',
    });
  });

  it('as parseRequestUrl reports them', () => {
    const policy = definePolicy({ extensions: ['jpg'], delimiters: ['!'] });
    const empty = parseRequestUrl(`https://${HOST}/cat.jpg!`, policy);
    expect(empty.ok && empty.readings.find((r) => r.pathProcessing === 'empty-style')).toEqual(
      expect.objectContaining({ key: 'cat.jpg', delimiter: '!', delimiterStyle: '' }),
    );
    const at = parseRequestUrl(
      'https://examplebucket.img-cn-hangzhou.aliyuncs.com/cat.jpg@100w.webp',
      policy,
    );
    const atReading = at.ok ? at.readings.find((r) => r.pathProcessing === 'at') : undefined;
    expect(atReading).toMatchObject({ key: 'cat.jpg', access: 'inline' });
    expect(atReading?.delimiter).toBeUndefined();
    expect(atReading?.delimiterStyle).toBeUndefined();
  });
});

describe('S4 the catalogue indexed by last character', () => {
  it('every ASCII code: the names ending in it, shortest first, else none', () => {
    const styles = ['cba', 'a', 'ba', 'xy', 'small', 'x'.repeat(63), 'b.v2', 'Z'];
    const view = new StyleIndex(definePolicy({ delimiters: ['!'], styles }));
    expect(view.lastCharNames).toHaveLength(128);
    for (let c = 0; c < 128; c++) {
      const want = styles
        .filter((n) => n.charCodeAt(n.length - 1) === c)
        .sort((a, b) => a.length - b.length);
      expect(view.lastCharNames[c], String.fromCharCode(c)).toEqual(want);
    }
  });

  it('an empty catalogue, and none: no code has a name', () => {
    for (const input of [{ styles: [] }, {}]) {
      const view = new StyleIndex(definePolicy(input));
      expect(view.lastCharNames.every((names) => names.length === 0)).toBe(true);
    }
  });
});
