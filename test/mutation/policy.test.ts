/**
 * Policy validation (SPEC S2, `src/policy/validate.ts`, `model.ts`) at its edges: each limit at
 * and past its bound, every issue's sentence (S2: "a sentence a person can act on"), the order
 * issues are reported in, normalisation, deep freezing, input that cannot even be read, and the
 * way `PolicyError` and `formatPath` render issues for people. Written to kill the mutants the
 * broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  formatPath,
  isPolicy,
  LIMITS,
  PolicyError,
  type PolicyInput,
  type PolicyIssue,
  validatePolicy,
} from '../../src/index.js';

const issues = (input: unknown): [string, string, string][] => {
  const r = validatePolicy(input);
  return r.ok ? [] : r.issues.map((i: PolicyIssue) => [i.at, i.code, i.message]);
};

describe('S2 limits, at and past each bound', () => {
  it('10 rules, not 11', () => {
    const rule = { prefix: 'a/' };
    expect(validatePolicy({ rules: Array(10).fill(rule) }).ok).toBe(true);
    expect(issues({ rules: Array(11).fill(rule) })).toEqual([
      ['rules', 'too-many-rules', 'A policy has at most 10 rules; this one has 11.'],
    ]);
    expect(LIMITS.maxRules).toBe(10);
  });

  it('50 styles, not 51', () => {
    const styles = Array.from({ length: 50 }, (_, i) => `s${i}`);
    expect(validatePolicy({ styles }).ok).toBe(true);
    expect(issues({ styles: [...styles, 'one-more'] })).toEqual([
      ['styles', 'too-many-styles', 'A catalogue holds at most 50 styles; this one has 51.'],
    ]);
  });

  it('extensions of 16 letters or digits, not 17; one leading dot; stored lower-case', () => {
    const r = validatePolicy({ extensions: ['A'.repeat(16), '.Png', '9'] });
    expect(r.ok && r.policy.extensions).toEqual(['a'.repeat(16), 'png', '9']);
    expect(issues({ extensions: ['a'.repeat(17)] })).toEqual([
      [
        'extensions[0]',
        'invalid-extension',
        `"${'a'.repeat(17)}" is not an extension: use 1–16 letters or digits, optionally after one leading ".".`,
      ],
    ]);
    for (const bad of ['', '.', '..png', 'p.ng', 'pn g', 'jpg!', 'é']) {
      expect(issues({ extensions: [bad] })[0]?.[1], bad).toBe('invalid-extension');
    }
  });

  it('style names of 63 characters, not 64', () => {
    expect(validatePolicy({ styles: ['s'.repeat(63)] }).ok).toBe(true);
    expect(issues({ styles: ['s'.repeat(64)] })[0]?.[1]).toBe('invalid-style-name');
  });
});

describe('S2 every issue says what is wrong and what to do', () => {
  it('shapes and types', () => {
    expect(issues(null)).toEqual([
      ['(root)', 'not-an-object', 'A policy must be a JSON object, not null.'],
    ]);
    expect(issues([])).toEqual([
      ['(root)', 'not-an-object', 'A policy must be a JSON object, not an array.'],
    ]);
    expect(issues('x')).toEqual([
      ['(root)', 'not-an-object', 'A policy must be a JSON object, not a string.'],
    ]);
    expect(issues({ rules: 'x' })).toEqual([
      ['rules', 'wrong-type', '"rules" must be an array, not a string.'],
    ]);
    expect(issues({ caseInsensitive: 'yes' })).toEqual([
      ['caseInsensitive', 'wrong-type', '"caseInsensitive" must be true or false, not a string.'],
    ]);
    expect(issues({ $schema: 1 })).toEqual([
      ['$schema', 'wrong-type', '"$schema" must be a string, not a number.'],
    ]);
    expect(issues({ rules: [null] })).toEqual([
      [
        'rules[0]',
        'wrong-type',
        'Each rule must be an object with "prefix" and/or "suffix", not null.',
      ],
    ]);
    expect(issues({ rules: [{ prefix: 1 }] })).toEqual([
      ['rules[0].prefix', 'wrong-type', 'The prefix must be a string, not a number.'],
    ]);
    expect(issues({ extensions: [1] })).toEqual([
      ['extensions[0]', 'wrong-type', 'Each entry of "extensions" must be a string, not a number.'],
    ]);
    expect(issues({ rules: [{ suffix: 'x', caseInsensitive: 1 }] })).toEqual([
      [
        'rules[0].caseInsensitive',
        'wrong-type',
        '"caseInsensitive" must be true or false, not a number.',
      ],
    ]);
  });

  it('entries of the wrong type are one issue each, nothing more', () => {
    expect(issues({ delimiters: [1] })).toEqual([
      ['delimiters[0]', 'wrong-type', 'Each entry of "delimiters" must be a string, not a number.'],
    ]);
    expect(issues({ styles: [null, 'ok'] })).toEqual([
      ['styles[0]', 'wrong-type', 'Each entry of "styles" must be a string, not null.'],
    ]);
    expect(issues({ extensions: [true] })).toEqual([
      [
        'extensions[0]',
        'wrong-type',
        'Each entry of "extensions" must be a string, not a boolean.',
      ],
    ]);
  });

  it('input that is not plain data (R2): class instances, inherited fields, getters', () => {
    class Settings {
      rules = [];
      extra = 1;
    }
    expect(issues(new Settings())).toEqual([
      [
        '(root)',
        'not-plain-data',
        'A policy must be plain data (as JSON gives), not an instance of Settings.',
      ],
    ]);
    expect(issues(Object.create({ rules: [{ prefix: 'a/' }] }))).toEqual([
      [
        '(root)',
        'not-plain-data',
        'A policy must be plain data (as JSON gives), not an object that inherits its fields.',
      ],
    ]);
    const Anonymous = (() => class {})();
    expect(issues(new Anonymous())[0]?.[2]).toBe(
      'A policy must be plain data (as JSON gives), not an object that inherits its fields.',
    );
    const noConstructor = Object.create(Object.create(Object.create(null)));
    expect(issues(noConstructor)).toEqual([
      [
        '(root)',
        'not-plain-data',
        'A policy must be plain data (as JSON gives), not an object that inherits its fields.',
      ],
    ]);
    const getter = {
      get rules() {
        return [];
      },
    };
    expect(issues(getter)).toEqual([
      [
        '(root)',
        'not-plain-data',
        'A policy must be plain data (as JSON gives), not an object whose "rules" is a getter.',
      ],
    ]);
    class Rule {
      prefix = 'a/';
    }
    expect(issues({ rules: [new Rule(), { prefix: 'b/' }] })).toEqual([
      [
        'rules[0]',
        'not-plain-data',
        'Each rule must be plain data (as JSON gives), not an instance of Rule.',
      ],
    ]);
    // Objects without a prototype are plain data, as are objects of JSON.parse.
    const bare = Object.assign(Object.create(null), { rules: [{ prefix: 'a/' }] });
    expect(validatePolicy(bare).ok).toBe(true);
    expect(validatePolicy(JSON.parse('{"rules":[{"suffix":".png"}]}')).ok).toBe(true);
  });

  it('unknown fields name what is allowed', () => {
    expect(issues({ rule: [] })).toEqual([
      [
        'rule',
        'unknown-field',
        'Unknown field "rule" in the policy; allowed: $schema, rules, caseInsensitive, extensions, delimiters, styles, atProcessing.',
      ],
    ]);
    expect(issues({ rules: [{ prefix: 'a', Suffix: 'b' }] })).toEqual([
      [
        'rules[0].Suffix',
        'unknown-field',
        'Unknown field "Suffix" in a rule; allowed: prefix, suffix, caseInsensitive.',
      ],
    ]);
  });

  it('affixes: empty, lone surrogate, too long, leading slash or backslash', () => {
    expect(issues({ rules: [{ prefix: '' }] })).toEqual([
      [
        'rules[0].prefix',
        'empty',
        'The prefix is empty; remove it or give at least one character.',
      ],
    ]);
    expect(issues({ rules: [{ suffix: 'a\ud800' }] })).toEqual([
      [
        'rules[0].suffix',
        'not-unicode',
        'The suffix contains a lone surrogate, which no UTF-8 object key can hold.',
      ],
    ]);
    expect(issues({ rules: [{ prefix: 'a'.repeat(1024) }] })).toEqual([
      ['rules[0].prefix', 'too-long', 'The prefix is 1024 UTF-8 bytes; OSS allows at most 1023.'],
    ]);
    expect(issues({ rules: [{ prefix: '/a' }] })).toEqual([
      [
        'rules[0].prefix',
        'leading-slash',
        'The prefix starts with "/", which no object key can; drop the leading "/".',
      ],
    ]);
    expect(issues({ rules: [{ prefix: '\\a' }] })[0]?.[2]).toBe(
      'The prefix starts with "\\", which no object key can; drop the leading "\\".',
    );
    // A suffix may start with a slash: keys end in "/…".
    expect(validatePolicy({ rules: [{ suffix: '/thumb.jpg' }] }).ok).toBe(true);
    expect(issues({ rules: [{}] })).toEqual([
      ['rules[0]', 'rule-needs-prefix-or-suffix', 'A rule needs a "prefix", a "suffix", or both.'],
    ]);
  });

  it('extensions, delimiters and styles: wildcards, duplicates, unknowns', () => {
    expect(issues({ extensions: ['*', 'jpg'] })).toEqual([
      [
        'extensions[0]',
        'wildcard-mixed',
        '"*" already protects every image; it must be the only extension.',
      ],
    ]);
    expect(issues({ extensions: ['jpg', '*'] })[0]?.slice(0, 2)).toEqual([
      'extensions[1]',
      'wildcard-mixed',
    ]);
    expect(issues({ extensions: ['jpg', '.JPG'] })).toEqual([
      [
        'extensions[1]',
        'duplicate-extension',
        '".JPG" repeats extensions[0] (extensions compare without "." and case).',
      ],
    ]);
    expect(issues({ delimiters: ['?'] })).toEqual([
      [
        'delimiters[0]',
        'invalid-delimiter',
        '"?" is not a style delimiter; OSS offers "-", "_", "/" and "!".',
      ],
    ]);
    expect(issues({ delimiters: ['-', '-'] })).toEqual([
      ['delimiters[1]', 'duplicate-delimiter', '"-" is listed twice.'],
    ]);
    expect(issues({ styles: ['a', 'a'] })).toEqual([
      ['styles[1]', 'duplicate-style', '"a" is listed twice.'],
    ]);
    expect(issues({ styles: ['a b'] })).toEqual([
      [
        'styles[0]',
        'invalid-style-name',
        '"a b" is not a style name: use 1–63 of A–Z, a–z, 0–9, "_", "." and "-".',
      ],
    ]);
  });

  it('every problem at once, in input order', () => {
    expect(
      issues({
        rules: [{ prefix: '' }, { suffix: 'ok' }, { prefix: '/x', suffix: '' }],
        extensions: ['x y', 'jpg', 'JPG'],
        delimiters: ['?', '!', '!'],
        styles: ['ok', 'b a', 'ok'],
        extra: 1,
      }).map(([at, code]) => `${at} ${code}`),
    ).toEqual([
      'extra unknown-field',
      'rules[0].prefix empty',
      'rules[2].prefix leading-slash',
      'rules[2].suffix empty',
      'extensions[0] invalid-extension',
      'extensions[2] duplicate-extension',
      'delimiters[0] invalid-delimiter',
      'delimiters[2] duplicate-delimiter',
      'styles[1] invalid-style-name',
      'styles[2] duplicate-style',
    ]);
  });
});

describe('S2 normalisation and immutability', () => {
  it('delimiters sorted as OSS returns them; rule case from the policy unless set', () => {
    const p = definePolicy({
      rules: [{ prefix: 'a/' }, { suffix: '.x', caseInsensitive: false }],
      caseInsensitive: true,
      delimiters: ['_', '/', '-', '!'],
      styles: ['b', 'a'],
    });
    expect(p.delimiters).toEqual(['!', '-', '/', '_']);
    expect(p.rules).toEqual([
      { prefix: 'a/', caseInsensitive: true },
      { suffix: '.x', caseInsensitive: false },
    ]);
    expect(p.styles).toEqual(['b', 'a']);
    expect(Object.keys(p.rules[0] as object)).toEqual(['prefix', 'caseInsensitive']);
    expect(Object.keys(p.rules[1] as object)).toEqual(['suffix', 'caseInsensitive']);
  });

  it('deeply frozen, the input untouched', () => {
    const input = { rules: [{ prefix: 'a/' }], extensions: ['JPG'], styles: ['s'] };
    const p = definePolicy(input);
    for (const part of [p, p.rules, p.rules[0], p.extensions, p.delimiters, p.styles]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(Object.isFrozen(input)).toBe(false);
    expect(input.extensions).toEqual(['JPG']);
    expect(isPolicy(p)).toBe(true);
    expect(isPolicy({ ...p })).toBe(false);
    expect(isPolicy('policy')).toBe(false);
    expect(isPolicy(undefined)).toBe(false);
  });

  it('issues are frozen too', () => {
    const r = validatePolicy({ rules: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.isFrozen(r.issues[0])).toBe(true);
      expect(Object.isFrozen(r.issues[0]?.path)).toBe(true);
    }
  });

  it('input that cannot be read is an issue, never an exception', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    expect(issues(hostile)).toEqual([
      ['(root)', 'unreadable', 'The input could not be read: no keys for you.'],
    ]);
    const throwsString = new Proxy(
      {},
      {
        ownKeys() {
          throw 'plain';
        },
      },
    );
    expect(issues(throwsString)).toEqual([
      ['(root)', 'unreadable', 'The input could not be read: plain.'],
    ]);
    const r = validatePolicy(hostile);
    expect(!r.ok && r.issues[0]?.path).toEqual([]);
    expect(!r.ok && Object.isFrozen(r.issues[0])).toBe(true);
  });
});

describe('PolicyError and formatPath render issues for people', () => {
  it('one problem, several problems', () => {
    const one = (() => {
      try {
        definePolicy({ rules: 1 } as unknown as PolicyInput);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(one).toBeInstanceOf(PolicyError);
    expect(one?.message).toBe(
      'Invalid policy (1 problem):\n  - rules: "rules" must be an array, not a number. [wrong-type]',
    );
    const two = (() => {
      try {
        definePolicy({ rules: 1, styles: 2 } as unknown as PolicyInput);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(two?.message).toBe(
      'Invalid policy (2 problems):\n' +
        '  - rules: "rules" must be an array, not a number. [wrong-type]\n' +
        '  - styles: "styles" must be an array, not a number. [wrong-type]',
    );
    expect(two?.issues.map((i) => i.code)).toEqual(['wrong-type', 'wrong-type']);
  });

  it('formatPath: identifiers with dots, indices in brackets, anything else quoted', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['rules', 3, 'prefix'])).toBe('rules[3].prefix');
    expect(formatPath(['$schema'])).toBe('$schema');
    expect(formatPath(['_a1', 'b$'])).toBe('_a1.b$');
    expect(formatPath(['a-b'])).toBe('["a-b"]');
    expect(formatPath(['x', 'a b', 0])).toBe('x["a b"][0]');
    expect(formatPath(['1a'])).toBe('["1a"]');
    expect(formatPath([''])).toBe('[""]');
    expect(formatPath(['x', 'é'])).toBe('x["é"]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath(['ab-'])).toBe('["ab-"]');
  });
});
