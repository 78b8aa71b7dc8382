/**
 * The compiled matcher (docs/behaviour.md#matching-keys, `src/match/`) on the code units that sit
 * next to the ones an affix holds: each unit ± 0x20 (so `/` meets U+000F and `~` meets `^`), the
 * ends of ASCII (U+0000, U+007F, U+0080), and the four letters that fold onto ASCII (`ſ`, `ı`, `İ`,
 * the Kelvin sign). The shared generators draw from letters and a few separators, so a machine
 * that took a neighbouring unit for the affix's own would pass them. Keys are made from the
 * policy's own affixes with some units swapped for such neighbours, so that near misses are common;
 * the verdict must be the reference model's (`test/reference.ts`) every time. Affixes are short
 * (the table) or longer than the table holds (the exact slower path), ASCII or not.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  compilePolicy,
  definePolicy,
  explainProtection,
  isProtected,
  matchProtection,
  type PolicyInput,
  type ProtectionRuleInput,
} from '../../src/index.js';
import { referenceMatch } from '../reference.js';
import { runs } from '../support/runs.js';

const ASCII = 'aAzZiIsSkK09/._-~^[{`@\u0000\u0001\u007f';
const SPECIAL = '\u0000\u000f\u0080\u017f\u0131\u0130\u212a\u0307é';

/** Units a key may put where the affix has `c`. */
function neighbours(c: string): string[] {
  const u = c.charCodeAt(0);
  const out = [c, c.toUpperCase(), c.toLowerCase(), ...SPECIAL];
  for (const d of [u - 0x20, u + 0x20]) if (d >= 0 && d < 0x10000) out.push(String.fromCharCode(d));
  return out;
}

const unit = fc.constantFrom(...ASCII.split(''));
const shortAffix = fc.array(unit, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
// Past MAX_TABLE_AFFIX (64): compared on its own, ASCII and case-insensitive in place.
const longAffix = fc
  .tuple(fc.array(unit, { minLength: 1, maxLength: 3 }), fc.integer({ min: 61, max: 70 }))
  .map(([a, n]) =>
    a
      .join('')
      .repeat(n)
      .slice(0, n + 3),
  );
const affix = fc
  .oneof(shortAffix, shortAffix, longAffix, fc.constantFrom('\u0080', 'é/', '\u212a'))
  .filter((a) => a[0] !== '/' && a[0] !== '\\');
const extension = fc.constantFrom('jpg', 'z', 'k', 'is', 'a0');

const policyArb: fc.Arbitrary<PolicyInput> = fc.record({
  rules: fc.array(
    fc
      .record(
        { prefix: affix, suffix: affix, caseInsensitive: fc.boolean() },
        { requiredKeys: ['caseInsensitive'] },
      )
      .filter((r) => r.prefix !== undefined || r.suffix !== undefined)
      .map((r): ProtectionRuleInput => r as ProtectionRuleInput),
    { maxLength: 4 },
  ),
  extensions: fc.uniqueArray(extension, { maxLength: 3 }),
});

/** One of the policy's affixes (or `.ext`) with some units swapped for neighbours. */
function keyArb(input: PolicyInput): fc.Arbitrary<string> {
  const pieces = [
    ...(input.rules ?? []).flatMap((r) => [r.prefix, r.suffix]),
    ...(input.extensions ?? []).map((e) => `.${e}`),
  ].filter((p): p is string => p !== undefined);
  const near = (p: string) =>
    fc
      .tuple(...p.split('').map((c) => fc.oneof(fc.constant(c), fc.constantFrom(...neighbours(c)))))
      .map((a) => a.join(''));
  const piece =
    pieces.length === 0
      ? fc.constant('x')
      : fc.constantFrom(...pieces).chain((p) => fc.oneof(fc.constant(p), near(p)));
  return fc.array(piece, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
}

describe('matching keys: the units next to an affix’s own (property)', () => {
  it('matchProtection and isProtected agree with the reference model', () => {
    fc.assert(
      fc.property(
        policyArb.chain((input) =>
          fc.tuple(fc.constant(input), fc.array(keyArb(input), { minLength: 8, maxLength: 8 })),
        ),
        ([input, keys]) => {
          const policy = definePolicy(input);
          const compiled = compilePolicy(policy);
          for (const key of keys) {
            const want = referenceMatch(key, policy);
            const got = matchProtection(key, policy);
            expect(
              got === undefined
                ? undefined
                : got.kind === 'rule'
                  ? { kind: 'rule', index: got.index }
                  : got,
            ).toEqual(want);
            expect(isProtected(key, policy)).toBe(want !== undefined);
            expect(compiled.isProtected(key)).toBe(want !== undefined);
          }
        },
      ),
      { numRuns: runs(400) },
    );
  });
});

describe('matching keys: cases the properties make rarely', () => {
  const long = 'ab'.repeat(40); // 80 units: the exact slower path
  it.each([
    // A case-insensitive ASCII affix on the exact path: the key as long as the affix.
    [
      'ci long prefix, key of the same length, other case',
      { prefix: long, caseInsensitive: true },
      long.toUpperCase(),
      true,
    ],
    [
      'ci long prefix, key one unit different',
      { prefix: long, caseInsensitive: true },
      `${long.slice(0, -1)}c`,
      false,
    ],
    ['ci long suffix, key the affix', { suffix: long, caseInsensitive: true }, long, true],
    [
      'ci long suffix, key one unit shorter',
      { suffix: long, caseInsensitive: true },
      long.slice(1),
      false,
    ],
    [
      'ci long prefix, key with Kelvin for k',
      { prefix: `k${long}`, caseInsensitive: true },
      `\u212a${long}`,
      true,
    ],
    ['cs long prefix, key of other case', { prefix: long }, long.toUpperCase(), false],
    // The plain way alone: `İ` lower-cases to `i` + U+0307.
    ['ci prefix i + U+0307, key İ', { prefix: 'i\u0307x', caseInsensitive: true }, '\u0130x', true],
    ['ci suffix i + U+0307, key İ', { suffix: 'i\u0307', caseInsensitive: true }, 'a\u0130', true],
    // Non-ASCII affixes never share a table column with another non-ASCII unit.
    ['prefix é, key 图', { prefix: 'é' }, '图', false],
    ['ci prefix é, key É', { prefix: 'é', caseInsensitive: true }, 'Éa', true],
    ['prefix U+0080, key U+0081', { prefix: '\u0080' }, '\u0081', false],
    // The columns of the four folding letters lead nowhere in the exact machine.
    ['prefix U+0001, key İ', { prefix: 'a\u0001' }, 'a\u0130', false],
    ['suffix U+0001, key Kelvin', { suffix: '\u0001' }, 'a\u212a', false],
    ['prefix U+0000, key ſ', { prefix: '\u0000' }, '\u017f', false],
  ] as const)('%s', (_name, rule, key, want) => {
    const policy = definePolicy({ rules: [rule as ProtectionRuleInput] });
    expect(isProtected(key, policy)).toBe(want);
    expect(matchProtection(key, policy)?.kind === 'rule').toBe(want);
    expect(referenceMatch(key, policy) !== undefined).toBe(want);
    expect(explainProtection(key, policy).rules[0]?.matches).toBe(want);
  });

  it('a folding letter moves the folded machine only, where both machines have an edge', () => {
    // `İ` takes the case-insensitive `i` edge; the exact machine has no edge on it, not even the
    // U+0001 edge that shares the state.
    const policy = definePolicy({
      rules: [{ prefix: 'a\u0001' }, { prefix: 'ai', caseInsensitive: true }],
    });
    for (const [key, index] of [
      ['a\u0130', 1],
      ['a\u0131', 1],
      ['a\u0001', 0],
      ['aI', 1],
    ] as const) {
      expect(matchProtection(key, policy)).toMatchObject({ kind: 'rule', index });
      expect(referenceMatch(key, policy)).toEqual({ kind: 'rule', index });
    }
    const suffixes = definePolicy({
      rules: [{ suffix: '\u0001' }, { suffix: 'k', caseInsensitive: true }],
    });
    expect(matchProtection('x\u212a', suffixes)).toMatchObject({ kind: 'rule', index: 1 });
    expect(
      matchProtection(
        'x\u017f',
        definePolicy({ rules: [{ suffix: '\u0001' }, { suffix: 's', caseInsensitive: true }] }),
      ),
    ).toMatchObject({ kind: 'rule', index: 1 });
  });

  it('a list too long for the table: the second extension is found, and reported', () => {
    const extensions = ['aa', 'bb', ...Array.from({ length: 300 }, (_, i) => `e${i}`)];
    const policy = definePolicy({ extensions });
    expect(matchProtection('x.BB', policy)).toEqual({ kind: 'extension', extension: 'bb' });
    expect(matchProtection('x.aa', policy)).toEqual({ kind: 'extension', extension: 'aa' });
    expect(matchProtection('x.e299', policy)).toEqual({ kind: 'extension', extension: 'e299' });
    expect(matchProtection('x.ſ', policy)).toBeUndefined();
    expect(isProtected('x.bB', policy)).toBe(true);
    expect(isProtected('x.cc', policy)).toBe(false);
  });

  it('a key that is not a string is never protected, and the policy is not even read', () => {
    const policy = definePolicy({ rules: [{ prefix: '1' }], extensions: ['*'] });
    for (const key of [123, 1, null, undefined, ['1'], { toString: () => '1' }]) {
      expect(isProtected(key as unknown as string, policy)).toBe(false);
      expect(matchProtection(key as unknown as string, policy)).toBeUndefined();
      expect(compilePolicy(policy).isProtected(key as unknown as string)).toBe(false);
      expect(compilePolicy(policy).match(key as unknown as string)).toBeUndefined();
      // An invalid policy would throw PolicyError once read; a non-string key returns first.
      const invalid = { rules: 'none' } as never;
      expect(isProtected(key as unknown as string, invalid)).toBe(false);
      expect(matchProtection(key as unknown as string, invalid)).toBeUndefined();
    }
  });
});

describe('matching keys: module-level tables, loaded afresh in each test', () => {
  const load = async () => {
    vi.resetModules();
    return import('../../src/index.js');
  };

  it('`*` reports the wildcard kind', async () => {
    const m = await load();
    const policy = m.definePolicy({ extensions: ['*'] });
    expect(m.matchProtection('a.txt', policy)).toEqual({ kind: 'wildcard' });
  });

  it.each([
    ['image/png', true],
    ['IMAGE/png; q=1', true],
    ['image', true],
    ['notimage/png', false],
    ['images/png', false],
    ['imagex', false],
    ['text/html', false],
  ])('isImageContentType(%j) is %s', async (type, want) => {
    const m = await load();
    expect(m.isImageContentType(type)).toBe(want);
    const policy = m.definePolicy({ extensions: ['*'] });
    expect(m.isProtected('a.txt', policy, { contentType: type })).toBe(want);
  });

  it.each([
    ['\u017fx', 'sx'],
    ['\u0130x', 'ix'],
    ['\u0131x', 'ix'],
    ['a\u017f\u0131\u0130', 'asii'],
  ])('the folded way maps %j to %j (explanations and the exact path)', async (key, folded) => {
    const m = await load();
    const policy = m.definePolicy({
      rules: [{ prefix: `${folded}é`, caseInsensitive: true }],
      extensions: [folded.slice(-2)],
    });
    expect(m.isProtected(`${key}é`, policy)).toBe(true);
    expect(m.isProtected(`${key}e`, policy)).toBe(false);
    const explained = m.explainProtection(`${key}é`, policy);
    expect(explained.rules[0]?.matches).toBe(true);
    expect(m.explainProtection(`z.${key.slice(-2)}`, policy).extensionListed).toBe(true);
    expect(m.explainProtection(`z.${key.slice(-2)}x`, policy).extensionListed).toBe(false);
  });
});
