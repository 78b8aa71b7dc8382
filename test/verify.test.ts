/**
 * SPEC S8: the published vectors, the byte helpers against Node's, every failure code, the
 * properties (never throws; one secret never verifies another's signature), and
 * verifyAndEvaluate against evaluate.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/decision/evaluate.js';
import { errorResponse } from '../src/decision/response.js';
import { definePolicy } from '../src/policy/validate.js';
import { headerNames, type RequestLike } from '../src/request/access.js';
import { parseHttpDate } from '../src/signature/dates.js';
import {
  base64,
  constantTimeEqual,
  hex,
  hmac,
  KeyCache,
  sha256Hex,
  utf8,
} from '../src/verify/crypto.js';
import { type VerifyOptions, verifyAndEvaluate, verifySignature } from '../src/verify/index.js';
import type { Plan } from '../src/verify/result.js';
import { canonicalizedResource, v1StringToSign } from '../src/verify/v1.js';
import {
  canonicalQuery,
  canonicalUri,
  uriEncode,
  v4Signature,
  v4StringToSign,
} from '../src/verify/v4.js';
import { planFor } from '../src/verify/verify.js';
import {
  BUCKET,
  httpDate,
  isoBasic,
  keyArb,
  OSS_HOST,
  SIGN_REGION,
  signUtils,
  signV1Header,
  signV4Header,
  target,
} from './support/ali-oss.js';
import { runs } from './support/runs.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const V1_MISMATCH = {
  valid: false,
  status: 403,
  code: 'SignatureDoesNotMatch',
  message: MISMATCH,
  ec: '0002-00000040',
};
const V4_MISMATCH = { ...V1_MISMATCH, ec: '0002-00000201' };

const plan = (request: RequestLike, now: Date, extra: object = {}) =>
  planFor(request, { now, ...extra }) as Plan;

describe('published vectors (S8)', () => {
  it('V1 header: the string to sign and kSHKmLxlyEAKtZPkJhG9bZb5k7M=', async () => {
    const date = 'Wed, 28 Dec 2022 10:27:41 GMT';
    const request: RequestLike = {
      method: 'PUT',
      url: '/nelson',
      headers: {
        host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
        'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
        'content-type': 'text/html',
        date,
        'x-oss-date': date,
        'x-oss-meta-author': 'alice',
        'x-oss-meta-magic': 'abracadabra',
        authorization: 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=',
      },
    };
    const now = new Date(date);
    const p = plan(request, now);
    expect(p.signed).toBe(
      'PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\nWed, 28 Dec 2022 10:27:41 GMT\nx-oss-date:Wed, 28 Dec 2022 10:27:41 GMT\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson',
    );
    expect(await p.sign('sk')).toBe('kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
    expect(await verifySignature(request, { getSecret: () => 'sk', now })).toEqual({
      valid: true,
      accessKeyId: 'ak',
      scheme: 'oss-v1',
      location: 'header',
    });
  });

  it('V1 query: the string to sign and dcLTea+Yh9ApirQ8o8dOPqtvJXQ=', async () => {
    const request: RequestLike = {
      url: 'https://bucket.oss-cn-hangzhou.aliyuncs.com/key?versionId=versionId&OSSAccessKeyId=ak&Expires=1699807420&Signature=dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D',
    };
    const now = new Date(1699807420_000);
    expect(
      v1StringToSign({
        method: 'GET',
        contentMd5: '',
        contentType: '',
        time: '1699807420',
        ossHeaders: '',
        resource: canonicalizedResource('bucket', 'key', [['versionId', 'versionId']]),
      }),
    ).toBe('GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
    const p = plan(request, now);
    expect(p.signed).toBe('GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
    expect(await p.sign('sk')).toBe('dcLTea+Yh9ApirQ8o8dOPqtvJXQ=');
    expect(await verifySignature(request, { getSecret: () => 'sk', now })).toMatchObject({
      valid: true,
      location: 'query',
    });
  });

  it('V4 header: canonical URI, canonical query and e21d18da…', async () => {
    const query = 'param1=value1&+param1=value3&|param1=value4&+param2&|param2&param2';
    // On the wire `+` and `|` are escaped: a raw `+` in a query is a space (S4 R2).
    const wire = 'param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2';
    const time = new Date(1702743657_000);
    const request: RequestLike = {
      method: 'PUT',
      url: `/1234+-/123/1.txt?${wire}`,
      headers: {
        host: 'bucket.oss-cn-hangzhou.aliyuncs.com',
        'content-type': 'text/plain',
        'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
        'x-oss-date': isoBasic(time),
        'x-oss-head1': 'value',
        authorization:
          'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
      },
    };
    expect(canonicalUri('bucket', '1234+-/123/1.txt')).toBe('/bucket/1234%2B-/123/1.txt');
    const decoded = query.split('&').map((p) => {
      const [n, v] = p.split('=');
      return [n as string, v ?? ''] as const;
    });
    expect(canonicalQuery(decoded)).toBe(
      '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
    );
    const p = plan(request, time);
    expect(p.signed).toBe(
      [
        'PUT',
        '/bucket/1234%2B-/123/1.txt',
        '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
        'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n',
        '',
        'UNSIGNED-PAYLOAD',
      ].join('\n'),
    );
    expect(await p.sign('sk')).toBe(
      'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
    const sts = await v4StringToSign('20231216T162057Z', 'cn-hangzhou', p.signed);
    expect(await v4Signature('sk', '20231216', 'cn-hangzhou', sts)).toBe(
      'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
    expect(await verifySignature(request, { getSecret: () => 'sk', now: time })).toEqual({
      valid: true,
      accessKeyId: 'ak',
      scheme: 'oss-v4',
      location: 'header',
    });
  });
});

describe('byte helpers (Web Crypto only) agree with Node', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  it('utf8, base64, hex', () => {
    fc.assert(
      fc.property(text, (s) => {
        const bytes = utf8(s);
        expect(bytes).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
        expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(hex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
    );
  });

  it('hmac and sha256, including an empty key', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.constantFrom('SHA-1', 'SHA-256') as fc.Arbitrary<'SHA-1' | 'SHA-256'>,
        async (key, data, hash) => {
          const node = createHmac(hash === 'SHA-1' ? 'sha1' : 'sha256', key)
            .update(data)
            .digest('hex');
          expect(hex(await hmac(hash, utf8(key), utf8(data)))).toBe(node);
          expect(await sha256Hex(utf8(data))).toBe(createHash('sha256').update(data).digest('hex'));
        },
      ),
      { numRuns: runs(60) },
    );
  });

  it('constantTimeEqual is string equality', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
    );
    // Equal but for one character anywhere, the last included.
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 70 }), fc.nat(), (a, i) => {
        const at = i % a.length;
        const b = `${a.slice(0, at)}${a[at] === 'x' ? 'y' : 'x'}${a.slice(at + 1)}`;
        expect(constantTimeEqual(b, a)).toBe(false);
      }),
    );
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('uriEncode is RFC 3986 and never throws', () => {
    expect(uriEncode("a b+c!'()*~-_.")).toBe('a%20b%2Bc%21%27%28%29%2A~-_.');
    expect(uriEncode('\ud800x')).toBe('%EF%BF%BDx');
  });

  it('parseHttpDate is strict', () => {
    expect(parseHttpDate('Wed, 28 Dec 2022 10:27:41 GMT')).toBe(Date.UTC(2022, 11, 28, 10, 27, 41));
    for (const bad of [
      'Wed, 28 Dec 2022 10:27:41 UTC',
      'Wed, 31 Feb 2022 10:27:41 GMT',
      'Wed, 28 Dec 0022 10:27:41 GMT',
      'Wed, 28 Dec 2022 24:00:00 GMT',
      '28 Dec 2022 10:27:41 GMT',
      'Wednesday, 28-Dec-22 10:27:41 GMT',
    ]) {
      expect(parseHttpDate(bad), bad).toBeUndefined();
    }
  });
});

// --- failures, one by one ------------------------------------------------------------------

const AK = 'LTAI5tUnitTestKey';
const SK = 'unit-test-secret';
const AT = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));
const opts = (patch: Partial<VerifyOptions> = {}): VerifyOptions => ({
  getSecret: (id) => (id === AK ? SK : undefined),
  now: AT,
  ...patch,
});

/** A V4 presigned URL (ali-oss's signing code), with its parts adjustable before signing. */
function v4Url(
  p: {
    key?: string;
    date?: string;
    credentialDay?: string;
    region?: string;
    expires?: string;
    host?: string;
  } = {},
): RequestLike {
  const date = p.date ?? isoBasic(AT);
  const region = p.region ?? SIGN_REGION;
  const queries: Record<string, string> = {
    'x-oss-credential': `${AK}/${p.credentialDay ?? date.slice(0, 8)}/${region}/oss/aliyun_v4_request`,
    'x-oss-date': date,
    'x-oss-expires': p.expires ?? '3600',
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
  };
  const key = p.key ?? 'image/cat.jpg';
  // ali-oss signs the date's day in the scope and key; the credential names its own day.
  const authorization = signUtils.authorizationV4(
    AK,
    SK,
    region,
    'GET',
    { headers: {}, queries },
    BUCKET,
    key,
  );
  const signature = /Signature=([0-9a-f]{64})/.exec(authorization)?.[1] as string;
  return {
    method: 'GET',
    url: target(key, { ...queries, 'x-oss-signature': signature }),
    headers: { host: p.host ?? OSS_HOST },
  };
}

function v1Url(p: { expires?: number; key?: string; host?: string } = {}): RequestLike {
  const expires = String(p.expires ?? AT.getTime() / 1000 + 600);
  const key = p.key ?? 'image/cat.jpg';
  const canonical = signUtils.buildCanonicalString(
    'GET',
    `/${BUCKET}/${key}`,
    { headers: {} },
    expires,
  );
  const signature = signUtils.authorization(AK, SK, canonical).split(':')[1] as string;
  return {
    url: target(key, { OSSAccessKeyId: AK, Expires: expires, Signature: signature }),
    headers: { host: p.host ?? OSS_HOST },
  };
}

const accessDenied = (message: string, ec?: string) => ({
  valid: false,
  status: 403,
  code: 'AccessDenied',
  message,
  ...(ec === undefined ? {} : { ec }),
});

describe('verifySignature: each failure has its own code', () => {
  it('sanity: the helpers sign valid requests', async () => {
    expect(await verifySignature(v4Url(), opts())).toMatchObject({ valid: true });
    expect(await verifySignature(v1Url(), opts())).toMatchObject({ valid: true });
  });

  it('an unsigned request → AccessDenied (nothing to verify)', async () => {
    expect(await verifySignature({ url: '/a.jpg', headers: { host: OSS_HOST } }, opts())).toEqual(
      accessDenied('The request carries no signature to verify.'),
    );
  });

  it('a malformed signature → AccessDenied with the detection message', async () => {
    expect(
      await verifySignature({ url: '/a.jpg?Signature=x', headers: { host: OSS_HOST } }, opts()),
    ).toEqual(
      accessDenied(
        'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
      ),
    );
  });

  it('V4 x-oss-expires outside 1–604800 → EC 0002-00000232', async () => {
    for (const expires of ['0', '604801', '999999999']) {
      expect(await verifySignature(v4Url({ expires }), opts()), expires).toEqual(
        accessDenied(
          'x-oss-expires must be a number of seconds from 1 to 604800.',
          '0002-00000232',
        ),
      );
    }
    expect(await verifySignature(v4Url({ expires: '604800' }), opts())).toMatchObject({
      valid: true,
    });
  });

  it('V4 URL: credential day ≠ x-oss-date day → AccessDenied (decision)', async () => {
    expect(await verifySignature(v4Url({ credentialDay: '20240114' }), opts())).toEqual(
      accessDenied(
        'Invalid credential date: the date in the credential is not the day of x-oss-date.',
      ),
    );
  });

  it('V4 header: credential day ≠ x-oss-date day → the same', async () => {
    const r = signV4Header({ method: 'GET', key: 'a.jpg', accessKeyId: AK, secret: SK, at: AT });
    const headers = r.headers as Record<string, string>;
    const forged = {
      ...r,
      headers: {
        ...headers,
        authorization: headers.authorization?.replace('/20240115/', '/20240116/'),
      },
    };
    expect(await verifySignature(forged, opts())).toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('Invalid credential date'),
    });
  });

  it("V4: a credential region other than the endpoint's → AccessDenied; custom domains are not checked", async () => {
    expect(await verifySignature(v4Url({ region: 'cn-beijing' }), opts())).toEqual(
      accessDenied(
        'Invalid credential region: the credential names "cn-beijing", the endpoint is in "cn-hangzhou".',
      ),
    );
    expect(
      await verifySignature(
        v4Url({ region: 'cn-beijing', host: 'img.example.com' }),
        opts({ bucket: BUCKET }),
      ),
    ).toMatchObject({ valid: true });
  });

  it('V4 URL used more than 15 minutes before its x-oss-date → EC 0002-00000235', async () => {
    const at = (ms: number) => opts({ now: new Date(AT.getTime() + ms) });
    expect(await verifySignature(v4Url(), at(-900_000))).toMatchObject({ valid: true });
    expect(await verifySignature(v4Url(), at(-901_000))).toEqual(
      accessDenied(
        'Request is not valid yet: x-oss-date is later than the current time.',
        '0002-00000235',
      ),
    );
  });

  it('V4 URL past x-oss-date + x-oss-expires → AccessDenied "Request has expired." (no EC)', async () => {
    const at = (ms: number) => opts({ now: new Date(AT.getTime() + ms) });
    expect(await verifySignature(v4Url(), at(3_600_000))).toMatchObject({ valid: true });
    expect(await verifySignature(v4Url(), at(3_601_000))).toEqual(
      accessDenied('Request has expired.'),
    );
  });

  it('V1 URL past Expires → AccessDenied "Request has expired." EC 0002-00000069', async () => {
    const at = (ms: number) => opts({ now: new Date(AT.getTime() + ms) });
    expect(await verifySignature(v1Url(), at(600_000))).toMatchObject({ valid: true });
    expect(await verifySignature(v1Url(), at(601_000))).toEqual(
      accessDenied('Request has expired.', '0002-00000069'),
    );
  });

  it('V1 header without Date or x-oss-date → EC 0002-00000503; an unreadable one → 0002-00000502', async () => {
    const r = signV1Header({ method: 'GET', key: 'a.jpg', accessKeyId: AK, secret: SK, at: AT });
    const { 'x-oss-date': _, ...rest } = r.headers as Record<string, string>;
    expect(await verifySignature({ ...r, headers: rest }, opts())).toEqual(
      accessDenied('OSS authentication requires a valid Date.', '0002-00000503'),
    );
    for (const bad of ['yesterday', '2024-01-15T12:00:00Z', 'Mon, 15 Jan 2024 12:00:00 UTC']) {
      expect(await verifySignature({ ...r, headers: { ...rest, date: bad } }, opts()), bad).toEqual(
        accessDenied('OSS authentication requires a valid Date.', '0002-00000502'),
      );
    }
  });

  it('V1 header: x-oss-date may also be yyyymmddTHHMMSSZ; x-oss-date wins when both are sent (S8 R2)', async () => {
    const iso = signV1Header({
      method: 'GET',
      key: 'a.jpg',
      accessKeyId: AK,
      secret: SK,
      at: AT,
      headers: { 'x-oss-date': isoBasic(AT) },
    });
    expect(await verifySignature(iso, opts())).toMatchObject({ valid: true });
    // OSS (and ali-oss, oss2) put x-oss-date in the time line; a Date beside it is unsigned.
    const date = httpDate(AT);
    const hourOff = httpDate(new Date(AT.getTime() + 3_600_000));
    const sign = (time: string) =>
      signUtils.authorization(
        AK,
        SK,
        signUtils.buildCanonicalString(
          'GET',
          `/${BUCKET}/a.jpg`,
          { headers: { 'x-oss-date': date } },
          time,
        ),
      );
    const both = (authorization: string) => ({
      url: '/a.jpg',
      headers: { host: OSS_HOST, date: hourOff, 'x-oss-date': date, authorization },
    });
    expect(await verifySignature(both(sign(date)), opts())).toMatchObject({ valid: true });
    // Signed over the Date header (as the classic Go SDK does): not what OSS signs.
    expect(await verifySignature(both(sign(hourOff)), opts())).toEqual(V1_MISMATCH);
    // The skew is judged on x-oss-date too: a Date within 15 minutes of now does not rescue it.
    const later = opts({ now: new Date(AT.getTime() + 3_600_000) });
    expect(await verifySignature(both(sign(date)), later)).toMatchObject({
      code: 'RequestTimeTooSkewed',
    });
  });

  it('V4 header without (or with an unreadable) x-oss-date → 0002-00000503 / 0002-00000502', async () => {
    const r = signV4Header({ method: 'GET', key: 'a.jpg', accessKeyId: AK, secret: SK, at: AT });
    const { 'x-oss-date': _, ...rest } = r.headers as Record<string, string>;
    expect(await verifySignature({ ...r, headers: rest }, opts())).toEqual(
      accessDenied('OSS authentication requires a valid Date.', '0002-00000503'),
    );
    expect(
      await verifySignature({ ...r, headers: { ...rest, 'x-oss-date': httpDate(AT) } }, opts()),
    ).toEqual(accessDenied('OSS authentication requires a valid Date.', '0002-00000502'));
  });

  it('V4: an additional header the request lacks → AccessDenied; dropping AdditionalHeaders → mismatch', async () => {
    const r = signV4Header({
      method: 'GET',
      key: 'a.jpg',
      accessKeyId: AK,
      secret: SK,
      at: AT,
      headers: { range: 'bytes=0-1' },
      additionalHeaders: ['range'],
    });
    expect(await verifySignature(r, opts())).toMatchObject({ valid: true });
    const headers = r.headers as Record<string, string>;
    const { range: _, ...noRange } = headers;
    expect(await verifySignature({ ...r, headers: noRange }, opts())).toEqual(
      accessDenied('The additional header "range" is signed but not in the request.'),
    );
    const dropped = {
      ...headers,
      authorization: headers.authorization?.replace('AdditionalHeaders=range,', ''),
    };
    expect(await verifySignature({ ...r, headers: dropped }, opts())).toEqual(V4_MISMATCH);
  });

  it('a signature wrong only in its last character does not match', async () => {
    const v4 = v4Url();
    const url = (v4.url as string).replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
    expect(await verifySignature({ ...v4, url }, opts())).toEqual(V4_MISMATCH);
    const v1 = signV1Header({ method: 'GET', key: 'a.jpg', accessKeyId: AK, secret: SK, at: AT });
    const headers = v1.headers as Record<string, string>;
    // The last Base64 character before the padding carries signature bits.
    const authorization = (headers.authorization as string).replace(
      /([A-Za-z0-9+/])(=*)$/,
      (_, c: string, pad: string) => `${c === 'A' ? 'B' : 'A'}${pad}`,
    );
    expect(
      await verifySignature({ ...v1, headers: { ...headers, authorization } }, opts()),
    ).toEqual(V1_MISMATCH);
  });

  it('V4: an upper-case hex signature does not match (every SDK writes lower case)', async () => {
    const r = v4Url();
    const url = (r.url as string).replace(
      /x-oss-signature=([0-9a-f]+)/,
      (_, s: string) => `x-oss-signature=${s.toUpperCase()}`,
    );
    expect(await verifySignature({ ...r, url }, opts())).toEqual(V4_MISMATCH);
  });

  it('schemes it cannot verify fail closed', async () => {
    const requests: [string, RequestLike][] = [
      [
        'oss-v2',
        {
          url: '/a.jpg',
          headers: { host: OSS_HOST, authorization: 'OSS2 AccessKeyId:ak,Signature:c2ln' },
        },
      ],
      [
        'oss-v2',
        {
          url: '/a.jpg?x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-expires=1900000000&x-oss-signature=c2ln',
          headers: { host: OSS_HOST },
        },
      ],
      ['aws-v2', { url: '/a.jpg', headers: { host: OSS_HOST, authorization: 'AWS ak:c2ln' } }],
      [
        'aws-v2',
        {
          url: '/a.jpg?AWSAccessKeyId=ak&Expires=1900000000&Signature=c2ln',
          headers: { host: OSS_HOST },
        },
      ],
      [
        'aws-v4',
        {
          url: '/a.jpg',
          headers: {
            host: OSS_HOST,
            authorization: `AWS4-HMAC-SHA256 Credential=ak/20240115/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=${'0'.repeat(64)}`,
          },
        },
      ],
    ];
    for (const [scheme, request] of requests) {
      expect(await verifySignature(request, opts()), scheme).toEqual(
        accessDenied(`The signature scheme ${scheme} cannot be verified here.`),
      );
    }
  });

  it('no bucket (a custom domain without a mapping) → AccessDenied, fail closed', async () => {
    const r = v1Url({ host: 'img.example.com' });
    expect(await verifySignature(r, opts())).toMatchObject({
      valid: false,
      code: 'AccessDenied',
      message: expect.stringContaining('bucket'),
    });
    expect(
      await verifySignature(r, opts({ buckets: new Map([['IMG.example.com', BUCKET]]) })),
    ).toMatchObject({ valid: true });
    expect(await verifySignature(r, opts({ bucket: BUCKET }))).toMatchObject({ valid: true });
    expect(await verifySignature(r, opts({ bucket: 'otherbucket' }))).toEqual(V1_MISMATCH);
  });

  it('an invalid target → the S4 error', async () => {
    expect(
      await verifySignature({ url: '/a%zz.jpg?Signature=x', headers: { host: OSS_HOST } }, opts()),
    ).toEqual({
      valid: false,
      status: 400,
      code: 'InvalidURI',
      message: 'Could not parse the specified URI.',
    });
  });

  it('getSecret: undefined or a non-string → InvalidAccessKeyId; its errors are passed through', async () => {
    const unknown = {
      valid: false,
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The OSS Access Key Id you provided does not exist in our records.',
    };
    expect(await verifySignature(v1Url(), opts({ getSecret: () => undefined }))).toEqual(unknown);
    expect(
      await verifySignature(v1Url(), opts({ getSecret: () => 42 as unknown as string })),
    ).toEqual(unknown);
    const boom = new Error('secret store down');
    await expect(
      verifySignature(
        v1Url(),
        opts({
          getSecret: () => {
            throw boom;
          },
        }),
      ),
    ).rejects.toBe(boom);
    await expect(
      verifySignature(
        v1Url(),
        opts({
          getSecret: async () => {
            throw boom;
          },
        }),
      ),
    ).rejects.toBe(boom);
  });

  it('an empty secret verifies (Web Crypto refuses empty HMAC keys; the zero byte stands in)', async () => {
    const r = signV1Header({ method: 'GET', key: 'a.jpg', accessKeyId: AK, secret: '', at: AT });
    expect(await verifySignature(r, opts({ getSecret: () => '' }))).toMatchObject({ valid: true });
    expect(await verifySignature(r, opts({ getSecret: () => 'x' }))).toEqual(V1_MISMATCH);
  });

  it('invalid options reject with a TypeError', async () => {
    const r = v1Url();
    await expect(verifySignature(r, { ...opts(), now: new Date(Number.NaN) })).rejects.toThrow(
      TypeError,
    );
    await expect(verifySignature(r, { ...opts(), getSecret: undefined as never })).rejects.toThrow(
      TypeError,
    );
    await expect(verifySignature(r, opts({ clockSkewSeconds: Number.NaN }))).rejects.toThrow(
      TypeError,
    );
    await expect(verifySignature(r, opts({ clockSkewSeconds: -1 }))).rejects.toThrow(TypeError);
  });

  it('accepts a Fetch Request as it is', async () => {
    const r = signV4Header({
      method: 'GET',
      key: '图片/a b+c.jpg',
      query: { 'x-oss-process': 'style/small' },
      accessKeyId: AK,
      secret: SK,
      at: AT,
    });
    const { host, ...headers } = r.headers as Record<string, string>;
    const request = new Request(`https://${host}${r.url}`, { headers });
    expect(await verifySignature(request, opts())).toMatchObject({ valid: true, scheme: 'oss-v4' });
  });
});

// --- properties -----------------------------------------------------------------------------

const secretArb = fc.string({
  unit: fc.constantFrom(...'abcXYZ0189+/= -_'),
  minLength: 0,
  maxLength: 40,
});
const V1_NAMES = [
  'x-oss-process',
  'response-content-type',
  'versionId',
  'acl',
  'x-oss-traffic-limit',
  'uploadId',
  'partNumber',
];
const queryArb = fc.dictionary(
  fc.constantFrom(...V1_NAMES),
  fc.string({ minLength: 1, maxLength: 12 }),
  { maxKeys: 3 },
);
const signedArb = fc.record({
  v4: fc.boolean(),
  method: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE'),
  key: keyArb,
  query: queryArb,
  meta: fc.dictionary(
    fc.stringMatching(/^x-oss-meta-[a-z0-9]{1,6}$/),
    fc.stringMatching(/^[ -~]{0,12}$/),
    { maxKeys: 2 },
  ),
  secret: secretArb,
  other: secretArb,
});

describe('properties', () => {
  it('a signature made with one secret verifies with it and never with another', async () => {
    // HMAC pads keys with zero bytes, so secrets differing only in trailing NULs are one key, for
    // OSS as for us; real secrets are printable, and so are these.
    await fc.assert(
      fc.asyncProperty(signedArb, async (s) => {
        fc.pre(s.secret !== s.other);
        const sign = s.v4 ? signV4Header : signV1Header;
        const request = sign({
          method: s.method,
          key: s.key,
          query: s.query,
          headers: s.meta,
          accessKeyId: AK,
          secret: s.secret,
          at: AT,
        });
        const withSecret = (secret: string) =>
          verifySignature(request, opts({ getSecret: () => secret }));
        expect(await withSecret(s.secret)).toMatchObject({
          valid: true,
          scheme: s.v4 ? 'oss-v4' : 'oss-v1',
        });
        expect(await withSecret(s.other)).toEqual(s.v4 ? V4_MISMATCH : V1_MISMATCH);
      }),
      { numRuns: runs(300), seed: 0x5ec12e7 },
    );
  });

  const fragment = fc.constantFrom(
    'OSS ',
    'OSS4-HMAC-SHA256 ',
    'OSS2 ',
    'AWS ',
    'Credential=',
    'ak/20240115/cn-hangzhou/oss/aliyun_v4_request',
    'Signature=',
    'AdditionalHeaders=',
    ':',
    ',',
    ';',
    '=',
    '&',
    '%',
    '%zz',
    '0'.repeat(64),
    'c2ln',
    'x-oss-signature-version=OSS4-HMAC-SHA256',
    'x-oss-credential=',
    'x-oss-date=20240115T120000Z',
    'x-oss-expires=',
    'x-oss-signature=',
    'OSSAccessKeyId=',
    'Expires=',
    '1705320000',
    'range',
    '\ud800',
  );
  const fragments = fc
    .array(fc.oneof(fragment, fc.string({ maxLength: 4 })), { maxLength: 8 })
    .map((a) => a.join(''));
  const headerValue = fc.oneof(
    fragments,
    fc.array(fragments, { maxLength: 3 }),
    fc.integer(),
    fc.constant(undefined),
  );
  const requestArb = fc.record(
    {
      method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'PUT', 'get'), fc.string(), fc.anything()),
      url: fc.oneof(
        fragments.map((f) => `/a.jpg?${f}`),
        fragments.map((f) => `/${f}`),
        fc.string(),
        fc.anything(),
      ),
      headers: fc.oneof(
        fc.record(
          {
            host: fc.oneof(fc.constant(OSS_HOST), fragments),
            authorization: headerValue,
            'x-oss-date': headerValue,
            date: headerValue,
            'x-oss-additional': headerValue,
          },
          { requiredKeys: [] },
        ),
        fc.array(
          fc.tuple(fc.constantFrom('authorization', 'host', 'x-oss-date', 'range'), fragments),
        ),
        fc.anything(),
      ),
      rawHeaders: fc.option(
        fc.array(fc.oneof(fragments, fc.constantFrom('authorization', 'Host', 'x-oss-date'))),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  );

  it('verifySignature never throws or rejects on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(requestArb, fc.anything()), async (request) => {
        const result = await verifySignature(request as RequestLike, opts({ bucket: BUCKET }));
        expect(typeof result.valid).toBe('boolean');
        if (!result.valid) expect([400, 403]).toContain(result.status);
      }),
      { numRuns: runs(1000) },
    );
    const throwing = {
      url: '/a.jpg',
      get headers(): never {
        throw new Error('boom');
      },
    };
    expect(await verifySignature(throwing, opts())).toEqual({
      valid: false,
      status: 400,
      code: 'InvalidRequest',
      message: 'The request could not be read.',
    });
  });
});

// --- verifyAndEvaluate ------------------------------------------------------------------------

describe('verifyAndEvaluate', () => {
  const policy = definePolicy({ extensions: ['jpg'], styles: ['small'] });
  const vo = (patch: Partial<VerifyOptions> = {}) => ({ ...opts(), ...patch });

  it('anonymous and malformed requests get exactly evaluate’s decision', async () => {
    for (const url of [
      '/a.jpg',
      '/a.jpg?x-oss-process=style/small',
      '/a.png',
      '/a.jpg?Signature=x',
    ]) {
      const request = { url, headers: { host: OSS_HOST } };
      expect(await verifyAndEvaluate(request, policy, vo()), url).toEqual(
        evaluate(request, policy, { now: AT }),
      );
    }
  });

  it('a verified signature → evaluate’s allow "signed"', async () => {
    const request = v1Url();
    const decision = await verifyAndEvaluate(request, policy, vo());
    expect(decision).toEqual(evaluate(request, policy, { now: AT }));
    expect(decision).toMatchObject({ allow: true, reason: 'signed' });
  });

  it('a forged signature → Denial invalid-signature, with the request’s fields filled', async () => {
    const request = v1Url();
    const decision = await verifyAndEvaluate(request, policy, vo({ getSecret: () => 'forged' }));
    expect(decision).toMatchObject({
      allow: false,
      reason: 'invalid-signature',
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: MISMATCH,
      ec: '0002-00000040',
      method: 'GET',
      host: OSS_HOST,
      bucket: BUCKET,
      key: 'image/cat.jpg',
      signature: { kind: 'signed', scheme: 'oss-v1', location: 'query', accessKeyId: AK },
    });
    if (decision.allow) throw new Error('unreachable');
    const response = errorResponse(decision, { requestId: 'R' });
    expect(response.headers['x-oss-ec']).toBe('0002-00000040');
    expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(
      await verifyAndEvaluate(request, policy, vo({ getSecret: () => undefined })),
    ).toMatchObject({ reason: 'invalid-signature', code: 'InvalidAccessKeyId' });
  });

  it('an expired or invalid request keeps evaluate’s denial', async () => {
    const later = new Date(AT.getTime() + 3_600_000);
    const request = v1Url();
    expect(await verifyAndEvaluate(request, policy, vo({ now: later }))).toEqual(
      evaluate(request, policy, { now: later }),
    );
    const invalid = { url: '/%zz', headers: { host: OSS_HOST } };
    expect(await verifyAndEvaluate(invalid, policy, vo())).toEqual(
      evaluate(invalid, policy, { now: AT }),
    );
  });

  it('non-reads: allowed as not-a-read, but a signature they carry must verify', async () => {
    const put = signV4Header({ method: 'PUT', key: 'a.jpg', accessKeyId: AK, secret: SK, at: AT });
    expect(await verifyAndEvaluate(put, policy, vo())).toMatchObject({
      allow: true,
      reason: 'not-a-read',
    });
    expect(await verifyAndEvaluate(put, policy, vo({ getSecret: () => 'forged' }))).toMatchObject({
      allow: false,
      reason: 'invalid-signature',
      code: 'SignatureDoesNotMatch',
      method: 'PUT',
      signature: { kind: 'signed', scheme: 'oss-v4' },
    });
    const anonymous = { method: 'PUT', url: '/a.jpg', headers: { host: OSS_HOST } };
    expect(await verifyAndEvaluate(anonymous, policy, vo())).toEqual(evaluate(anonymous, policy));
  });

  it('uses bucket / buckets for custom domains, as evaluate does', async () => {
    const request = v1Url({ host: 'img.example.com' });
    expect(
      await verifyAndEvaluate(request, policy, vo({ buckets: { 'img.example.com': BUCKET } })),
    ).toMatchObject({ allow: true, reason: 'signed', bucket: BUCKET });
    expect(await verifyAndEvaluate(request, policy, vo())).toMatchObject({
      allow: false,
      reason: 'invalid-signature',
    });
  });
});

describe('KeyCache', () => {
  const key = (n: number) => ({ n }) as unknown as CryptoKey;

  it('keeps the most recently used entries up to its capacity', async () => {
    const cache = new KeyCache(2);
    let derived = 0;
    const get = (id: string) =>
      cache.get(id, async () => {
        derived++;
        return key(derived);
      });
    await get('a');
    await get('b');
    await get('a'); // a is now the most recent
    await get('c'); // evicts b
    expect(derived).toBe(3);
    await get('a');
    expect(derived).toBe(3);
    await get('b');
    expect(derived).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('does not keep a failed derivation', async () => {
    const cache = new KeyCache(2);
    await expect(cache.get('a', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await Promise.resolve();
    expect(await cache.get('a', async () => key(1))).toEqual(key(1));
  });
});

describe('headerNames (request.ts, for canonical headers)', () => {
  it('lists each header once, lower-cased, in every header shape', () => {
    const want = ['host', 'x-oss-date', 'x-oss-meta-a'];
    expect(
      headerNames({
        headers: { Host: 'h', 'X-OSS-Date': 'd', 'x-oss-meta-a': ['1', '2'], gone: undefined },
      }),
    ).toEqual(want);
    expect(
      headerNames({ headers: new Headers({ Host: 'h', 'X-OSS-Date': 'd', 'x-oss-meta-a': '1' }) }),
    ).toEqual(want);
    expect(
      headerNames({
        headers: [
          ['Host', 'h'],
          ['X-OSS-Date', 'd'],
          ['x-oss-meta-a', '1'],
          ['X-Oss-Meta-A', '2'],
        ],
      }),
    ).toEqual(want);
    expect(
      headerNames({
        rawHeaders: ['Host', 'h', 'X-OSS-Date', 'd', 'x-oss-meta-a', '1', 'X-OSS-META-A', '2'],
        headers: { ignored: 'x' },
      }),
    ).toEqual(want);
    expect(headerNames({ rawHeaders: [7 as unknown as string, 'x', 'Host', 'h'] })).toEqual([
      'host',
    ]);
    expect(headerNames({})).toEqual([]);
  });
});
