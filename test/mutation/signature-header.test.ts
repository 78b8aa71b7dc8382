/**
 * Signature detection over the `Authorization` header (`src/signature/header.ts`): each scheme's
 * form, field by field, what is refused and with which message, and the V4 time it keeps for
 * verification. `src/` is loaded afresh in every test, so the module-level patterns are seen
 * (docs/testing.md, "Hybrid mutants").
 *
 * Behaviour: [signatures](docs/behaviour.md#signatures).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestLike, SignatureInfo } from '../../src/index.js';
import type { Signed } from '../../src/signature/info.js';

type Index = typeof import('../../src/index.js');
let detectSignature: Index['detectSignature'];
let parsedSignature: typeof import('../../src/signature/info.js')['parsedSignature'];

beforeEach(async () => {
  vi.resetModules();
  ({ detectSignature } = await import('../../src/index.js'));
  ({ parsedSignature } = await import('../../src/signature/info.js'));
});

const HEX = 'ab'.repeat(32);
const OSS4_CRED = 'ak/20261128/cn-hangzhou/oss/aliyun_v4_request';
const AWS4_CRED = 'ak/20261128/us-east-1/s3/aws4_request';
const X_OSS_DATE = { 'x-oss-date': '20261128T000000Z' };

const detect = (
  authorization: string,
  headers: Record<string, string> = X_OSS_DATE,
): SignatureInfo =>
  detectSignature({ url: '/a.jpg', headers: { ...headers, authorization } } as RequestLike);

const MUST = {
  'oss-v1': 'The Authorization header must be "OSS AccessKeyId:Signature".',
  'aws-v2': 'The Authorization header must be "AWS AccessKeyId:Signature".',
  'oss-v2':
    'The Authorization header must be "OSS2 AccessKeyId:…,[AdditionalHeaders:…,]Signature:…".',
  'oss-v4':
    'The Authorization header must be "OSS4-HMAC-SHA256 Credential=AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request,[AdditionalHeaders=…,]Signature=<64 hex digits>".',
  'aws-v4':
    'The Authorization header must be "AWS4-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".',
} as const;
const refused = (scheme: keyof typeof MUST) => ({
  kind: 'malformed',
  scheme,
  location: 'header',
  message: MUST[scheme],
});
const signedBy = (scheme: string, accessKeyId = 'ak') => ({
  kind: 'signed',
  scheme,
  location: 'header',
  accessKeyId,
});

describe('each scheme: the form that is signed', () => {
  it.each([
    ['OSS ak:c2ln', 'oss-v1'],
    ['AWS ak:c2ln', 'aws-v2'],
    ['OSS2 AccessKeyId:ak,Signature:c2ln', 'oss-v2'],
    ['OSS2 AccessKeyId:ak, AdditionalHeaders:host,  Signature:c2ln', 'oss-v2'],
    [`OSS4-HMAC-SHA256 Credential=${OSS4_CRED},Signature=${HEX}`, 'oss-v4'],
    [
      `OSS4-HMAC-SHA256 Credential=${OSS4_CRED},  AdditionalHeaders=host, Signature=${HEX}`,
      'oss-v4',
    ],
    [`AWS4-HMAC-SHA256 Credential=${AWS4_CRED},SignedHeaders=host,Signature=${HEX}`, 'aws-v4'],
    [
      `AWS4-HMAC-SHA256 Credential=${AWS4_CRED}, SignedHeaders=host;x-amz-date, Signature=${HEX}`,
      'aws-v4',
    ],
  ])('%s', (authorization, scheme) => {
    expect(detect(authorization)).toMatchObject(signedBy(scheme));
  });
});

describe('each scheme: forms that are refused', () => {
  it.each([
    // V1: the whole value is `OSS id:signature`, nothing after.
    ['OSS ak:c2ln extra', 'oss-v1'],
    ['OSS ak:c2ln ', 'oss-v1'],
    ['OSS ak:c2l*', 'oss-v1'],
    ['AWS ak:c2ln x', 'aws-v2'],
    // OSS2: both fields, each non-empty, no white space inside, no field without its `:`.
    ['OSS2 AccessKeyId:ak', 'oss-v2'],
    ['OSS2 Signature:c2ln', 'oss-v2'],
    ['OSS2 AccessKeyId:,Signature:c2ln', 'oss-v2'],
    ['OSS2 AccessKeyId:ak,Signature:c2 ln', 'oss-v2'],
    ['OSS2 AccessKeyId:ak,Signaturec2ln', 'oss-v2'],
    ['OSS2 AccessKeyId:ak,Signaturex', 'oss-v2'], // no `:`, though it starts with a field name
    ['OSS2 :ak,Signature:c2ln', 'oss-v2'],
    ['OSS2 AccessKeyId:ak,AccessKeyId:ak,Signature:c2ln', 'oss-v2'],
    ['OSS2', 'oss-v2'],
    // OSS4: a credential of the OSS form and 64 hex digits.
    [`OSS4-HMAC-SHA256 Signature=${HEX}`, 'oss-v4'],
    [`OSS4-HMAC-SHA256 Credential=${OSS4_CRED}`, 'oss-v4'],
    [`OSS4-HMAC-SHA256 Credential=${OSS4_CRED},Signature=${HEX}0`, 'oss-v4'],
    [`OSS4-HMAC-SHA256 Credential=${OSS4_CRED},Signature=x${HEX}`, 'oss-v4'],
    [`OSS4-HMAC-SHA256 Credential=${AWS4_CRED},Signature=${HEX}`, 'oss-v4'],
    [
      `OSS4-HMAC-SHA256 Credential=${OSS4_CRED},Signature=${HEX.slice(0, 32)} ${HEX.slice(32)}`,
      'oss-v4',
    ],
    ['OSS4-HMAC-SHA256', 'oss-v4'],
    // AWS4: credential, signed headers and 64 hex digits, all three.
    [`AWS4-HMAC-SHA256 Credential=${AWS4_CRED},Signature=${HEX}`, 'aws-v4'],
    [`AWS4-HMAC-SHA256 SignedHeaders=host,Signature=${HEX}`, 'aws-v4'],
    [`AWS4-HMAC-SHA256 Credential=${AWS4_CRED},SignedHeaders=host`, 'aws-v4'],
    [
      `AWS4-HMAC-SHA256 Credential=${AWS4_CRED},SignedHeaders=host,Signature=zz${HEX.slice(2)}`,
      'aws-v4',
    ],
    [`AWS4-HMAC-SHA256 Credential=${OSS4_CRED},SignedHeaders=host,Signature=${HEX}`, 'aws-v4'],
    ['AWS4-HMAC-SHA256 garbage', 'aws-v4'],
    ['AWS4-HMAC-SHA256', 'aws-v4'],
  ] as const)('%s', (authorization, scheme) => {
    expect(detect(authorization)).toStrictEqual(refused(scheme));
  });
});

describe('the V4 header time', () => {
  const v4 = `OSS4-HMAC-SHA256 Credential=${OSS4_CRED},Signature=${HEX}`;
  const parsed = (headers: Record<string, string>) => {
    const info = detect(v4, headers);
    expect(info.kind).toBe('signed');
    return parsedSignature(info as Signed);
  };

  it('comes from x-oss-date', () => {
    expect(parsed(X_OSS_DATE)).toMatchObject({
      date: '20261128T000000Z',
      dateMs: Date.UTC(2026, 10, 28),
      day: '20261128',
      dateFrom: 'x-oss-date',
    });
  });

  it('or, without x-oss-date, from Date', () => {
    expect(parsed({ date: 'Sat, 28 Nov 2026 23:59:59 GMT' })).toMatchObject({
      date: 'Sat, 28 Nov 2026 23:59:59 GMT',
      dateMs: Date.UTC(2026, 10, 28, 23, 59, 59),
      day: '20261128',
      dateFrom: 'Date',
    });
  });

  it.each([
    ['no date at all', {}],
    [
      'an unreadable x-oss-date, even with a Date',
      { 'x-oss-date': '20261128', date: 'Sat, 28 Nov 2026 00:00:00 GMT' },
    ],
    ['an unreadable Date', { date: 'yesterday' }],
    ['an impossible x-oss-date', { 'x-oss-date': '20261128T106000Z' }],
  ])('is refused with %s', (_, headers) => {
    expect(detect(v4, headers)).toMatchObject({
      kind: 'malformed',
      scheme: 'oss-v4',
      location: 'header',
      message: expect.stringContaining('requires an x-oss-date header'),
    });
  });
});
