import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import exampleFile from '../docs/example-policy.json' with { type: 'json' };
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import {
  definePolicy,
  formatPath,
  isPolicy,
  PolicyError,
  type PolicyInput,
  validatePolicy,
} from '../src/index.js';
import { policyCases } from './cases/policy.js';
import { policyInputArb } from './support/arbitraries.js';
import { runs } from './support/runs.js';

describe('S2 policy case table', () => {
  for (const row of policyCases) {
    it(row.clause, () => {
      const result = validatePolicy(row.input);
      if ('policy' in row) {
        expect(result.ok, JSON.stringify(!result.ok && result.issues)).toBe(true);
        if (result.ok && row.exact) expect(result.policy).toStrictEqual(row.policy);
        else if (result.ok) expect(result.policy).toMatchObject(row.policy);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.issues.map((i) => ({ code: i.code, path: i.path }))).toEqual(row.issues);
          for (const i of result.issues) {
            expect(i.at).toBe(formatPath(i.path));
            expect(i.message.length).toBeGreaterThan(10);
          }
        }
      }
    });
  }
});

describe('definePolicy', () => {
  it('throws PolicyError listing every issue in .issues and in the message', () => {
    const bad = { rules: [{ prefix: '/a' }], extensions: ['x y'] } as unknown as PolicyInput;
    let error: unknown;
    try {
      definePolicy(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const e = error as PolicyError;
    expect(e.name).toBe('PolicyError');
    expect(e.issues.map((i) => i.code)).toEqual(['leading-slash', 'invalid-extension']);
    expect(e.message).toContain('rules[0].prefix');
    expect(e.message).toContain('extensions[0]');
    expect(e.message).toMatch(/^Invalid policy \(2 problems\)/);
  });

  it('returns a branded policy that isPolicy recognises, unlike a look-alike', () => {
    const policy = definePolicy({ rules: [{ prefix: 'a/' }] });
    expect(isPolicy(policy)).toBe(true);
    expect(isPolicy(JSON.parse(JSON.stringify(policy)))).toBe(false);
    expect(isPolicy(null)).toBe(false);
  });

  it('the embedded example policy equals docs/example-policy.json', () => {
    const { $schema: _, ...file } = exampleFile as Record<string, unknown>;
    expect(file).toEqual(EXAMPLE_POLICY);
    expect(validatePolicy(exampleFile).ok).toBe(true);
  });
});

describe('formatPath', () => {
  it.each([
    [[], '(root)'],
    [['rules', 3, 'prefix'], 'rules[3].prefix'],
    [['extensions', 0], 'extensions[0]'],
    [['weird key'], '["weird key"]'],
    [['rules', 0, 'a.b'], 'rules[0]["a.b"]'],
  ] as const)('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('S2 properties', () => {
  it('validatePolicy never throws on JSON-like values and never touches Object.prototype', () => {
    const protoKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
    const before = protoKeys();
    const nasty = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'rules', 'toString'),
        fc.jsonValue(),
        {
          maxKeys: 4,
        },
      ),
      fc.constantFrom(
        JSON.parse('{"__proto__": {"polluted": 1}, "rules": [{"__proto__": {"prefix": "x"}}]}'),
        JSON.parse('{"rules": {"length": 1e9}}'),
        { rules: [{ prefix: 'x'.repeat(1_000_000) }], styles: ['y'.repeat(1_000_000)] },
        JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`),
        JSON.parse(`{"rules":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      ),
      fc.anything(),
    );
    fc.assert(
      fc.property(nasty, (input) => {
        const result = validatePolicy(input);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(({} as Record<string, unknown>).prefix).toBeUndefined();
      }),
      { numRuns: runs(3000) },
    );
    expect(protoKeys()).toEqual(before);
  });

  it('validatePolicy reports, never throws, on input that throws when read', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    const result = validatePolicy(hostile);
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'unreadable', path: [] }] });
  });

  it('a valid policy survives a JSON round-trip through definePolicy unchanged', () => {
    fc.assert(
      fc.property(policyInputArb, (input) => {
        const policy = definePolicy(input);
        const again = definePolicy(JSON.parse(JSON.stringify(policy)));
        expect(again).toEqual(policy);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('definePolicy output is deeply frozen and normalised', () => {
    fc.assert(
      fc.property(policyInputArb, (input) => {
        const policy = definePolicy(input);
        expect(isDeepFrozen(policy)).toBe(true);
        for (const e of policy.extensions) expect(e).toMatch(/^(?:\*|[a-z0-9]{1,16})$/);
        expect([...policy.delimiters].sort()).toEqual(policy.delimiters);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('definePolicy does not keep references to the caller’s arrays', () => {
    const rules = [{ prefix: 'a/' }];
    const policy = definePolicy({ rules });
    rules.push({ prefix: 'b/' });
    expect(policy.rules).toHaveLength(1);
  });
});
