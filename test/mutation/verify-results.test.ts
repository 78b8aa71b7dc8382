/**
 * Every answer `verifySignature` gives (SPEC S8 and its R2 refusals), as exact objects: status,
 * OSS code, message and EC where OSS documents one; the option checks; the bucket a custom domain
 * maps to. Each test loads `src/verify/` afresh, so the failure objects built when the module
 * loads are checked too (see test/mutation/verify.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import type { RequestLike } from '../../src/index.js';
import type { VerifyOptions } from '../../src/verify/index.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const NOW = new Date('2024-05-17T08:30:00Z');
const HEX = 'ab'.repeat(32);
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const v1 = (expires = 1715935800, host = HOST) =>
  `https://${host}/a.jpg?OSSAccessKeyId=ak&Expires=${expires}&Signature=c2ln`;
const v4 = ({
  date = '20240517T083000Z',
  day = '20240517',
  region = 'cn-hangzhou',
  expires = '3600',
} = {}) =>
  `https://${HOST}/a.jpg?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F${day}%2F${region}%2Foss%2Faliyun_v4_request&x-oss-date=${date}&x-oss-expires=${expires}&x-oss-signature=${HEX}`;
const denied = (message: string, ec?: string) => ({
  valid: false,
  status: 403,
  code: 'AccessDenied',
  message,
  ...(ec === undefined ? {} : { ec }),
});

async function verify(request: RequestLike, options: Partial<VerifyOptions> = {}) {
  vi.resetModules();
  const { verifySignature } = await import('../../src/verify/index.js');
  return verifySignature(request, { getSecret: () => 'sk', now: NOW, ...options });
}

describe('S8 every failure, exactly (case table)', () => {
  const rows: [string, RequestLike, Partial<VerifyOptions>, object][] = [
    [
      'V1 signature mismatch',
      { url: v1() },
      {},
      {
        valid: false,
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: MISMATCH,
        ec: '0002-00000040',
      },
    ],
    [
      'V4 signature mismatch',
      { url: v4() },
      {},
      {
        valid: false,
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: MISMATCH,
        ec: '0002-00000201',
      },
    ],
    [
      'an unknown AccessKeyId',
      { url: v1() },
      { getSecret: () => undefined },
      {
        valid: false,
        status: 403,
        code: 'InvalidAccessKeyId',
        message: 'The OSS Access Key Id you provided does not exist in our records.',
      },
    ],
    ['V1 expired', { url: v1(1715934599) }, {}, denied('Request has expired.', '0002-00000069')],
    ['V4 expired', { url: v4({ date: '20240517T072959Z' }) }, {}, denied('Request has expired.')],
    [
      'V4 not valid yet',
      { url: v4({ date: '20240517T084501Z' }) },
      {},
      denied(
        'Request is not valid yet: x-oss-date is later than the current time.',
        '0002-00000235',
      ),
    ],
    ...['0', '604801'].map((expires): [string, RequestLike, Partial<VerifyOptions>, object] => [
      `V4 x-oss-expires=${expires}`,
      { url: v4({ expires }) },
      {},
      denied('x-oss-expires must be a number of seconds from 1 to 604800.', '0002-00000232'),
    ]),
    [
      'V4 credential day not the x-oss-date day',
      { url: v4({ day: '20240516' }) },
      {},
      denied('Invalid credential date: the date in the credential is not the day of x-oss-date.'),
    ],
    [
      'V4 credential region not the endpoint region',
      { url: v4({ region: 'cn-beijing' }) },
      {},
      denied(
        'Invalid credential region: the credential names "cn-beijing", the endpoint is in "cn-hangzhou".',
      ),
    ],
    [
      'V4 header form, credential day not the Date header day',
      {
        url: `https://${HOST}/a.jpg`,
        headers: {
          date: 'Fri, 17 May 2024 08:30:00 GMT',
          authorization: `OSS4-HMAC-SHA256 Credential=ak/20240516/cn-hangzhou/oss/aliyun_v4_request,Signature=${HEX}`,
        },
      },
      {},
      denied(
        'Invalid credential date: the date in the credential is not the day of the Date header.',
      ),
    ],
    [
      'V1 header form too far from now',
      {
        url: `https://${HOST}/a.jpg`,
        headers: { 'x-oss-date': 'Fri, 17 May 2024 09:30:00 GMT', authorization: 'OSS ak:c2ln' },
      },
      {},
      {
        valid: false,
        status: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
        ec: '0002-00000504',
      },
    ],
    [
      'V1 header form without a date',
      { url: `https://${HOST}/a.jpg`, headers: { authorization: 'OSS ak:c2ln' } },
      {},
      denied('OSS authentication requires a valid Date.', '0002-00000503'),
    ],
    [
      'V1 header form with a date that is none',
      {
        url: `https://${HOST}/a.jpg`,
        headers: { date: 'yesterday', authorization: 'OSS ak:c2ln' },
      },
      {},
      denied('OSS authentication requires a valid Date.', '0002-00000502'),
    ],
    [
      'no signature',
      { url: `https://${HOST}/a.jpg` },
      {},
      denied('The request carries no signature to verify.'),
    ],
    [
      'a custom domain without a configured bucket',
      { url: v1(1715935800, 'img.example.com') },
      {},
      denied(
        'The bucket of the request is unknown, so its signature cannot be verified; pass `bucket` or `buckets` for custom domains.',
      ),
    ],
    [
      'OSS V2 is not verified here',
      {
        url: `https://${HOST}/a.jpg?x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-expires=2000000000&x-oss-signature=c2ln`,
      },
      {},
      denied('The signature scheme oss-v2 cannot be verified here.'),
    ],
    [
      'a request whose headers cannot be read',
      {
        url: v1(),
        headers: new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no');
            },
          },
        ) as RequestLike['headers'],
      },
      {},
      {
        valid: false,
        status: 400,
        code: 'InvalidRequest',
        message: 'The request could not be read.',
      },
    ],
  ];
  for (const [name, request, options, expected] of rows) {
    it(`S8 ${name}`, async () => {
      expect(await verify(request, options)).toEqual(expected);
    });
  }

  it('S8 x-oss-expires of 1 and 604800 are in range (the signature is then checked)', async () => {
    for (const expires of ['1', '604800'])
      expect(await verify({ url: v4({ expires }) })).toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
  });

  it("S5 R2 a malformed V1 query with x-oss-expires=0 gets detection's message, not the V4 range one", async () => {
    const r = await verify({
      url: `https://${HOST}/a.jpg?OSSAccessKeyId=ak&Signature=c2ln&x-oss-expires=0`,
    });
    expect(r).toMatchObject({ valid: false, code: 'AccessDenied' });
    expect((r as { message: string }).message).not.toMatch(/x-oss-expires must be/);
  });
});

describe('S8 options', () => {
  it('are checked: getSecret a function, now a valid Date, clockSkewSeconds a number ≥ 0', async () => {
    vi.resetModules();
    const { verifySignature } = await import('../../src/verify/index.js');
    const request = { url: v1() };
    const rows: [object, string][] = [
      [{ now: NOW }, 'verifySignature: options.getSecret must be a function.'],
      [
        { getSecret: () => 'sk', now: new Date(Number.NaN) },
        'verifySignature: options.now must be a valid Date.',
      ],
      [
        { getSecret: () => 'sk', now: NOW, clockSkewSeconds: -1 },
        'verifySignature: options.clockSkewSeconds must be a number ≥ 0.',
      ],
    ];
    for (const [options, message] of rows)
      await expect(verifySignature(request, options as VerifyOptions)).rejects.toThrow(
        new TypeError(message),
      );
    await expect(verifySignature(request, undefined as unknown as VerifyOptions)).rejects.toThrow(
      TypeError,
    );
    // 0 is a valid skew: a header request must then be exactly on time.
    const header = {
      url: `https://${HOST}/a.jpg`,
      headers: { 'x-oss-date': 'Fri, 17 May 2024 08:30:00 GMT', authorization: 'OSS ak:c2ln' },
    };
    expect(
      await verifySignature(header, { getSecret: () => 'sk', now: NOW, clockSkewSeconds: 0 }),
    ).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });

  it('S8 R2 buckets maps a custom domain, its host in any case; a Map may hold other keys', async () => {
    const request = { url: v1(1715935800, 'IMG.example.com') };
    const bucketOf = async (options: Partial<VerifyOptions>) => {
      vi.resetModules();
      const { planFor } = await import('../../src/verify/verify.js');
      const plan = planFor(request, { now: NOW, ...options }) as {
        signed?: string;
        message?: string;
      };
      return plan.signed?.split('\n').at(-1) ?? plan.message;
    };
    expect(await bucketOf({ buckets: { 'img.example.com': 'b1' } })).toBe('/b1/a.jpg');
    expect(await bucketOf({ buckets: { 'Img.Example.com': 'b2' } })).toBe('/b2/a.jpg');
    expect(
      await bucketOf({
        buckets: new Map<unknown, string>([
          [1, 'no'],
          ['IMG.EXAMPLE.COM', 'b3'],
        ]) as VerifyOptions['buckets'],
      }),
    ).toBe('/b3/a.jpg');
    expect(await bucketOf({ buckets: new Map([['other.example.com', 'no']]), bucket: 'b4' })).toBe(
      '/b4/a.jpg',
    );
    expect(
      await bucketOf({ buckets: null as unknown as VerifyOptions['buckets'], bucket: 'b5' }),
    ).toBe('/b5/a.jpg');
  });
});
