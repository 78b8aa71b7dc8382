/**
 * OSS signature version 1 (docs/behaviour.md#verification): HMAC-SHA1 over the verb, Content-MD5,
 * Content-Type, a time, the `x-oss-*` headers and the resource, in an `Authorization: OSS ak:sig`
 * header or in the query (`OSSAccessKeyId`, `Expires`, `Signature`).
 * @module
 */
import type { RequestLike } from '../request/access.js';
import { parseRequestTime } from '../signature/dates.js';
import { base64, hmacKey, KeyCache, sign, utf8 } from './crypto.js';
import { canonicalHeaderLines, collectHeaders } from './headers.js';
import {
  BAD_DATE,
  EXPIRED_V1,
  MISMATCH_V1,
  NO_DATE,
  type Plan,
  SKEWED,
  type VerifyContext,
  type VerifyFailure,
} from './result.js';

/** The query parameters V1 signs (besides every `x-oss-*` one), as the official SDKs list them. @internal */
export const V1_SUB_RESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'uploads',
  'location',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'img',
  'style',
  'styleName',
  'replication',
  'replicationProgress',
  'replicationLocation',
  'cname',
  'bucketInfo',
  'comp',
  'qos',
  'live',
  'status',
  'vod',
  'startTime',
  'endTime',
  'symlink',
  'x-oss-process',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'udf',
  'udfName',
  'udfImage',
  'udfId',
  'udfImageDesc',
  'udfApplication',
  'udfApplicationLog',
  'restore',
  'callback',
  'callback-var',
  'continuation-token',
  'versionId',
  'versioning',
  'versions',
  'policy',
  'requestPayment',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
]);

/**
 * Whether V1 signs a query parameter: a listed sub-resource, or any `x-oss-*` name.
 *
 * @example
 * isV1Signed('versionId') // true
 * isV1Signed('x-oss-anything') // true
 * isV1Signed('width') // false
 * @internal
 */
export const isV1Signed = (name: string): boolean =>
  V1_SUB_RESOURCES.has(name) || name.startsWith('x-oss-');

const isOssHeader = (name: string): boolean => name.startsWith('x-oss-');

/** The headers a V1 string to sign reads: the `x-oss-*` ones, the time and the content ones. */
const isV1Header = (name: string): boolean =>
  isOssHeader(name) || name === 'date' || name === 'content-md5' || name === 'content-type';

/** CanonicalizedOSSHeaders from headers already collected (see {@link collectHeaders}). */
function ossHeadersOf(headers: ReadonlyMap<string, string>): string {
  return canonicalHeaderLines(headers, isOssHeader);
}

/**
 * CanonicalizedOSSHeaders: every `x-oss-*` header, name lower-cased, value trimmed, sorted by
 * name, each followed by `\n`. Repeated headers are joined with `, ` (as Node and Fetch fold them).
 * The headers are read in one walk (docs/behaviour.md#verification: linear before the secret).
 *
 * @example
 * canonicalizedOssHeaders({ headers: { 'X-OSS-Meta-A': ' 1 ', 'x-oss-date': 'd' } })
 * // 'x-oss-date:d\nx-oss-meta-a:1\n'
 * @internal
 */
export function canonicalizedOssHeaders(request: RequestLike): string {
  return ossHeadersOf(collectHeaders(request, isOssHeader));
}

/**
 * CanonicalizedResource: `/bucket/key`, then `?` and the signed sub-resources present, sorted by
 * name (stable for repeats), `name` or `name=value` with decoded values, joined by `&`.
 *
 * @example
 * canonicalizedResource('bucket', 'key', [['versionId', 'v1'], ['foo', 'bar']])
 * // '/bucket/key?versionId=v1'
 * @internal
 */
export function canonicalizedResource(
  bucket: string,
  key: string | undefined,
  query: readonly (readonly [string, string])[],
): string {
  const signed = query
    .filter(([name]) => isV1Signed(name))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const resource = `/${bucket}/${key ?? ''}`;
  if (signed.length === 0) return resource;
  return `${resource}?${signed.map(([n, v]) => (v === '' ? n : `${n}=${v}`)).join('&')}`;
}

/** The parts of a V1 string to sign. @internal */
export interface V1Parts {
  readonly method: string;
  readonly contentMd5: string;
  readonly contentType: string;
  /** The `x-oss-date` (or `Date`) header, or the query's `Expires`. */
  readonly time: string;
  readonly ossHeaders: string;
  readonly resource: string;
}

/**
 * `VERB\nContent-MD5\nContent-Type\nTime\nCanonicalizedOSSHeaders` + `CanonicalizedResource`.
 *
 * @example
 * v1StringToSign({ method: 'GET', contentMd5: '', contentType: '', time: '1699807420', ossHeaders: '', resource: '/bucket/key?versionId=versionId' })
 * // 'GET\n\n\n1699807420\n/bucket/key?versionId=versionId'
 * @internal
 */
export function v1StringToSign(p: V1Parts): string {
  return `${p.method}\n${p.contentMd5}\n${p.contentType}\n${p.time}\n${p.ossHeaders}${p.resource}`;
}

/** Imported HMAC-SHA1 keys, by secret. */
const keys = new KeyCache(256);

const param = (query: VerifyContext['query'], name: string): string =>
  query.find(([n]) => n === name)?.[1] ?? '';

/**
 * Read a V1-signed request: the signature it carries, its string to sign, and the time checks
 * (skew for the header form, `Expires` for the query form), which need no secret.
 * @internal
 */
export function planV1(ctx: VerifyContext): Plan | VerifyFailure {
  // Every header the string to sign needs, in one walk (docs/behaviour.md#verification: linear
  // before the secret).
  const headers = collectHeaders(ctx.request, isV1Header);
  let provided: string;
  let time: string;
  if (ctx.location === 'header') {
    provided = ctx.parsed.signature;
    // x-oss-date wins over Date when both are sent (docs/behaviour.md#verification: OSS's V1
    // documentation says so, and
    // oss2 and ali-oss sign so); browsers cannot set Date, so it may be the only one.
    const ossDate = headers.get('x-oss-date');
    const raw = ossDate ?? headers.get('date');
    if (raw === undefined) return NO_DATE;
    const t = parseRequestTime(raw, ossDate !== undefined);
    if (t === undefined) return BAD_DATE;
    if (Math.abs(t - ctx.nowMs) > ctx.skewMs) return SKEWED;
    time = raw;
  } else {
    provided = ctx.parsed.signature;
    time = param(ctx.query, 'Expires');
    if (Number(time) * 1000 < ctx.nowMs) return EXPIRED_V1;
  }
  const stringToSign = v1StringToSign({
    method: ctx.method,
    contentMd5: headers.get('content-md5') ?? '',
    contentType: headers.get('content-type') ?? '',
    time,
    ossHeaders: ossHeadersOf(headers),
    resource: canonicalizedResource(ctx.bucket, ctx.key, ctx.query),
  });
  const data = utf8(stringToSign);
  return {
    signed: stringToSign,
    provided,
    sign: async (secret) =>
      base64(await sign(await keys.get(secret, () => hmacKey('SHA-1', utf8(secret))), data)),
    mismatch: MISMATCH_V1,
  };
}
