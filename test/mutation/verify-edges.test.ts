/**
 * Edges of SPEC S8 the other verify kill tests leave: the stable order of a repeated V1
 * sub-resource, which malformed signatures get OSS's specific answers (V4 `x-oss-expires` out of
 * range, a V4 header request without a valid date) and which keep detection's message, the
 * bucket map's exact-key rule, and the message for missing options. Loaded afresh per test, as in
 * test/mutation/verify.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RequestLike } from '../../src/index.js';
import type { VerifyOptions } from '../../src/verify/index.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = new Date('2024-05-17T08:30:00Z');
const HEX = 'ab'.repeat(32);
const RANGE = 'x-oss-expires must be a number of seconds from 1 to 604800.';
const NO_VALID_DATE = 'OSS authentication requires a valid Date.';

async function load() {
  vi.resetModules();
  const [verify, index] = await Promise.all([
    import('../../src/verify/verify.js'),
    import('../../src/verify/index.js'),
  ]);
  const plan = (request: RequestLike, options: object = {}) =>
    verify.planFor(request, { now: NOW, ...options }) as {
      signed?: string;
      message?: string;
      code?: string;
    };
  return { plan, verifySignature: index.verifySignature };
}

describe('S8 V1 a repeated sub-resource keeps its order (the sort is stable)', () => {
  it('S8 versionId=2 before versionId=1 stays so', async () => {
    const { plan } = await load();
    const url = `https://${HOST}/a.jpg?versionId=2&OSSAccessKeyId=ak&Expires=1715935800&Signature=c2ln&acl&versionId=1`;
    expect(plan({ url }).signed?.split('\n').at(-1)).toBe(
      '/examplebucket/a.jpg?acl&versionId=2&versionId=1',
    );
  });
});

describe('S8 malformed signatures: OSS-specific answers only where OSS gives them', () => {
  const v4q = (
    extra: string,
    credential = `ak%2F20240517%2Fcn-hangzhou%2Foss%2Faliyun_v4_request`,
  ) =>
    `https://${HOST}/a.jpg?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=${credential}&x-oss-date=20240517T083000Z&x-oss-signature=${HEX}${extra}`;
  const badCredential = 'ak%2F20240517%2Fcn-hangzhou%2Foss';
  const rows: [string, RequestLike, 'range' | 'date' | 'detection'][] = [
    ['V4 query, x-oss-expires=0', { url: v4q('&x-oss-expires=0') }, 'range'],
    ['V4 query, x-oss-expires missing', { url: v4q('') }, 'detection'],
    ['V4 query, x-oss-expires=1e9 (not digits)', { url: v4q('&x-oss-expires=1e9') }, 'detection'],
    ['V4 query, x-oss-expires=-1', { url: v4q('&x-oss-expires=-1') }, 'detection'],
    ['V4 query, x-oss-expires="0 "', { url: v4q('&x-oss-expires=0%20') }, 'detection'],
    [
      'V4 query, malformed credential, x-oss-expires=1',
      { url: v4q('&x-oss-expires=1', badCredential) },
      'detection',
    ],
    [
      'V4 query, malformed credential, x-oss-expires=604800',
      { url: v4q('&x-oss-expires=604800', badCredential) },
      'detection',
    ],
    [
      'V4 header, malformed credential, a valid x-oss-date, x-oss-expires=0 in the query',
      {
        url: `https://${HOST}/a.jpg?x-oss-expires=0`,
        headers: {
          'x-oss-date': '20240517T083000Z',
          authorization: `OSS4-HMAC-SHA256 Credential=ak/20240517/cn-hangzhou/oss,Signature=${HEX}`,
        },
      },
      'detection',
    ],
    [
      'V4 header, malformed credential, a valid Date header',
      {
        url: `https://${HOST}/a.jpg`,
        headers: {
          date: 'Fri, 17 May 2024 08:30:00 GMT',
          authorization: `OSS4-HMAC-SHA256 Credential=ak/20240517/cn-hangzhou/oss,Signature=${HEX}`,
        },
      },
      'detection',
    ],
    [
      'V4 header, no date at all',
      {
        url: `https://${HOST}/a.jpg`,
        headers: {
          authorization: `OSS4-HMAC-SHA256 Credential=ak/20240517/cn-hangzhou/oss/aliyun_v4_request,Signature=${HEX}`,
        },
      },
      'date',
    ],
    [
      'V1 header, malformed, no date',
      { url: `https://${HOST}/a.jpg`, headers: { authorization: 'OSS ak' } },
      'detection',
    ],
  ];
  for (const [name, request, answer] of rows) {
    it(`S8 ${name}: ${answer === 'detection' ? "detection's message" : answer}`, async () => {
      const { verifySignature } = await load();
      const r = (await verifySignature(request, { getSecret: () => 'sk', now: NOW })) as {
        valid: boolean;
        status: number;
        code: string;
        message: string;
        ec?: string;
      };
      expect(r).toMatchObject({ valid: false, status: 403, code: 'AccessDenied' });
      // OSS's own answers carry an EC; detection's messages carry none.
      if (answer === 'range') expect(r).toMatchObject({ message: RANGE, ec: '0002-00000232' });
      else if (answer === 'date')
        expect(r).toMatchObject({ message: NO_VALID_DATE, ec: '0002-00000503' });
      else expect(r).not.toHaveProperty('ec');
    });
  }
});

describe('S8 R2 the bucket map: an exact key first, else any letter case', () => {
  const url = `https://img.example.com/a.jpg?OSSAccessKeyId=ak&Expires=1715935800&Signature=c2ln`;
  const rows: [string, Record<string, string>, string][] = [
    [
      'the exact key wins over a case variant before it',
      { 'IMG.example.com': 'x', 'img.example.com': 'y' },
      '/y/a.jpg',
    ],
    [
      'a case variant after an unrelated host',
      { 'other.example.com': 'no', 'Img.Example.com': 'b2' },
      '/b2/a.jpg',
    ],
  ];
  for (const [name, buckets, resource] of rows) {
    it(`S8 R2 ${name}`, async () => {
      const { plan } = await load();
      expect(plan({ url }, { buckets }).signed?.split('\n').at(-1)).toBe(resource);
    });
  }

  it('S8 R2 a request without a host uses bucket, whatever the map holds', async () => {
    const { plan } = await load();
    const relative = '/a.jpg?OSSAccessKeyId=ak&Expires=1715935800&Signature=c2ln';
    expect(
      plan({ url: relative }, { buckets: { undefined: 'x' }, bucket: 'b' })
        .signed?.split('\n')
        .at(-1),
    ).toBe('/b/a.jpg');
  });
});

describe('S8 options', () => {
  it('no options at all: the getSecret message', async () => {
    const { verifySignature } = await load();
    await expect(
      verifySignature({ url: '/a.jpg' }, undefined as unknown as VerifyOptions),
    ).rejects.toThrow(new TypeError('verifySignature: options.getSecret must be a function.'));
  });
});
