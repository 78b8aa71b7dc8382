/**
 * What `audit` counts apart (SPEC S9 R2), in process: invalid keys, and keys a raw URL cannot
 * reach under the policy. Checked against what actually happens: the WHATWG URL parser (what
 * browsers and fetch send) for dot segments, and `evaluate` (SPEC S4 R2, the empty style after a
 * trailing delimiter) for trailing delimiters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDotSegment, invalidKey, trailingDelimiterKeys, unreachable } from '../src/cli/reach.js';
import {
  compilePolicy,
  definePolicy,
  evaluate,
  isProtected,
  type PolicyInput,
} from '../src/index.js';
import { runs } from './support/runs.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

describe('invalid keys (case table)', () => {
  const rows: [string, string, ReturnType<typeof invalidKey>][] = [
    ['S4 a key starting with "/" is no OSS key', '/lead.jpg', 'leading-slash'],
    ['S4 a key starting with "\\" is no OSS key', '\\lead.jpg', 'leading-slash'],
    ['S4 1023 UTF-8 bytes is the longest key', 'a'.repeat(1023), undefined],
    ['S4 1024 UTF-8 bytes is too long', `${'图'.repeat(341)}a`, 'too-long'],
    ['S4 a lone surrogate cannot be UTF-8', 'a\ud800.jpg', 'not-unicode'],
    ['S4 a "/" later in the key is fine', 'a//b.jpg', undefined],
    ['S4 a key of one dot is a key', '.', undefined],
  ];
  for (const [clause, key, reason] of rows)
    it(clause, () => {
      expect(invalidKey(key)).toBe(reason);
    });
});

describe('unreachable keys (case table)', () => {
  const policy = definePolicy({
    rules: [{ prefix: 'image/' }],
    extensions: ['jpg'],
    delimiters: ['!', '-'],
  });
  const compiled = compilePolicy(policy);
  const rows: [string, string, ReturnType<typeof unreachable>][] = [
    ['S9 R2 a ".." segment in a protected key', 'image/../a.gif', 'dot-segment'],
    ['S9 R2 a "." segment in a protected key', 'image/./a.gif', 'dot-segment'],
    [
      'S9 R2 a dot segment after a backslash (WHATWG reads "\\" as "/")',
      'x\\..\\a.jpg',
      'dot-segment',
    ],
    ['S9 R2 a leading "." segment', './a.jpg', 'dot-segment'],
    ['S9 R2 a trailing ".." segment', 'image/..', 'dot-segment'],
    ['S9 R2 dots inside a name are no segment', 'image/a..b.gif', undefined],
    ['S9 R2 "..." is no dot segment', 'image/.../a.gif', undefined],
    ['S9 R2 a dot segment after a name that starts with a dot', 'image/.x/../a.gif', 'dot-segment'],
    [
      'S9 R2 a dot segment in an unprotected key: its own URL is no style URL',
      'docs/../a.txt',
      undefined,
    ],
    [
      'S9 R2 a trailing enabled delimiter after a protected key',
      'docs/a.jpg!',
      'trailing-delimiter',
    ],
    ['S9 R2 each enabled delimiter of the final run counts', 'docs/a.jpg-!', 'trailing-delimiter'],
    ['S9 R2 a disabled delimiter in the run still ends it', 'docs/a.jpg!_!', 'trailing-delimiter'],
    ['S9 R2 a disabled trailing delimiter', 'docs/a.jpg_', undefined],
    ['S9 R2 a trailing delimiter after an unprotected key', 'docs/a.txt!', undefined],
    [
      'S9 R2 a protected key ending in a delimiter after a protected key',
      'image/x-',
      'trailing-delimiter',
    ],
  ];
  for (const [clause, key, reason] of rows)
    it(clause, () => {
      expect(unreachable(key, isProtected(key, policy), policy, compiled, undefined)).toBe(reason);
    });
});

/** Keys that can go into a URL as they are: no escape needed, no "//" (decoding servers merge it). */
const rawKey = fc
  .array(fc.constantFrom(...'ab.jpg/_-!x'.split(''), '.', '..', 'image/', '.jpg'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''))
  .filter((k) => k[0] !== '/' && !k.includes('//'));

const policyArb: fc.Arbitrary<PolicyInput> = fc.record({
  rules: fc.subarray([{ prefix: 'image/' }, { suffix: '.jpg' }, { prefix: 'a', suffix: 'b' }]),
  extensions: fc.subarray(['jpg', 'gif']),
  delimiters: fc.subarray(['!', '-', '_', '/'] as const),
  styles: fc.constant(['small']),
});

describe('unreachable keys (properties)', () => {
  it('dot-segment: exactly the keys the WHATWG URL parser rewrites', () => {
    // Node 20's URL parser leaves "/a/.jpg/./b" and "/a/.b/../c" as they are (a segment starting
    // with "." before a dot segment), where the URL Standard and browsers remove the dot segment:
    // such keys are left out of the comparison, and the case table keeps the standard's answer.
    const nodeQuirk = (k: string) =>
      k.split(/[/\\]/).some((s, i) => i > 0 && s[0] === '.' && s !== '.' && s !== '..');
    fc.assert(
      fc.property(
        rawKey.filter((k) => !nodeQuirk(k)),
        fc.boolean(),
        (key, backslash) => {
          const k = backslash ? key.replaceAll('/', '\\') : key;
          const sent = new URL(`${H}/${k}`).pathname;
          expect(hasDotSegment(k)).toBe(sent !== `/${k.replaceAll('\\', '/')}`);
        },
      ),
      { numRuns: runs(3_000) },
    );
  });

  it('trailing-delimiter: exactly when evaluate denies the raw style URL of a key without dot segments', () => {
    fc.assert(
      fc.property(policyArb, rawKey, (input, key) => {
        const policy = definePolicy(input);
        const compiled = compilePolicy(policy);
        fc.pre(!hasDotSegment(key));
        const reason = unreachable(key, compiled.isProtected(key), policy, compiled, undefined);
        const d = evaluate({ url: `${H}/${key}?x-oss-process=style/small` }, policy);
        expect(reason === 'trailing-delimiter').toBe(!d.allow);
        if (!d.allow) {
          expect(d.reason).toBe('inline-processing');
          expect(trailingDelimiterKeys(key, policy)).toContain(d.key);
        }
      }),
      { numRuns: runs(3_000) },
    );
  });
});
