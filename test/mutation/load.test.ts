/**
 * Every entry point evaluates, in a fresh module graph, and offers its API. The imports are
 * dynamic on purpose: a module that throws while it loads (a broken table built at import time)
 * then fails this test, where a static import would fail the whole file before any test ran,
 * which a mutation run does not count as a failing test.
 */
import { describe, expect, it, vi } from 'vitest';

describe('the entry points load', () => {
  it('oss-source-guard', async () => {
    vi.resetModules();
    const core = await import('../../src/index.js');
    for (const name of [
      'definePolicy',
      'validatePolicy',
      'isProtected',
      'parseRequestUrl',
      'detectSignature',
      'isAnonymous',
      'evaluate',
      'errorResponse',
      'styleUrl',
      'lintPolicy',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
    // Loaded and working: the tables built at import time are in place.
    expect(
      core.detectSignature({ url: '/a.jpg?OSSAccessKeyId=ak&Expires=1&Signature=c2ln' }),
    ).toMatchObject({ kind: 'signed', scheme: 'oss-v1' });
    expect(core.isAnonymous({ url: '/a.jpg' })).toBe(true);
    expect(core.DELIMITERS).toEqual(['!', '-', '/', '_']);
  });

  it('oss-source-guard/verify', async () => {
    vi.resetModules();
    const verify = await import('../../src/verify/index.js');
    expect(typeof verify.verifySignature).toBe('function');
    expect(typeof verify.verifyAndEvaluate).toBe('function');
  });
});
