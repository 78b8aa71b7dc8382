import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  formatPath,
  lintPolicy,
  type Policy,
  type ProtectionRuleInput,
} from '../src/index.js';
import { lintCases } from './cases/lint.js';
import { referenceIsProtected } from './reference.js';
import { interestingString, policyInputArb } from './support/arbitraries.js';
import { runs } from './support/runs.js';

describe('S9 lint case table', () => {
  for (const row of lintCases) {
    it(row.clause, () => {
      const warnings = lintPolicy(definePolicy(row.policy));
      expect(warnings.map((w) => ({ code: w.code, path: w.path }))).toEqual(row.warnings);
      for (const w of warnings) {
        expect(w.at).toBe(formatPath(w.path));
        expect(w.message.length).toBeGreaterThan(20);
      }
    });
  }
});

/** The policy without rule `i`. */
const without = (policy: Policy, i: number): Policy =>
  definePolicy({
    ...policy,
    // Rules of a valid policy are valid rule input; the type keeps prefix and suffix optional.
    rules: policy.rules.filter((_, j) => j !== i) as ProtectionRuleInput[],
  });

describe('S9 lint properties', () => {
  it('never throws on a valid policy', () => {
    fc.assert(
      fc.property(policyInputArb, (input) => {
        expect(Array.isArray(lintPolicy(definePolicy(input)))).toBe(true);
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('a rule called redundant protects no key that the rest of the policy does not', () => {
    // Keys built from the policy's own affixes, so that they hit the rules.
    const caseArb = policyInputArb
      .map((input) => definePolicy(input))
      .filter((p) => lintPolicy(p).some((w) => w.code === 'redundant-rule'))
      .chain((policy) => {
        const parts = policy.rules.flatMap((r) => [r.prefix ?? '', r.suffix ?? '']);
        const piece = fc.oneof(fc.constantFrom(...parts, '', '.jpg', '/'), interestingString(0, 3));
        return fc.tuple(
          fc.constant(policy),
          fc.array(
            fc.array(piece, { maxLength: 4 }).map((a) => a.join('')),
            { minLength: 20, maxLength: 20 },
          ),
        );
      });
    let checked = 0;
    fc.assert(
      fc.property(caseArb, ([policy, keys]) => {
        for (const w of lintPolicy(policy)) {
          if (w.code !== 'redundant-rule') continue;
          const reduced = without(policy, w.path[1] as number);
          for (const key of keys) {
            checked++;
            expect(referenceIsProtected(key, reduced)).toBe(referenceIsProtected(key, policy));
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(checked).toBeGreaterThan(1_000);
  });
});

describe('S9 R2 lint properties', () => {
  it('protects-nothing is given exactly when no key is protected', () => {
    fc.assert(
      fc.property(
        policyInputArb,
        fc.array(interestingString(0, 6), { maxLength: 10 }),
        (input, keys) => {
          const policy = definePolicy(input);
          const warned = lintPolicy(policy).some((w) => w.code === 'protects-nothing');
          expect(warned).toBe(policy.rules.length === 0 && policy.extensions.length === 0);
          if (warned) for (const key of keys) expect(referenceIsProtected(key, policy)).toBe(false);
          // Otherwise some key is protected: a listed extension, or a rule's own (ASCII) affixes
          // (non-ASCII ones may not match themselves once joined: "XΣ" + "-" lower-cases to "xς-").
          else {
            const ascii = policy.rules.find((r) =>
              /^[\x20-\x7e]*$/.test(`${r.prefix ?? ''}${r.suffix ?? ''}`),
            );
            const ext = policy.extensions[0];
            const key =
              ext !== undefined
                ? `a.${ext === '*' ? 'jpg' : ext}`
                : ascii === undefined
                  ? undefined
                  : `${ascii.prefix ?? ''}${ascii.suffix ?? ''}`;
            if (key !== undefined) expect(referenceIsProtected(key, policy)).toBe(true);
          }
        },
      ),
      { numRuns: runs(1_000) },
    );
  });

  it('a suffix-without-dot rule protects a key that has no such extension', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'jpg',
          'jpeg',
          'png',
          'gif',
          'webp',
          'bmp',
          'tif',
          'tiff',
          'heic',
          'avif',
          'svg',
        ),
        fc.boolean(),
        (ext, upper) => {
          const suffix = upper ? ext.toUpperCase() : ext;
          const policy = definePolicy({ rules: [{ suffix }] });
          expect(lintPolicy(policy).map((w) => w.code)).toEqual(['suffix-without-dot']);
          // "notjpg" is protected though it is no .jpg file: what the warning says.
          expect(referenceIsProtected(`not${suffix}`, policy)).toBe(true);
        },
      ),
      { numRuns: runs(100) },
    );
  });
});
