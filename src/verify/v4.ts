/**
 * OSS signature version 4 (docs/behaviour.md#verification): HMAC-SHA256 over a canonical request,
 * with a signing key derived from the secret, the day, the region and the service, in an
 * `Authorization: OSS4-HMAC-SHA256 …` header or in the query (`x-oss-signature-version`, …).
 * @module
 */
import type { RequestLike } from '../request/access.js';
import { type Bytes, hex, hmac, hmacKey, KeyCache, sha256Hex, sign, utf8 } from './crypto.js';
import { canonicalHeaderLines, collectHeaders } from './headers.js';
import {
  credentialDate,
  credentialRegion,
  EXPIRED_V4,
  MISMATCH_V4,
  missingHeader,
  NOT_YET_VALID,
  type Plan,
  SKEWED,
  type VerifyContext,
  type VerifyFailure,
} from './result.js';

/** @internal */
export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
const TERMINATOR = 'aliyun_v4_request';

const RESERVED = /[!'()*]/g;

/** Only RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`): a loop, cheaper than a regex here. */
function unreserved(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    if (
      !(letter || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e)
    )
      return false;
  }
  return true;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * RFC 3986 percent-encoding: `encodeURIComponent` plus `!'()*`. A lone surrogate (which no decoded
 * request holds, but a configured bucket name might) is encoded as U+FFFD instead of throwing.
 *
 * @example
 * uriEncode("a b+c!(*)") // 'a%20b%2Bc%21%28%2A%29'
 * @internal
 */
export function uriEncode(s: string): string {
  // Most names and values are unreserved characters only, and encode to themselves.
  if (unreserved(s)) return s;
  let encoded: string;
  try {
    encoded = encodeURIComponent(s);
  } catch {
    encoded = encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd'));
  }
  return encoded.replace(RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI: `/bucket/key` encoded, `/` kept.
 *
 * @example
 * canonicalUri('bucket', '1234+-/123/1.txt') // '/bucket/1234%2B-/123/1.txt'
 * @internal
 */
export function canonicalUri(bucket: string, key: string | undefined): string {
  return uriEncode(`/${bucket}/${key ?? ''}`).replace(/%2F/g, '/');
}

const byEncoded = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/**
 * The canonical query: every parameter but `x-oss-signature`, names and values encoded, sorted by
 * encoded name (then value, for repeats), `name=value` or a bare `name` when the value is empty.
 *
 * @example
 * canonicalQuery([['b', '1'], ['+a', ''], ['x-oss-signature', 'f00']]) // '%2Ba&b=1'
 * @internal
 */
export function canonicalQuery(query: readonly (readonly [string, string])[]): string {
  // One pass to encode, one sort, one pass to join: a query may hold half a million parameters.
  const encoded: (readonly [string, string])[] = [];
  for (let i = 0; i < query.length; i++) {
    const param = query[i] as readonly [string, string];
    const n = param[0];
    const v = param[1];
    if (n === 'x-oss-signature') continue;
    const en = uriEncode(n);
    const ev = uriEncode(v);
    // Most parameters encode to themselves: keep their pair rather than allocate another.
    encoded.push(en === n && ev === v ? param : [en, ev]);
  }
  encoded.sort(byEncoded);
  const parts: string[] = new Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) {
    const param = encoded[i] as readonly [string, string];
    parts[i] = param[1] === '' ? param[0] : `${param[0]}=${param[1]}`;
  }
  return parts.join('&');
}

/**
 * The additional header names of `AdditionalHeaders` / `x-oss-additional-headers`: lower-cased,
 * each once, sorted.
 *
 * @example
 * additionalHeaders('Range;host;range') // ['host', 'range']
 * @internal
 */
export function additionalHeaders(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value
    .split(';')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  return [...new Set(names)].sort();
}

/**
 * The canonical headers: `content-type`, `content-md5`, every `x-oss-*` header, and the
 * additional ones, as `name:trimmed value\n`, sorted; `undefined` names an additional header the
 * request does not carry.
 *
 * @example
 * canonicalHeaders({ headers: { 'Content-Type': 'text/plain', 'x-oss-date': 'd', host: 'h' } }, [])
 * // { ok: true, text: 'content-type:text/plain\nx-oss-date:d\n' }
 * @internal
 */
export function canonicalHeaders(
  request: RequestLike,
  additional: readonly string[],
): { ok: true; text: string } | { ok: false; missing: string } {
  return canonicalHeadersOf(v4Headers(request, additional), additional);
}

/**
 * The headers a V4 canonical request reads (`content-type`, `content-md5`, every `x-oss-*`, the
 * additional ones), in one walk over the request (docs/behaviour.md#verification: linear before the
 * secret).
 */
function v4Headers(request: RequestLike, additional: readonly string[]): Map<string, string> {
  const extra = new Set(additional);
  return collectHeaders(
    request,
    (n) => n === 'content-type' || n === 'content-md5' || n.startsWith('x-oss-') || extra.has(n),
  );
}

function canonicalHeadersOf(
  headers: ReadonlyMap<string, string>,
  additional: readonly string[],
): { ok: true; text: string } | { ok: false; missing: string } {
  for (const name of additional) if (!headers.has(name)) return { ok: false, missing: name };
  // Every collected header is signed.
  return { ok: true, text: canonicalHeaderLines(headers, () => true) };
}

/** The parts of a V4 canonical request. @internal */
export interface V4Parts {
  readonly method: string;
  readonly uri: string;
  readonly query: string;
  readonly headers: string;
  readonly additional: readonly string[];
  /** `x-oss-content-sha256`, else `UNSIGNED-PAYLOAD`. */
  readonly payload: string;
}

/**
 * `VERB\nURI\nQuery\nHeaders\nAdditionalHeaders\nPayload` (the headers end in `\n` already).
 *
 * @example
 * v4CanonicalRequest({ method: 'GET', uri: '/b/k', query: '', headers: '', additional: [], payload: 'UNSIGNED-PAYLOAD' })
 * // 'GET\n/b/k\n\n\n\nUNSIGNED-PAYLOAD'
 * @internal
 */
export function v4CanonicalRequest(p: V4Parts): string {
  return `${p.method}\n${p.uri}\n${p.query}\n${p.headers}\n${p.additional.join(';')}\n${p.payload}`;
}

/**
 * `OSS4-HMAC-SHA256\n<time>\n<day>/<region>/oss/aliyun_v4_request\n<hex sha256>`. The time is
 * `x-oss-date` as sent, or the `Date` header's text for a V4 header request without one
 * (docs/behaviour.md#verification);
 * `day` is the credential's day, by default the first eight characters of an `x-oss-date`.
 *
 * @example
 * await v4StringToSign('20231216T162057Z', 'cn-hangzhou', canonicalRequest)
 * await v4StringToSign('Sat, 16 Dec 2023 16:20:57 GMT', 'cn-hangzhou', canonicalRequest, '20231216')
 * @internal
 */
export async function v4StringToSign(
  date: string,
  region: string,
  canonicalRequest: string,
  day: string = date.slice(0, 8),
): Promise<string> {
  const scope = `${day}/${region}/oss/${TERMINATOR}`;
  return `${V4_ALGORITHM}\n${date}\n${scope}\n${await sha256Hex(utf8(canonicalRequest))}`;
}

/** Signing keys, by day, region and secret: each changes once a day. */
const signingKeys = new KeyCache(256);

/**
 * The V4 signing key: HMAC-SHA256 chain `"aliyun_v4" + secret` → day → region → `oss` →
 * `aliyun_v4_request`, imported for signing, and kept (see {@link KeyCache}).
 *
 * @example
 * const key = await v4SigningKey('sk', '20231216', 'cn-hangzhou');
 * @internal
 */
export function v4SigningKey(secret: string, day: string, region: string): Promise<CryptoKey> {
  // Neither the day (8 digits) nor the region (a credential field) contains '/'.
  return signingKeys.get(`${day}/${region}/${secret}`, async () => {
    let key: Bytes = await hmac('SHA-256', utf8(`aliyun_v4${secret}`), utf8(day));
    key = await hmac('SHA-256', key, utf8(region));
    key = await hmac('SHA-256', key, utf8('oss'));
    key = await hmac('SHA-256', key, utf8(TERMINATOR));
    return hmacKey('SHA-256', key);
  });
}

/**
 * The V4 signature: HMAC-SHA256 of the string to sign under the signing key, as hex.
 *
 * @example
 * await v4Signature('sk', '20231216', 'cn-hangzhou', stringToSign) // 'e21d18da…'
 * @internal
 */
export async function v4Signature(
  secret: string,
  day: string,
  region: string,
  stringToSign: string,
): Promise<string> {
  return hex(await sign(await v4SigningKey(secret, day, region), utf8(stringToSign)));
}

/**
 * Read a V4-signed request: credential, date and additional headers from the header or the
 * query; the credential-day, region and time checks, which need no secret; the canonical request.
 * @internal
 */
export function planV4(ctx: VerifyContext): Plan | VerifyFailure {
  const { request } = ctx;
  // Detection has read and checked these: ak/yyyymmdd/region/oss/aliyun_v4_request, the date.
  const { parsed } = ctx;
  const provided = parsed.signature;
  // The time line: x-oss-date, or a header request's Date when it has no x-oss-date
  // (docs/behaviour.md#verification).
  const date = parsed.date as string;
  const t = parsed.dateMs as number;
  const additional = additionalHeaders(parsed.additionalHeaders);
  const [, day, region] = (parsed.credential as string).split('/') as [string, string, string];
  if (day !== (parsed.day ?? date.slice(0, 8)))
    return credentialDate(parsed.dateFrom ?? 'x-oss-date');
  if (ctx.region !== undefined && region !== ctx.region)
    return credentialRegion(region, ctx.region);
  if (ctx.location === 'header') {
    if (Math.abs(t - ctx.nowMs) > ctx.skewMs) return SKEWED;
  } else {
    // OSS lets a URL be used up to 15 minutes before its x-oss-date (EC 0002-00000235).
    if (t - ctx.nowMs > ctx.skewMs) return NOT_YET_VALID;
    const expires = ctx.query.find(([n]) => n === 'x-oss-expires')?.[1];
    if (t + Number(expires) * 1000 < ctx.nowMs) return EXPIRED_V4;
  }
  const collected = v4Headers(request, additional);
  const headers = canonicalHeadersOf(collected, additional);
  if (!headers.ok) return missingHeader(headers.missing);
  const canonical = v4CanonicalRequest({
    method: ctx.method,
    uri: canonicalUri(ctx.bucket, ctx.key),
    query: canonicalQuery(ctx.query),
    headers: headers.text,
    additional,
    payload: collected.get('x-oss-content-sha256') ?? 'UNSIGNED-PAYLOAD',
  });
  return {
    signed: canonical,
    provided,
    async sign(secret) {
      return v4Signature(secret, day, region, await v4StringToSign(date, region, canonical, day));
    },
    mismatch: MISMATCH_V4,
  };
}
