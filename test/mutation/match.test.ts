/**
 * The compiled matcher (SPEC S3, `src/match/`) on the policies the shared generators never make:
 * extension lists of every length up to past the suffix machine's capacity (a longer list is
 * looked up another way), extensions of 1–16 characters (S2 allows 16), all ten rules (each has
 * its own bit, with the extension index above them), affixes around the longest the machines
 * hold, and keys built from the policy's own affixes so that rules and extensions do match. The
 * verdict must be the reference model's (`test/reference.ts`) every time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  definePolicy,
  isProtected,
  matchProtection,
  type PolicyInput,
  type ProtectionRuleInput,
} from '../../src/index.js';
import { referenceMatch } from '../reference.js';
import { runs } from '../support/runs.js';

const letters = fc.constantFrom(...'aAbBzZ09.-_/ſıİé图'.split(''));
const word = (min: number, max: number) =>
  fc.array(letters, { minLength: min, maxLength: max }).map((a) => a.join(''));
const extension = fc.stringMatching(/^[a-z0-9]{1,16}$/);
/** Affixes short, or around 64 units (the longest the machines hold), sometimes non-ASCII. */
const affix = fc.oneof(word(1, 4), word(60, 70)).filter((a) => a[0] !== '/' && a[0] !== '\\');

const policyArb: fc.Arbitrary<PolicyInput> = fc.record({
  rules: fc.array(
    fc
      .record(
        { prefix: affix, suffix: affix, caseInsensitive: fc.boolean() },
        { requiredKeys: ['caseInsensitive'] },
      )
      .filter((r) => r.prefix !== undefined || r.suffix !== undefined)
      .map((r): ProtectionRuleInput => r as ProtectionRuleInput),
    { minLength: 0, maxLength: 10 },
  ),
  extensions: fc.oneof(
    fc.uniqueArray(extension, { maxLength: 12 }),
    fc.uniqueArray(extension, { minLength: 250, maxLength: 300 }),
  ),
});

/** A key made of the policy's own pieces, in any case, so that matches are common. */
function keyArb(input: PolicyInput): fc.Arbitrary<string> {
  const pieces = [
    ...(input.rules ?? []).flatMap((r) => [r.prefix, r.suffix]),
    ...(input.extensions ?? []).map((e) => `.${e}`),
  ].filter((p): p is string => p !== undefined);
  const piece = pieces.length === 0 ? word(0, 3) : fc.oneof(fc.constantFrom(...pieces), word(0, 3));
  const cased = fc
    .tuple(piece, fc.constantFrom('as is', 'upper', 'lower'))
    .map(([p, c]) => (c === 'upper' ? p.toUpperCase() : c === 'lower' ? p.toLowerCase() : p));
  return fc.array(cased, { maxLength: 4 }).map((a) => a.join(''));
}

describe('S3 the matcher agrees with the reference model on wide policies (property)', () => {
  it('rule index, extension or nothing; isProtected and compilePolicy say the same', () => {
    let matched = 0;
    fc.assert(
      fc.property(
        policyArb.chain((input) => fc.tuple(fc.constant(input), keyArb(input))),
        ([input, key]) => {
          const policy = definePolicy(input);
          const expected = referenceMatch(key, policy);
          const m = matchProtection(key, policy);
          if (m !== undefined) matched++;
          expect(m?.kind, key).toBe(expected?.kind);
          if (m?.kind === 'rule' && expected?.kind === 'rule') {
            expect(m.index).toBe(expected.index);
            expect(m.rule).toBe(policy.rules[m.index]);
          }
          if (m?.kind === 'extension' && expected?.kind === 'extension')
            expect(m.extension).toBe(expected.extension);
          expect(isProtected(key, policy)).toBe(expected !== undefined);
          expect(compilePolicy(policy).match(key)).toEqual(m);
        },
      ),
      { numRuns: runs(1_000) },
    );
    // The keys are built to match: many cases must exercise a match, not just misses (about a
    // quarter do; an eighth leaves room for a small FC_NUM_RUNS).
    expect(matched).toBeGreaterThan(runs(1_000) / 8);
  });
});

describe('S3 matcher edge cases (case table)', () => {
  const ten = Array.from({ length: 10 }, (_, i) => ({ prefix: `r${i}/` }));
  const many = Array.from({ length: 300 }, (_, i) => `e${i}`);
  const rows: [string, PolicyInput, string, ReturnType<typeof referenceMatch>][] = [
    [
      'S3.1 the tenth rule matches with its own index',
      { rules: ten },
      'r9/a',
      { kind: 'rule', index: 9 },
    ],
    ['S3.1 the first of ten rules', { rules: ten }, 'r0/a', { kind: 'rule', index: 0 }],
    [
      'S3.2 a 16-character extension',
      { extensions: ['abcdefghijklmnop'] },
      'x.ABCDEFGHIJKLMNOP',
      { kind: 'extension', extension: 'abcdefghijklmnop' },
    ],
    [
      'S3.2 a 16-character extension is not a 15-character one',
      { extensions: ['abcdefghijklmno'] },
      'x.abcdefghijklmnop',
      undefined,
    ],
    [
      'S3.2 the last of 300 extensions',
      { extensions: many },
      'a/b.E299',
      { kind: 'extension', extension: 'e299' },
    ],
    [
      'S3.2 the first of 300 extensions',
      { extensions: many },
      'a/b.e0',
      { kind: 'extension', extension: 'e0' },
    ],
    ['S3.2 not among 300 extensions', { extensions: many }, 'a/b.e300', undefined],
    [
      'S3.2 a suffix of a listed extension is not listed (300)',
      { extensions: many },
      'a/b.9',
      undefined,
    ],
    [
      'S3.2 a rule wins over an extension, with ten rules',
      { rules: ten, extensions: many },
      'r5/b.e1',
      { kind: 'rule', index: 5 },
    ],
    [
      'S3.1 a 65-unit prefix, exact',
      { rules: [{ prefix: `${'p'.repeat(64)}/` }] },
      `${'p'.repeat(64)}/a`,
      { kind: 'rule', index: 0 },
    ],
    [
      'S3.1 a 65-unit prefix, one unit short',
      { rules: [{ prefix: `${'p'.repeat(64)}/` }] },
      `${'p'.repeat(63)}/a`,
      undefined,
    ],
    [
      'S3.1 a 65-unit case-insensitive suffix, any case',
      { rules: [{ suffix: `.${'T'.repeat(64)}`, caseInsensitive: true }] },
      `a.${'t'.repeat(64)}`,
      { kind: 'rule', index: 0 },
    ],
  ];
  for (const [name, input, key, expected] of rows) {
    it(name, () => {
      const policy = definePolicy(input);
      expect(referenceMatch(key, policy), 'the row agrees with the model').toEqual(expected);
      const m = matchProtection(key, policy);
      expect(m === undefined ? undefined : { ...m, rule: undefined }).toEqual(
        expected === undefined ? undefined : { ...expected, rule: undefined },
      );
    });
  }
});
