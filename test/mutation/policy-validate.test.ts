/**
 * Policy validation with `src/policy/validate.ts` loaded afresh per test (SPEC S2,
 * docs/behaviour.md#validation): the allowed field names (module-level sets), the way a wrong
 * value is described (a module-level helper), and a catalogue of non-strings, each reported once
 * as a wrong type and never again as a duplicate. test/mutation/policy.test.ts pins the same
 * sentences against the module as first loaded, which a mutant of a module-level table or helper
 * does not reach (docs/testing.md, "Hybrid mutants").
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Validate = typeof import('../../src/policy/validate.js');
let validatePolicy: Validate['validatePolicy'];

beforeEach(async () => {
  vi.resetModules();
  ({ validatePolicy } = await import('../../src/policy/validate.js'));
});

const issues = (input: unknown): [string, string, string][] => {
  const r = validatePolicy(input);
  return r.ok ? [] : r.issues.map((i) => [i.at, i.code, i.message]);
};

describe('S2 the fields a policy and a rule may have', () => {
  it('every policy field and every rule field is accepted', () => {
    const r = validatePolicy({
      $schema: './node_modules/oss-source-guard/dist/policy.schema.json',
      rules: [{ prefix: 'a/', suffix: '.png', caseInsensitive: false }],
      caseInsensitive: true,
      extensions: ['jpg'],
      delimiters: ['!'],
      styles: ['small'],
      atProcessing: true,
    });
    expect(r.ok && [r.policy.caseInsensitive, r.policy.atProcessing, r.policy.rules]).toEqual([
      true,
      true,
      [{ prefix: 'a/', suffix: '.png', caseInsensitive: false }],
    ]);
  });

  it('each field alone is accepted too', () => {
    for (const input of [
      { $schema: 'x' },
      { caseInsensitive: true },
      { atProcessing: false },
      { rules: [{ suffix: '.gif', caseInsensitive: true }] },
    ]) {
      expect(issues(input), JSON.stringify(input)).toEqual([]);
    }
  });

  it('an unknown field is named with the full list of allowed ones', () => {
    expect(issues({ Rules: [], rules: [{ prefix: 'a/', CaseInsensitive: true }] })).toEqual([
      [
        'Rules',
        'unknown-field',
        'Unknown field "Rules" in the policy; allowed: $schema, rules, caseInsensitive, extensions, delimiters, styles, atProcessing.',
      ],
      [
        'rules[0].CaseInsensitive',
        'unknown-field',
        'Unknown field "CaseInsensitive" in a rule; allowed: prefix, suffix, caseInsensitive.',
      ],
    ]);
  });
});

describe('S2 a wrong value is described for people', () => {
  it('null, an array, and the typeof of anything else', () => {
    expect(
      issues({ caseInsensitive: null, atProcessing: [], rules: [{ prefix: 1, suffix: false }] }),
    ).toEqual([
      ['caseInsensitive', 'wrong-type', '"caseInsensitive" must be true or false, not null.'],
      ['rules[0].prefix', 'wrong-type', 'The prefix must be a string, not a number.'],
      ['rules[0].suffix', 'wrong-type', 'The suffix must be a string, not a boolean.'],
      ['atProcessing', 'wrong-type', '"atProcessing" must be true or false, not an array.'],
    ]);
  });
});

describe('S2 an object is "an object", with the article English wants', () => {
  it('a rule field, a style entry, a function', () => {
    expect(issues({ rules: [{ prefix: {}, suffix: () => 'x' }], styles: [{}] })).toEqual([
      ['rules[0].prefix', 'wrong-type', 'The prefix must be a string, not an object.'],
      ['rules[0].suffix', 'wrong-type', 'The suffix must be a string, not a function.'],
      ['styles[0]', 'wrong-type', 'Each entry of "styles" must be a string, not an object.'],
    ]);
  });
});

describe('S2 styles that are not strings', () => {
  it('each is one wrong-type issue, not also a duplicate of the one before', () => {
    expect(issues({ styles: [1, true, 'small', null] })).toEqual([
      ['styles[0]', 'wrong-type', 'Each entry of "styles" must be a string, not a number.'],
      ['styles[1]', 'wrong-type', 'Each entry of "styles" must be a string, not a boolean.'],
      ['styles[3]', 'wrong-type', 'Each entry of "styles" must be a string, not null.'],
    ]);
  });
});
