import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  definePolicy,
  explainProtection,
  isProtected,
  keyExtension,
  matchProtection,
  type Policy,
  PolicyError,
  type ProtectionRule,
} from '../src/index.js';
import { matchCases } from './cases/match.js';
import {
  referenceExtension,
  referenceIsProtected,
  referenceMatch,
  referenceRuleMatches,
} from './reference.js';
import { interestingString, policyInputArb } from './support/arbitraries.js';
import { runs } from './support/runs.js';

describe('S3 case table: isProtected and matchProtection', () => {
  for (const row of matchCases) {
    it(row.clause, () => {
      const policy = definePolicy(row.policy);
      const opts = row.contentType === undefined ? undefined : { contentType: row.contentType };
      const match = matchProtection(row.key, policy, opts);
      const summary =
        match === undefined
          ? undefined
          : match.kind === 'rule'
            ? { kind: 'rule', index: match.index }
            : match.kind === 'extension'
              ? { kind: 'extension', extension: match.extension }
              : { kind: 'wildcard' };
      expect(summary).toEqual(row.expect);
      expect(isProtected(row.key, policy, opts)).toBe(row.expect !== undefined);
      // The table itself must agree with the reference model.
      expect(referenceMatch(row.key, policy, row.contentType)).toEqual(row.expect);
      if (match?.kind === 'rule') expect(match.rule).toBe(policy.rules[match.index]);
    });
  }
});

/** Keys built to collide with the policy's own affixes: shared prefixes/suffixes, case variants. */
function keyFor(policy: Policy): fc.Arbitrary<string> {
  const affixes = policy.rules
    .flatMap((r) => [r.prefix, r.suffix])
    .filter((s): s is string => s !== undefined);
  const exts = policy.extensions.filter((e) => e !== '*');
  const variant = (s: string) =>
    fc.constantFrom(s, s.toUpperCase(), s.toLowerCase(), s.slice(0, -1), s.slice(1), `${s}x`);
  const piece = fc.oneof(
    { weight: 3, arbitrary: interestingString(0, 6) },
    ...(affixes.length > 0
      ? [{ weight: 3, arbitrary: fc.constantFrom(...affixes).chain(variant) }]
      : []),
    ...(exts.length > 0
      ? [{ weight: 2, arbitrary: fc.constantFrom(...exts).chain((e) => variant(`.${e}`)) }]
      : []),
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '.',
        '/',
        './',
        '../',
        'a.b/',
        '\ud800',
        '\udc00',
        '.',
        'İ',
        'ẞ',
        'Σ',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  );
  return fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
}

const contentTypeArb = fc.option(
  fc.oneof(
    fc.constantFrom(
      'image/png',
      'IMAGE/JPEG; q=1',
      ' image ',
      'text/plain',
      '',
      ';',
      'images/x',
      'imagé/png',
    ),
    fc.string({ maxLength: 12 }),
  ),
  { nil: undefined },
);

const triple = policyInputArb
  .map((input) => definePolicy(input))
  .chain((policy) => fc.tuple(fc.constant(policy), keyFor(policy), contentTypeArb));

describe('S3 compiled matcher ≡ reference model', () => {
  it('isProtected agrees on generated (policy, key, contentType) triples', () => {
    fc.assert(
      fc.property(triple, ([policy, key, contentType]) => {
        const opts = contentType === undefined ? undefined : { contentType };
        expect(isProtected(key, policy, opts)).toBe(referenceIsProtected(key, policy, contentType));
      }),
      { numRuns: runs(60_000) },
    );
  });

  it('matchProtection names the same rule or extension as the reference', () => {
    fc.assert(
      fc.property(triple, ([policy, key, contentType]) => {
        const opts = contentType === undefined ? undefined : { contentType };
        const got = matchProtection(key, policy, opts);
        const want = referenceMatch(key, policy, contentType);
        expect(got?.kind).toBe(want?.kind);
        if (got?.kind === 'rule' && want?.kind === 'rule') expect(got.index).toBe(want.index);
        if (got?.kind === 'extension' && want?.kind === 'extension')
          expect(got.extension).toBe(want.extension);
      }),
      { numRuns: runs(30_000) },
    );
  });

  it('agrees on arbitrary UTF-16 strings, lone surrogates included', () => {
    fc.assert(
      fc.property(
        policyInputArb.map((i) => definePolicy(i)),
        fc.string({
          unit: fc.oneof(
            fc.constantFrom(...'aAiIsS.k/'),
            fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          ),
          maxLength: 12,
        }),
        (policy, key) => {
          expect(isProtected(key, policy)).toBe(referenceIsProtected(key, policy));
        },
      ),
      { numRuns: runs(15_000) },
    );
  });

  it('keyExtension is the S3.2 extension', () => {
    fc.assert(
      fc.property(interestingString(0, 10), (key) => {
        expect(keyExtension(key)).toBe(referenceExtension(key));
      }),
      { numRuns: runs(5_000) },
    );
  });
});

describe('compilePolicy and the per-policy cache', () => {
  const policy = definePolicy({ rules: [{ prefix: 'image/' }], extensions: ['jpg'] });

  it('returns the same compiled form for the same policy', () => {
    expect(compilePolicy(policy)).toBe(compilePolicy(policy));
    expect(compilePolicy(policy).policy).toBe(policy);
    const other = definePolicy({ rules: [{ prefix: 'image/' }] });
    expect(compilePolicy(other)).not.toBe(compilePolicy(policy));
    expect(compilePolicy(policy).isProtected('image/x')).toBe(true);
  });

  it('accepts a frozen look-alike (another copy of the package) after validating it', () => {
    const lookAlike = Object.freeze(JSON.parse(JSON.stringify(policy)));
    expect(isProtected('a.JPG', lookAlike)).toBe(true);
    expect(compilePolicy(lookAlike)).toBe(compilePolicy(lookAlike));
  });

  it('recompiles an unfrozen look-alike on every call, so a change is seen', () => {
    const mutable = {
      rules: [{ prefix: 'a/', caseInsensitive: false }],
      caseInsensitive: false,
      extensions: [],
      delimiters: [],
    };
    expect(isProtected('a/x', mutable as unknown as Policy)).toBe(true);
    mutable.rules[0] = { prefix: 'b/', caseInsensitive: false };
    expect(isProtected('a/x', mutable as unknown as Policy)).toBe(false);
  });

  it('throws PolicyError for an invalid look-alike', () => {
    expect(() => isProtected('a', { rules: 'x' } as unknown as Policy)).toThrow(PolicyError);
  });
});

describe('explainProtection', () => {
  it('agrees with matchProtection and with each rule of the reference', () => {
    fc.assert(
      fc.property(triple, ([policy, key, contentType]) => {
        const opts = contentType === undefined ? undefined : { contentType };
        const e = explainProtection(key, policy, opts);
        expect(e.match).toEqual(matchProtection(key, policy, opts));
        e.rules.forEach((t, i) => {
          expect(t.matches).toBe(referenceRuleMatches(key, policy.rules[i] as ProtectionRule));
        });
        expect(e.extension).toBe(referenceExtension(key));
      }),
      { numRuns: runs(3_000) },
    );
  });

  it('says which part of each rule failed', () => {
    const policy = definePolicy({
      rules: [{ prefix: 'raw/', suffix: '.tif' }, { suffix: '.png' }],
      extensions: ['jpg'],
    });
    const e = explainProtection('raw/a.TIF', policy);
    expect(e.rules.map((t) => [t.prefixMatches, t.suffixMatches, t.matches])).toEqual([
      [true, false, false],
      [undefined, false, false],
    ]);
    expect(e).toMatchObject({
      extension: 'TIF',
      extensionListed: false,
      wildcard: false,
      match: undefined,
    });
  });
});
