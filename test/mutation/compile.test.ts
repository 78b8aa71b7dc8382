/**
 * The compiled form of a policy (`src/compile/`): one per policy, cached, and never stale. A
 * policy from `definePolicy` is compiled once; a look-alike (parsed JSON, another copy of the
 * package) is validated first; an unfrozen look-alike may change between calls, so what it
 * protects must follow it (SPEC S3: `isProtected` is a pure function of its inputs).
 */
import { describe, expect, it, vi } from 'vitest';
import { compiled } from '../../src/compile/index.js';
import {
  definePolicy,
  evaluate,
  isPolicy,
  isProtected,
  type Policy,
  PolicyError,
} from '../../src/index.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

describe('compiled(policy)', () => {
  it('a missing policy is a PolicyError, also as the first policy a fresh module sees', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    const missing = undefined as unknown as Policy;
    expect(() => fresh.isProtected('a.jpg', missing)).toThrow(fresh.PolicyError);
    expect(() => fresh.isProtected('a.jpg', missing)).toThrow(/must be a JSON object/);
    expect(() => fresh.evaluate({ url: '/a.jpg' }, missing)).toThrow(fresh.PolicyError);
  });

  it('is made once per policy, also when policies alternate', () => {
    const a = definePolicy({ rules: [{ prefix: 'a/' }] });
    const b = definePolicy({ rules: [{ prefix: 'b/' }], delimiters: ['!'], styles: ['s'] });
    const ca = compiled(a);
    const cb = compiled(b);
    expect(ca).not.toBe(cb);
    expect(compiled(a)).toBe(ca);
    expect(compiled(b)).toBe(cb);
    expect(compiled(b)).toBe(cb);
    expect(compiled(a)).toBe(ca);
    expect(ca.policy).toBe(a);
    expect(cb.styles.catalogue).toEqual(new Set(['s']));
    // Each serves its own policy, whichever was compiled last.
    expect(isProtected('a/x', a)).toBe(true);
    expect(isProtected('a/x', b)).toBe(false);
    expect(isProtected('b/x', a)).toBe(false);
    expect(isProtected('b/x', b)).toBe(true);
  });

  it('validates a look-alike: the compiled policy is a real, frozen one', () => {
    const defined = definePolicy({ rules: [{ prefix: 'Image/', caseInsensitive: true }] });
    const lookAlike = JSON.parse(JSON.stringify(defined)) as Policy;
    expect(isPolicy(lookAlike)).toBe(false);
    const c = compiled(lookAlike);
    expect(isPolicy(c.policy)).toBe(true);
    expect(c.policy).not.toBe(lookAlike);
    expect(c.policy).toEqual(defined);
    expect(isProtected('image/a.gif', lookAlike)).toBe(true);
  });

  it('an invalid look-alike throws PolicyError, every time', () => {
    const bad = { rules: [{ prefix: '/x' }], caseInsensitive: false } as unknown as Policy;
    expect(() => compiled(bad)).toThrow(PolicyError);
    expect(() => compiled(bad)).toThrow(PolicyError);
    expect(() => isProtected('x', bad)).toThrow(PolicyError);
  });

  it('an unfrozen look-alike is read afresh: a change to it is seen at once', () => {
    const lookAlike = {
      rules: [{ prefix: 'a/' }],
      caseInsensitive: false,
      extensions: [] as string[],
      delimiters: [],
    } as unknown as { rules: { prefix: string }[]; extensions: string[] } & Policy;
    expect(isProtected('b/x.jpg', lookAlike)).toBe(false);
    expect(compiled(lookAlike)).not.toBe(compiled(lookAlike));
    lookAlike.rules.push({ prefix: 'b/' });
    expect(isProtected('b/x.jpg', lookAlike)).toBe(true);
    lookAlike.extensions.push('png');
    expect(isProtected('c/x.png', lookAlike)).toBe(true);
    expect(evaluate({ url: `${H}/c/x.png` }, lookAlike)).toMatchObject({ allow: false });
    lookAlike.rules.length = 0;
    lookAlike.extensions.length = 0;
    expect(isProtected('b/x.jpg', lookAlike)).toBe(false);
    expect(evaluate({ url: `${H}/c/x.png` }, lookAlike)).toMatchObject({ allow: true });
  });

  it('a frozen look-alike is validated once and cached', () => {
    const frozen = Object.freeze({
      rules: Object.freeze([Object.freeze({ prefix: 'f/' })]),
      caseInsensitive: false,
      extensions: Object.freeze([]),
      delimiters: Object.freeze([]),
    }) as unknown as Policy;
    const first = compiled(frozen);
    compiled(definePolicy({}));
    expect(compiled(frozen)).toBe(first);
    expect(isProtected('f/1', frozen)).toBe(true);
  });
});
