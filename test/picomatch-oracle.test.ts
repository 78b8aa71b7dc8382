/**
 * picomatch as an independent oracle for SPEC S3: on (policy, key) pairs where glob semantics and
 * S3 coincide, the policy written as globs must give the same answer as isProtected. The globs are
 * the ones the benchmark's picomatch baseline uses (bench/baselines.ts), so this also keeps that
 * baseline honest.
 *
 * Rule → `prefix*suffix` with `{ dot, bash, strictSlashes }` (+ `nocase` for case-insensitive
 * rules). Not `prefix**suffix`: picomatch's `**` is a globstar only as a whole path segment, so
 * `image**` would miss `images/a.jpg`, and as a segment it makes the slashes around it optional
 * (`**\/b` matches `b`, `a/**\/b` matches `a/b`); with `bash: true` a single `*` matches any
 * text, `/` included, which is exactly S3's "starts with … and ends with …".
 * Extensions → `**\/*.{jpg,png}` with `{ dot, nocase }`, plus `*.{jpg,png}` for keys without `/`.
 */
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import {
  EXTENSION_GLOB_OPTIONS,
  extensionGlob,
  RULE_GLOB_OPTIONS,
  ruleGlob,
} from '../bench/baselines.js';
import {
  definePolicy,
  isProtected,
  type Policy,
  type PolicyInput,
  type ProtectionRuleInput,
} from '../src/index.js';

type Matcher = (key: string) => boolean;

/** The policy as picomatch matchers; `["*"]` is not a glob question (S3.3: every key). */
function oracle(policy: Policy): Matcher {
  const globs = (ci: boolean) => policy.rules.filter((r) => r.caseInsensitive === ci).map(ruleGlob);
  const never: Matcher = () => false;
  const cs = globs(false);
  const ci = globs(true);
  const csMatch = cs.length > 0 ? picomatch(cs, RULE_GLOB_OPTIONS) : never;
  const ciMatch = ci.length > 0 ? picomatch(ci, { ...RULE_GLOB_OPTIONS, nocase: true }) : never;
  const wildcard = policy.extensions[0] === '*';
  const exts = wildcard ? [] : policy.extensions;
  const deep = exts.length > 0 ? picomatch(extensionGlob(exts), EXTENSION_GLOB_OPTIONS) : never;
  const flatGlob = exts.length === 1 ? `*.${exts[0]}` : `*.{${exts.join(',')}}`;
  const flat = exts.length > 0 ? picomatch(flatGlob, EXTENSION_GLOB_OPTIONS) : never;
  return (key) =>
    wildcard || csMatch(key) || ciMatch(key) || deep(key) || (!key.includes('/') && flat(key));
}

// Restriction: the alphabet. No glob syntax (`*?[]{}()!+@|,\`): this oracle tests matching, not
// escaping. Non-ASCII only where case is 1:1 (é/É) or absent (图, 😀, a surrogate pair):
// `nocase` compiles to a RegExp `i` flag, which folds each code unit by simple upper-casing,
// while S3 lower-cases whole strings with toLowerCase. They disagree on İ (lower-cases to two
// units), ß/ẞ, Σ/σ/ς (σ and ς fold together under `i` only), K (Kelvin sign → k under
// toLowerCase only), ǅ, and the letters S3 R2 folds onto ASCII (ſ → s, İ and ı → i), which the
// `i` flag without `u` never maps onto ASCII. `.` and `/` stay in: they are where extensions and
// paths differ.
const CHARS = [...'abcxjpgABCXJPG019_-./', 'é', 'É', '图', '😀'];
const charArb = fc.constantFrom(...CHARS);
const text = (min: number, max: number) =>
  fc.array(charArb, { minLength: min, maxLength: max }).map((a) => a.join(''));

// definePolicy rejects a prefix starting with `/`; a leading `./` needs no restriction, since
// escapeGlob escapes a leading `.` (picomatch would otherwise drop `./` from the pattern).
const prefixArb = text(1, 6).filter((s) => s[0] !== '/');
const suffixArb = text(1, 6);

const ruleArb: fc.Arbitrary<ProtectionRuleInput> = fc.oneof(
  fc.record({ prefix: prefixArb, caseInsensitive: fc.boolean() }),
  fc.record({ suffix: suffixArb, caseInsensitive: fc.boolean() }),
  fc.record({ prefix: prefixArb, suffix: suffixArb, caseInsensitive: fc.boolean() }),
);

const extensionArb = fc.stringMatching(/^\.?[A-Za-z0-9]{1,4}$/);

const policyInputArb: fc.Arbitrary<PolicyInput> = fc.record({
  rules: fc.array(ruleArb, { maxLength: 10 }),
  extensions: fc.oneof(
    { weight: 1, arbitrary: fc.constant(['*']) },
    {
      weight: 6,
      arbitrary: fc.uniqueArray(extensionArb, {
        maxLength: 5,
        selector: (e) => (e[0] === '.' ? e.slice(1) : e).toLowerCase(),
      }),
    },
  ),
});

/** Flip the case of the letters whose bit is set in `mask`, so folded rules get exercised. */
function flipCase(s: string, mask: number): string {
  let out = '';
  let i = 0;
  for (const ch of s) {
    const lower = ch.toLowerCase();
    out += (mask >>> (i++ % 31)) & 1 ? (ch === lower ? ch.toUpperCase() : lower) : ch;
  }
  return out;
}

/**
 * Keys near the policy: a rule's prefix, any middle, a rule's suffix, maybe a protected
 * extension, each with letters in random case; or plain random text.
 */
function keyArb(policy: Policy): fc.Arbitrary<string> {
  const prefixes = policy.rules.flatMap((r) => (r.prefix === undefined ? [] : [r.prefix]));
  const suffixes = policy.rules.flatMap((r) => (r.suffix === undefined ? [] : [r.suffix]));
  const exts = policy.extensions[0] === '*' ? [] : policy.extensions.map((e) => `.${e}`);
  const part = (list: readonly string[]) =>
    list.length === 0 ? fc.constant('') : fc.oneof(fc.constant(''), fc.constantFrom(...list));
  const built = fc
    .tuple(part(prefixes), text(0, 8), part(suffixes), part(exts), fc.nat())
    .map(([p, m, s, e, mask]) => flipCase(p + m + s + e, mask));
  return fc.oneof(built, text(0, 12));
}

// Restriction: no `.` or `..` path segment. picomatch treats them as navigation and never lets a
// wildcard match one; S3 treats a key as an opaque string (`image/../a.jpg` starts with `image/`).
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

// Restriction: a rule that matches only because its prefix and suffix overlap in the key. S3
// accepts it (prefix `ab` + suffix `b` matches `ab`); a glob puts them side by side (`ab*b`).
function overlapOnly(key: string, policy: Policy): boolean {
  return policy.rules.some((r) => {
    if (r.prefix === undefined || r.suffix === undefined) return false;
    const fold = (s: string) => (r.caseInsensitive ? s.toLowerCase() : s);
    const k = fold(key);
    return (
      k.startsWith(fold(r.prefix)) &&
      k.endsWith(fold(r.suffix)) &&
      k.length < r.prefix.length + r.suffix.length
    );
  });
}

const comparable = (key: string, policy: Policy) =>
  !DOT_SEGMENT.test(key) && !overlapOnly(key, policy);

describe('picomatch oracle (S3)', () => {
  it('agrees with isProtected on generated policies and keys', () => {
    const arb = policyInputArb
      .map((input) => definePolicy(input))
      .chain((policy) =>
        fc.tuple(fc.constant(policy), fc.array(keyArb(policy), { minLength: 1, maxLength: 8 })),
      );
    let compared = 0;
    let protectedCount = 0;
    fc.assert(
      fc.property(arb, ([policy, keys]) => {
        const globs = oracle(policy);
        for (const key of keys) {
          if (!comparable(key, policy)) continue;
          const expected = globs(key);
          compared++;
          if (expected) protectedCount++;
          expect(isProtected(key, policy), `key ${JSON.stringify(key)}`).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
    // Guard the generators: the comparison must see plenty of keys, protected and not.
    expect(compared).toBeGreaterThan(4000);
    expect(protectedCount).toBeGreaterThan(compared * 0.2);
    expect(protectedCount).toBeLessThan(compared * 0.8);
  });

  // Pins the divergences the restrictions above exclude, so a picomatch upgrade that changes
  // them is noticed (and a restriction can then be dropped).
  const policy = (input: PolicyInput) => definePolicy(input);
  it.each([
    ['dot segment', policy({ rules: [{ prefix: 'image' }] }), 'image/../a.jpg'],
    ['overlap', policy({ rules: [{ prefix: 'ab', suffix: 'b' }] }), 'ab'],
    ['sigma', policy({ rules: [{ prefix: 'σ', caseInsensitive: true }] }), 'ς'],
    ['Kelvin sign', policy({ rules: [{ prefix: 'k', caseInsensitive: true }] }), '\u212a'],
    ['R2 long s', policy({ rules: [{ prefix: 's', caseInsensitive: true }] }), '\u017fecret'],
    ['R2 dotless i', policy({ rules: [{ suffix: '.gif', caseInsensitive: true }] }), 'a.g\u0131f'],
    ['R2 extension', policy({ extensions: ['tif'] }), 'scan.T\u0130F'],
  ])('%s: picomatch and S3 differ on a restricted case', (_, p, key) => {
    expect(oracle(p)(key)).toBe(!isProtected(key, p));
  });
});
