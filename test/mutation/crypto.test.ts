/**
 * The byte helpers of signature verification (SPEC S8, `src/verify/crypto.ts`, `result.ts`) at
 * their edges: UTF-8 of every width and of lone surrogates (hashed as U+FFFD, as the SDKs'
 * `TextEncoder`/`Buffer` do), runtimes without Web Crypto, keys that cannot be exported, the
 * key cache after a failed derivation, and results that carry an EC only where OSS has one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  constantTimeEqual,
  hmacKey,
  KeyCache,
  sha256Hex,
  sign,
  utf8,
} from '../../src/verify/crypto.js';
import { verifySignature } from '../../src/verify/index.js';

const encoder = new TextEncoder();

describe('utf8 agrees with TextEncoder', () => {
  const edges = [
    '\u007f',
    '\u0080',
    '\u07ff',
    '\u0800',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '\u{10000}',
    '\u{10ffff}',
    '\u{1f600}',
  ];
  const lone = [
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\ud800a',
    'a\udfff',
    '\udc00\udc00',
    '\udfff\udfff',
    '\ud800\ud800',
    '\udbff\udbff\udfff',
    '\udc00\ud800',
    '\ud800\udbff',
    '\ud800\u{e000}',
    '\ud800\udbffx',
  ];

  it('on every width of character', () => {
    for (const c of edges) {
      for (const s of [c, `a${c}b`, c + c]) {
        expect([...utf8(s)], JSON.stringify(s)).toEqual([...encoder.encode(s)]);
      }
    }
  });

  it('on lone surrogates and surrogates in the wrong order (U+FFFD each)', () => {
    for (const s of lone) expect([...utf8(s)], JSON.stringify(s)).toEqual([...encoder.encode(s)]);
    expect([...utf8('\udfff')]).toEqual([0xef, 0xbf, 0xbd]);
    expect([...utf8('\ud800\udc00')]).toEqual([0xf0, 0x90, 0x80, 0x80]);
    expect([...utf8('\udbff\udfff')]).toEqual([0xf4, 0x8f, 0xbf, 0xbf]);
  });
});

describe('Web Crypto', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a runtime without it gets a TypeError that names what is missing', async () => {
    for (const crypto of [undefined, {}]) {
      vi.stubGlobal('crypto', crypto);
      await expect(sha256Hex(utf8('x'))).rejects.toThrow(TypeError);
      await expect(sha256Hex(utf8('x'))).rejects.toThrow(
        'oss-source-guard/verify needs Web Crypto (globalThis.crypto.subtle), which this runtime does not provide.',
      );
      expect(() => hmacKey('SHA-256', utf8('k'))).toThrow(/needs Web Crypto/);
    }
  });

  it('HMAC keys are for signing only and cannot be exported', async () => {
    const key = await hmacKey('SHA-256', utf8('secret'));
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    const empty = await hmacKey('SHA-1', utf8(''));
    expect(empty.extractable).toBe(false);
    expect((await sign(empty, utf8('data'))).length).toBe(20);
  });
});

describe('KeyCache', () => {
  const fakeKey = (n: number) => ({ n }) as unknown as CryptoKey;

  it('a failed derivation that was already evicted does not remove the good key that replaced it', async () => {
    const cache = new KeyCache(1);
    let reject!: (e: Error) => void;
    const failing = new Promise<CryptoKey>((_, r) => {
      reject = r;
    });
    const first = cache.get('a', () => failing);
    cache.get('b', async () => fakeKey(2)); // evicts a
    let derived = 0;
    const good = cache.get('a', async () => fakeKey(++derived)); // a again, evicts b
    reject(new Error('no'));
    await expect(first).rejects.toThrow('no');
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.get('a', async () => fakeKey(++derived))).toBe(good);
    expect(derived).toBe(1);
    expect(await good).toEqual(fakeKey(1));
  });
});

describe('constantTimeEqual', () => {
  it('is equality, whatever the lengths', () => {
    for (const [a, b] of [
      ['', ''],
      ['a', 'a'],
      ['ab', 'a'],
      ['a', 'ab'],
      ['a\u0000', 'a'],
      ['a', 'a\u0000'],
      ['abc', 'abd'],
      ['\u0000', ''],
    ] as const) {
      expect(constantTimeEqual(a, b), JSON.stringify([a, b])).toBe(a === b);
    }
  });
});

describe('verification failures carry an EC only where OSS documents one', () => {
  const NOW = new Date(Date.UTC(2026, 10, 28, 0, 30, 0));
  it('an unknown AccessKeyId: InvalidAccessKeyId, no ec field', async () => {
    const result = await verifySignature(
      {
        url: 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a.jpg',
        headers: { authorization: 'OSS nobody:c2lnbmF0dXJl', date: NOW.toUTCString() },
      },
      { getSecret: () => undefined, now: NOW },
    );
    expect(result).toStrictEqual({
      valid: false,
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The OSS Access Key Id you provided does not exist in our records.',
    });
  });
});
