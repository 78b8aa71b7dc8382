/**
 * The compiled matcher (src/match/automaton.ts and matcher.ts) against the S3 reference model
 * (test/reference.ts) on at least 200,000 generated (policy, key) pairs per run, every key fed in
 * every string shape V8 has for it (bench/shapes.ts: flat one-byte, flat two-byte, sliced,
 * concatenated), so the equivalence holds in the conditions a server runs in, not only for flat
 * strings. The generators favour what the automaton treats specially: the R2 letters (`ſ`, `İ`,
 * `ı`) and the Kelvin sign in keys and affixes, letters whose lower case changes length or depends
 * on context (`İ`, `Σ`), lone surrogates and pairs, case-sensitive and case-insensitive rules
 * sharing affixes, affixes too long for the table, and extensions as suffixes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allShapes, SHAPES, type Shape } from '../bench/shapes.js';
import {
  compilePolicy,
  definePolicy,
  LIMITS,
  type Policy,
  type PolicyInput,
  type ProtectionRuleInput,
} from '../src/index.js';
import { EXTENSION_SHIFT, MAX_TABLE_AFFIX, MAX_TABLE_EXTENSIONS } from '../src/match/matcher.js';
import { referenceMatch } from './reference.js';
import { runs } from './support/runs.js';

/** Letters that fold onto ASCII under S3 or R2, in both directions, and their look-alikes. */
const LOOKALIKES: Readonly<Record<string, readonly string[]>> = {
  s: ['\u017f', 'S'],
  S: ['\u017f', 's'],
  i: ['\u0131', '\u0130', 'I'],
  I: ['\u0131', '\u0130', 'i'],
  k: ['\u212a', 'K'],
  K: ['\u212a', 'k'],
  '\u017f': ['s', 'S'],
  '\u0131': ['i', 'I', '\u0130'],
  '\u0130': ['i', 'I', 'i\u0307', '\u0131'],
  '\u212a': ['k', 'K'],
  '\u03c3': ['\u03a3', '\u03c2'],
  '\u03a3': ['\u03c3', '\u03c2'],
  '\u00df': ['\u1e9e', 'ss'],
};

/** Characters affixes are made of: never a lone surrogate (definePolicy refuses those). */
const affixChar = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...'abiksABIKS/._-0jpgJPG') },
  { weight: 4, arbitrary: fc.constantFrom('\u017f', '\u0130', '\u0131', '\u212a') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u00df', // ß
      '\u1e9e', // ẞ: lower-cases to ß
      '\u03a3', // Σ: final sigma depends on context
      '\u03c3',
      '\u03c2',
      'é',
      'É',
      '图',
      '😀', // a surrogate pair
      '\u{10400}', // Deseret: lower-cases as a pair
      '\u0307', // the combining dot İ lower-cases into
      '\u01c5', // ǅ: title case
      '\ufb00', // ﬀ
      '\u212b', // Angstrom sign: lower-cases to å, not ASCII
    ),
  },
);

const shortAffix = fc.array(affixChar, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
/** Longer than the table holds: the exact slower path. Mostly ASCII, so it can still match. */
const longAffix = fc
  .tuple(
    fc.array(fc.constantFrom(...'abikS/._'), {
      minLength: MAX_TABLE_AFFIX + 1,
      maxLength: MAX_TABLE_AFFIX + 12,
    }),
    fc.option(fc.constantFrom('\u017f', '\u0130', 'é'), { nil: undefined }),
  )
  .map(([a, extra]) => a.join('') + (extra ?? ''));
const affixArb = fc.oneof(
  { weight: 24, arbitrary: shortAffix },
  { weight: 1, arbitrary: longAffix },
);
const prefixArb = affixArb.filter((s) => s[0] !== '/' && s[0] !== '\\');

const ruleArb: fc.Arbitrary<ProtectionRuleInput> = fc
  .record(
    { prefix: prefixArb, suffix: affixArb, caseInsensitive: fc.boolean() },
    { requiredKeys: [] },
  )
  .filter((r): r is ProtectionRuleInput => r.prefix !== undefined || r.suffix !== undefined);

// Extensions rich in the letters R2 folds onto (s, i, k).
const extensionArb = fc
  .array(fc.constantFrom(...'sikSIKjpgtfv0'), { minLength: 1, maxLength: 5 })
  .map((a) => a.join(''));

const policyArb: fc.Arbitrary<Policy> = fc
  .record(
    {
      rules: fc.array(ruleArb, { maxLength: 10 }),
      caseInsensitive: fc.boolean(),
      extensions: fc.oneof(
        { weight: 1, arbitrary: fc.constant(['*']) },
        {
          weight: 5,
          arbitrary: fc.uniqueArray(extensionArb, {
            maxLength: 6,
            selector: (e) => e.toLowerCase(),
          }),
        },
      ),
    },
    { requiredKeys: ['rules'] },
  )
  .map((input: PolicyInput) => definePolicy(input));

/** `s` with some letters swapped for their look-alikes, or in another case. */
const variant = (s: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(s),
    fc.constant(s.toUpperCase()),
    fc.constant(s.toLowerCase()),
    fc.constant(s.slice(0, -1)),
    fc.constant(s.slice(1)),
    fc.array(fc.nat(), { minLength: s.length, maxLength: s.length }).map((picks) =>
      Array.from(s)
        .map((ch, i) => {
          const options = LOOKALIKES[ch];
          const p = picks[i] as number;
          return options === undefined || p % 2 === 0
            ? ch
            : (options[p % options.length] as string);
        })
        .join(''),
    ),
  );

/** Key characters: the affix alphabet, plus lone surrogates (keys may hold them, affixes not). */
const keyChar = fc.oneof(
  { weight: 12, arbitrary: affixChar },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udc00', '\udbff') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const middle = fc.oneof(
  fc.array(keyChar, { maxLength: 4 }).map((a) => a.join('')),
  // Long enough that the key has sliced and concatenated forms.
  fc.constantFrom('/2024/05/', '/summer-holiday/', '_thumb_800x600', '/用户/照片/'),
);

/** Keys near the policy: its affixes and extensions, varied, around a middle. */
function keysFor(policy: Policy, count: number): fc.Arbitrary<string[]> {
  const prefixes = policy.rules.flatMap((r) => (r.prefix === undefined ? [] : [r.prefix]));
  const suffixes = policy.rules.flatMap((r) => (r.suffix === undefined ? [] : [r.suffix]));
  const exts = policy.extensions.filter((e) => e !== '*').map((e) => `.${e}`);
  const near = (list: readonly string[]) =>
    list.length === 0
      ? fc.constant('')
      : fc.oneof(fc.constant(''), fc.constantFrom(...list).chain(variant));
  const key = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(near(prefixes), middle, near(suffixes), near(exts))
        .map(([p, m, s, e]) => p + m + s + e),
    },
    { weight: 1, arbitrary: fc.array(keyChar, { maxLength: 16 }).map((a) => a.join('')) },
  );
  return fc.array(key, { minLength: count, maxLength: count });
}

const contentTypeArb = fc.constantFrom(undefined, 'image/png', 'text/plain', '');

const KEYS_PER_POLICY = 100;
const POLICIES = runs(2_000);

describe('automaton matcher ≡ S3 reference (R2 included), on every string shape', () => {
  it(`agrees on ${POLICIES * KEYS_PER_POLICY} generated (policy, key) pairs`, () => {
    const perShape = new Map<Shape, number>(SHAPES.map((s) => [s, 0]));
    let pairs = 0;
    let protectedPairs = 0;
    let salt = 0;
    fc.assert(
      fc.property(
        policyArb.chain((p) =>
          fc.tuple(fc.constant(p), keysFor(p, KEYS_PER_POLICY), contentTypeArb),
        ),
        ([policy, keys, contentType]) => {
          const compiled = compilePolicy(policy);
          const opts = contentType === undefined ? undefined : { contentType };
          for (const key of keys) {
            const want = referenceMatch(key, policy, contentType);
            pairs++;
            if (want !== undefined) protectedPairs++;
            for (const [shape, k] of allShapes(key, salt++)) {
              perShape.set(shape, (perShape.get(shape) ?? 0) + 1);
              const label = `${shape} key ${JSON.stringify(key)}`;
              expect(compiled.isProtected(k, opts), label).toBe(want !== undefined);
              const got = compiled.match(k, opts);
              expect(got?.kind, label).toBe(want?.kind);
              if (got?.kind === 'rule' && want?.kind === 'rule')
                expect(got.index, label).toBe(want.index);
              if (got?.kind === 'extension' && want?.kind === 'extension')
                expect(got.extension, label).toBe(want.extension);
            }
          }
        },
      ),
      { numRuns: POLICIES },
    );
    expect(pairs).toBe(POLICIES * KEYS_PER_POLICY);
    // Guard the generators: both answers are common, and every shape is exercised.
    expect(protectedPairs).toBeGreaterThan(pairs * 0.2);
    expect(protectedPairs).toBeLessThan(pairs * 0.8);
    for (const shape of SHAPES) expect(perShape.get(shape), shape).toBeGreaterThan(pairs * 0.05);
  });

  it('agrees on arbitrary UTF-16 keys, in every shape', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(
          fc.string({
            unit: fc.oneof(
              fc.constantFrom(...'aAiIsSkK.\u017f\u0130\u0131\u212a/'),
              fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
            ),
            maxLength: 20,
          }),
          { minLength: 20, maxLength: 20 },
        ),
        (policy, keys) => {
          const compiled = compilePolicy(policy);
          for (const key of keys) {
            const want = referenceMatch(key, policy) !== undefined;
            for (const [shape, k] of allShapes(key, key.length))
              expect(compiled.isProtected(k), `${shape} ${JSON.stringify(key)}`).toBe(want);
          }
        },
      ),
      { numRuns: runs(2_000) },
    );
  });
});

describe('paths around the table', () => {
  it('one accept-word bit per rule fits below the extension index', () => {
    expect(LIMITS.maxRules).toBeLessThanOrEqual(EXTENSION_SHIFT);
  });

  it('an extension list too long for the table is looked up exactly', () => {
    const listed: string[] = [];
    for (let i = 0; listed.length <= MAX_TABLE_EXTENSIONS; i++) listed.push(`x${i.toString(36)}`);
    listed.push('gif', 'svg', 'mkv');
    const policy = definePolicy({ extensions: listed, rules: [{ prefix: 'raw/' }] });
    const keys = [
      'a.GIF',
      'a.G\u0131F',
      'a.\u017fvg',
      'a.M\u212aV',
      'a.x1A',
      'a.xzz9',
      'raw/a.txt',
      'a.gif/b',
      'a.',
      'a.g\u00eff',
      'a.gi',
    ];
    for (const key of keys)
      for (const [shape, k] of allShapes(key, 3)) {
        const want = referenceMatch(key, policy);
        expect(compilePolicy(policy).match(k), `${shape} ${key}`).toEqual(
          want === undefined
            ? undefined
            : want.kind === 'rule'
              ? expect.objectContaining({ kind: 'rule', index: want.index })
              : want,
        );
      }
  });

  it('policies at the limits build a bounded table', () => {
    const n = MAX_TABLE_AFFIX - 1;
    const policy = definePolicy({
      rules: Array.from({ length: 10 }, (_, i) => ({
        prefix: `${'p'.repeat(n)}${i}`,
        suffix: `${i}${'s'.repeat(n)}`,
        caseInsensitive: i % 2 === 0,
      })),
      extensions: Array.from({ length: 100 }, (_, i) => `e${i}`),
    });
    const compiled = compilePolicy(policy);
    const states = (compiled as unknown as { states: number }).states;
    // At most one state per node of the exact and folded tries (both machines), plus the dead row.
    expect(states).toBeLessThanOrEqual(1 + 2 * (1 + 10 * MAX_TABLE_AFFIX) + 100 * 4);
    expect(compiled.match(`${'P'.repeat(n)}0/x/0${'\u017f'.repeat(n)}`)).toMatchObject({
      index: 0,
    });
    expect(compiled.match(`${'P'.repeat(n)}1/x/1${'s'.repeat(n)}`)).toBeUndefined();
    expect(compiled.match(`${'p'.repeat(n)}1/x/1${'s'.repeat(n)}`)).toMatchObject({ index: 1 });
  });
});
