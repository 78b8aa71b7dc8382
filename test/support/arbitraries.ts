/** fast-check generators shared by the tests. */
import fc from 'fast-check';
import type { Delimiter, PolicyInput, ProtectionRuleInput } from '../../src/index.js';

/** Characters that make matching interesting: case pairs, expanding lower-case, non-ASCII. */
export const interestingChar = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...'abcABC/._-!jpgJPGpngPNGxyzXYZ01') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'İ',
      'ẞ',
      'ß',
      'Σ',
      'σ',
      'ς',
      'K',
      'k',
      'é',
      'É',
      '图',
      '片',
      '😀',
      'ǅ',
      'ﬀ',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

/** Short strings over {@link interestingChar}: likely to share prefixes and suffixes. */
export const interestingString = (min = 0, max = 8) =>
  fc.array(interestingChar, { minLength: min, maxLength: max }).map((a) => a.join(''));

const affix = interestingString(1, 6).filter((s) => s[0] !== '/' && s[0] !== '\\');

export const ruleArb: fc.Arbitrary<ProtectionRuleInput> = fc
  .record(
    { prefix: affix, suffix: interestingString(1, 6), caseInsensitive: fc.boolean() },
    { requiredKeys: [] },
  )
  .filter((r): r is ProtectionRuleInput => r.prefix !== undefined || r.suffix !== undefined);

const extensionArb = fc.stringMatching(/^\.?[A-Za-z0-9]{1,5}$/);

export const styleNameArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);

export const policyInputArb: fc.Arbitrary<PolicyInput> = fc.record(
  {
    rules: fc.array(ruleArb, { maxLength: 10 }),
    caseInsensitive: fc.boolean(),
    extensions: fc.oneof(
      { weight: 1, arbitrary: fc.constant(['*']) },
      {
        weight: 4,
        arbitrary: fc.uniqueArray(extensionArb, {
          maxLength: 6,
          selector: (e) => (e[0] === '.' ? e.slice(1) : e).toLowerCase(),
        }),
      },
    ),
    delimiters: fc
      .subarray<Delimiter>(['!', '-', '/', '_'])
      .chain((d) => fc.shuffledSubarray(d, { minLength: d.length })),
    styles: fc.uniqueArray(styleNameArb, { maxLength: 8 }),
  },
  { requiredKeys: [] },
);
