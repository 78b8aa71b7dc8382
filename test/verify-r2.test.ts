/**
 * SPEC S8 R2, "verification must not be fooled", and the S5/S8 R2 clauses for the official
 * SDKs' requests: one case table whose rows name their clause (every refusal message exact),
 * properties where they fit, the single-walk header collector against the lookups it replaces,
 * the HMAC count per request, and the linear-time ratios.
 *
 * The signatures here are made by this file's own signers over `node:crypto` (the recipes of S8
 * written out), so that the crafted requests can be signed exactly as an attacker would sign
 * them: a valid signature for one request, resent as another that signs the same string.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definePolicy } from '../src/policy/validate.js';
import { headerNames, headerValue, type RequestLike } from '../src/request/access.js';
import { detectSignature } from '../src/signature/detect.js';
import { collectHeaders } from '../src/verify/headers.js';
import {
  type VerifyOptions,
  type VerifyResult,
  verifyAndEvaluate,
  verifySignature,
} from '../src/verify/index.js';
import { ambiguousParameter, rawQueryNames } from '../src/verify/raw-query.js';
import { canonicalizedResource } from '../src/verify/v1.js';
import { runs } from './support/runs.js';

const AK = 'LTAI5tR2TestKey';
const SK = 'r2-test-secret+/=';
const AT = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));
const EXPIRES = String(AT.getTime() / 1000 + 600);
const BUCKET = 'examplebucket';
const OTHER = 'otherbucket';
const REGION = 'cn-hangzhou';
const HOST = `${BUCKET}.oss-${REGION}.aliyuncs.com`;
const OTHER_HOST = `${OTHER}.oss-${REGION}.aliyuncs.com`;
const KEY = 'image/cat.jpg';
const HTTP_DATE = AT.toUTCString();
const ISO = '20240115T120000Z';

const opts = (patch: Partial<VerifyOptions> = {}): VerifyOptions => ({
  getSecret: (id) => (id === AK ? SK : undefined),
  now: AT,
  ...patch,
});

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
const v1Valid = (location: 'header' | 'query') => ({
  valid: true,
  accessKeyId: AK,
  scheme: 'oss-v1',
  location,
});
const v4Valid = (location: 'header' | 'query') => ({ ...v1Valid(location), scheme: 'oss-v4' });
const denied = (message: string, ec?: string) => ({
  valid: false,
  status: 403,
  code: 'AccessDenied',
  message,
  ...(ec === undefined ? {} : { ec }),
});
/** S8 R2 "signed names are exact": the refusal, NAME as received. */
const ambiguous = (name: string) =>
  denied(`The query parameter ${name} is ambiguous once decoded; send it unescaped.`);

// --- signers (node:crypto; the recipes of S8) ---------------------------------------------------

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac256 = (key: Buffer | string, s: string) =>
  createHmac('sha256', key).update(s, 'utf8').digest();

/** V1: Base64(HMAC-SHA1(secret, StringToSign)). */
const v1Signature = (stringToSign: string, secret = SK) =>
  createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');

/**
 * A V1 presigned URL for `key`: `rawQuery` as sent, and the CanonicalizedResource the signer
 * signed (written out in each row, so the row shows what is signed).
 */
function v1Url(
  rawQuery: string,
  resource: string,
  o: { method?: string; host?: string; url?: (query: string) => string } = {},
): RequestLike {
  const method = o.method ?? 'GET';
  const signature = v1Signature(`${method}\n\n\n${EXPIRES}\n${resource}`);
  const auth = `OSSAccessKeyId=${AK}&Expires=${EXPIRES}&Signature=${encodeURIComponent(signature)}`;
  const query = rawQuery === '' ? auth : `${rawQuery}&${auth}`;
  return {
    method,
    url: o.url?.(query) ?? `/${KEY}?${query}`,
    headers: { host: o.host ?? HOST },
  };
}

/** A V1 `Authorization` header request: `time` is the time line the signer used. */
function v1Header(
  rawQuery: string,
  resource: string,
  o: { method?: string; host?: string; headers?: Record<string, string>; time?: string } = {},
): RequestLike {
  const method = o.method ?? 'GET';
  const headers: Record<string, string> = { date: HTTP_DATE, ...o.headers };
  const oss = Object.keys(headers)
    .filter((n) => n.startsWith('x-oss-'))
    .sort()
    .map((n) => `${n}:${headers[n]?.trim()}\n`)
    .join('');
  const time = o.time ?? headers['x-oss-date'] ?? headers.date;
  const signature = v1Signature(`${method}\n\n\n${time}\n${oss}${resource}`);
  return {
    method,
    url: rawQuery === '' ? `/${KEY}` : `/${KEY}?${rawQuery}`,
    headers: { ...headers, host: o.host ?? HOST, authorization: `OSS ${AK}:${signature}` },
  };
}

interface V4Signing {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  /** Decoded query parameters: canonicalised here (encoded names, sorted). */
  readonly query: readonly (readonly [string, string])[];
  /** Signed headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly additional?: readonly string[];
  /** The StringToSign's time line. */
  readonly time: string;
  readonly day: string;
  readonly secret?: string;
}

/** V4: the canonical request, the StringToSign and the signing-key chain of S8. */
function v4Signature(s: V4Signing): string {
  const uri = rfc3986(`/${s.bucket}/${s.key}`).replace(/%2F/g, '/');
  const query = s.query
    .map(([n, v]) => [rfc3986(n), rfc3986(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([n, v]) => (v === '' ? n : `${n}=${v}`))
    .join('&');
  const additional = [...(s.additional ?? [])].sort();
  const signedNames = Object.keys(s.headers)
    .filter(
      (n) =>
        n === 'content-type' ||
        n === 'content-md5' ||
        n.startsWith('x-oss-') ||
        additional.includes(n),
    )
    .sort();
  const headers = signedNames.map((n) => `${n}:${s.headers[n]?.trim()}\n`).join('');
  const payload = s.headers['x-oss-content-sha256'] ?? 'UNSIGNED-PAYLOAD';
  const canonical = [s.method, uri, query, headers, additional.join(';'), payload].join('\n');
  const scope = `${s.day}/${REGION}/oss/aliyun_v4_request`;
  const stringToSign = ['OSS4-HMAC-SHA256', s.time, scope, sha256(canonical)].join('\n');
  let key = hmac256(`aliyun_v4${s.secret ?? SK}`, s.day);
  for (const part of [REGION, 'oss', 'aliyun_v4_request']) key = hmac256(key, part);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** A V4 header request; `time: 'Date'` sends only `Date` (the classic Go SDK), else `x-oss-date`. */
function v4Header(
  o: {
    method?: string;
    rawQuery?: string;
    query?: readonly (readonly [string, string])[];
    headers?: Record<string, string>;
    time?: 'Date' | 'x-oss-date';
    date?: string;
    credentialDay?: string;
    bucket?: string;
    host?: string;
  } = {},
): RequestLike {
  const method = o.method ?? 'GET';
  const date = o.date ?? (o.time === 'Date' ? HTTP_DATE : ISO);
  const headers: Record<string, string> = {
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    ...(o.time === 'Date' ? { date } : { 'x-oss-date': date }),
    ...o.headers,
  };
  const day = o.credentialDay ?? '20240115';
  const signature = v4Signature({
    method,
    bucket: o.bucket ?? BUCKET,
    key: KEY,
    query: o.query ?? [],
    headers,
    time: date,
    day,
  });
  return {
    method,
    url: o.rawQuery === undefined ? `/${KEY}` : `/${KEY}?${o.rawQuery}`,
    headers: {
      ...headers,
      host: o.host ?? HOST,
      authorization: `OSS4-HMAC-SHA256 Credential=${AK}/${day}/${REGION}/oss/aliyun_v4_request,Signature=${signature}`,
    },
  };
}

/** A V4 presigned URL: `rawQuery` as sent, `query` what it decodes to (both without the signature). */
function v4Url(rawQuery: string, query: readonly (readonly [string, string])[]): RequestLike {
  const credential = `${AK}/20240115/${REGION}/oss/aliyun_v4_request`;
  const auth: [string, string][] = [
    ['x-oss-credential', credential],
    ['x-oss-date', ISO],
    ['x-oss-expires', '3600'],
    ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
  ];
  const signature = v4Signature({
    method: 'GET',
    bucket: BUCKET,
    key: KEY,
    query: [...query, ...auth],
    headers: {},
    time: ISO,
    day: '20240115',
  });
  const authQuery = auth.map(([n, v]) => `${n}=${rfc3986(v)}`).join('&');
  return {
    url: `/${KEY}?${rawQuery}&${authQuery}&x-oss-signature=${signature}`,
    headers: { host: HOST },
  };
}

// --- the case table ---------------------------------------------------------------------------

interface Row {
  readonly clause: string;
  readonly name: string;
  readonly request: () => RequestLike;
  readonly options?: Partial<VerifyOptions>;
  readonly want: VerifyResult | Record<string, unknown>;
}

const EXACT = 'S8 R2 signed names are exact';
const BUCKET_CLAUSE = "S8 R2 the bucket is the gateway's";
const V4_DATE = 'S5 R2 + S8 R2 V4 Date';
const X_OSS_DATE = 'S8 R2 V1 x-oss-date wins';
const PLUS = 'S4 R2 + is a space (as verified)';

const STYLE = `/${BUCKET}/${KEY}?x-oss-process=style/small`;

const rows: Row[] = [
  // The valid style URL, and what an attacker makes of it.
  {
    clause: EXACT,
    name: 'V1 URL ?x-oss-process=style%2Fsmall (the legitimate style URL) → valid',
    request: () => v1Url('x-oss-process=style%2Fsmall', STYLE),
    want: v1Valid('query'),
  },
  {
    clause: EXACT,
    name: 'V1 URL: the same signature resent as one name x-oss-process%3Dstyle%2Fsmall → refused',
    request: () => v1Url('x-oss-process%3Dstyle%2Fsmall', STYLE),
    want: ambiguous('x-oss-process%3Dstyle%2Fsmall'),
  },
  {
    clause: EXACT,
    name: 'V1 URL: an escaped signed name x-oss-%70rocess → refused, the name as received',
    request: () => v1Url('x-oss-%70rocess=style%2Fsmall', STYLE),
    want: ambiguous('x-oss-%70rocess'),
  },
  {
    clause: EXACT,
    name: 'V1 URL: x-oss-process folded into an earlier signed value with %26 → refused',
    request: () =>
      v1Url(
        'response-content-type=image%2Fjpeg%26x-oss-process%3Dstyle%2Fsmall',
        `/${BUCKET}/${KEY}?response-content-type=image/jpeg&x-oss-process=style/small`,
      ),
    want: ambiguous('response-content-type'),
  },
  {
    clause: EXACT,
    name: 'V1 URL: a signed value holding & then a sub-resource name (versionId=v%26acl) → refused',
    request: () => v1Url('versionId=v%26acl', `/${BUCKET}/${KEY}?versionId=v&acl`),
    want: ambiguous('versionId'),
  },
  {
    clause: EXACT,
    name: 'V1 URL: a signed name whose decoded form holds & (x-oss-a%26acl) → refused',
    request: () => v1Url('x-oss-a%26acl=1', `/${BUCKET}/${KEY}?x-oss-a&acl=1`),
    want: ambiguous('x-oss-a%26acl'),
  },
  {
    clause: EXACT,
    name: 'V1 header: the same rule for an Authorization-signed request',
    request: () => v1Header('x-oss-process%3Dstyle%2Fsmall', STYLE),
    want: ambiguous('x-oss-process%3Dstyle%2Fsmall'),
  },
  {
    clause: EXACT,
    name: 'V1: an unsigned parameter may be escaped (my%20param) → valid',
    request: () => v1Url('my%20param=1&x-oss-process=style%2Fsmall', STYLE),
    want: v1Valid('query'),
  },
  {
    clause: EXACT,
    name: 'V1: & followed by an unsigned name inside a signed value → valid',
    request: () =>
      v1Url(
        'response-content-disposition=attachment%3B%20filename%3D%22a%26b.jpg%22',
        `/${BUCKET}/${KEY}?response-content-disposition=attachment; filename="a&b.jpg"`,
      ),
    want: v1Valid('query'),
  },
  {
    clause: EXACT,
    name: 'V4 URL: x-oss-%70rocess (an escaped processing name) → refused',
    request: () => v4Url('x-oss-%70rocess=style%2Fsmall', [['x-oss-process', 'style/small']]),
    want: ambiguous('x-oss-%70rocess'),
  },
  {
    clause: EXACT,
    name: 'V4 URL: any letter case, and x-oss-async-process, count (X-Oss-%50rocess) → refused',
    request: () => v4Url('X-Oss-%50rocess=style%2Fsmall', [['X-Oss-Process', 'style/small']]),
    want: ambiguous('X-Oss-%50rocess'),
  },
  {
    clause: EXACT,
    name: 'V4 header: x-oss-async-%70rocess → refused',
    request: () =>
      v4Header({
        rawQuery: 'x-oss-async-%70rocess=a',
        query: [['x-oss-async-process', 'a']],
      }),
    want: ambiguous('x-oss-async-%70rocess'),
  },
  {
    clause: EXACT,
    name: 'V4 signs encoded names: an escaped name that is no processing name → valid',
    request: () =>
      v4Url('my%2Dparam=1&x-oss-process=style%2Fsmall', [
        ['my-param', '1'],
        ['x-oss-process', 'style/small'],
      ]),
    want: v4Valid('query'),
  },
  {
    clause: EXACT,
    name: 'V4 signs encoded names: x-oss-process%3Dstyle%2Fsmall as one name signs differently → valid as what it is',
    request: () => v4Url('x-oss-process%3Dstyle%2Fsmall', [['x-oss-process=style/small', '']]),
    want: v4Valid('query'),
  },

  // The bucket is the gateway's.
  {
    clause: BUCKET_CLAUSE,
    name: 'V1 URL signed for another bucket, Host naming it, gateway bucket set → SignatureDoesNotMatch',
    request: () => v1Url('', `/${OTHER}/${KEY}`, { host: OTHER_HOST }),
    options: { bucket: BUCKET },
    want: V1_MISMATCH,
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'the same without a configured bucket: the host names the bucket → valid',
    request: () => v1Url('', `/${OTHER}/${KEY}`, { host: OTHER_HOST }),
    want: v1Valid('query'),
  },
  {
    clause: BUCKET_CLAUSE,
    name: "signed for the gateway's bucket, Host naming another → valid (the gateway's bucket is what is signed)",
    request: () => v1Url('', `/${BUCKET}/${KEY}`, { host: OTHER_HOST }),
    options: { bucket: BUCKET },
    want: v1Valid('query'),
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'a buckets entry for the host, another bucket signed → SignatureDoesNotMatch',
    request: () => v1Url('', `/${OTHER}/${KEY}`, { host: OTHER_HOST }),
    options: { buckets: { [OTHER_HOST.toUpperCase()]: BUCKET } },
    want: V1_MISMATCH,
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'a buckets entry for the host wins over bucket',
    request: () => v1Url('', `/${BUCKET}/${KEY}`, { host: OTHER_HOST }),
    options: { buckets: new Map([[OTHER_HOST, BUCKET]]), bucket: 'fallback-bucket' },
    want: v1Valid('query'),
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'an absolute target naming another bucket does not choose it either',
    request: () =>
      v1Url('', `/${OTHER}/${KEY}`, { url: (q) => `https://${OTHER_HOST}/${KEY}?${q}` }),
    options: { bucket: BUCKET },
    want: V1_MISMATCH,
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'a path-style target /otherbucket/key on the region endpoint → SecondLevelDomainForbidden',
    request: () =>
      v1Url('', `/${OTHER}/${KEY}`, {
        url: (q) => `/${OTHER}/${KEY}?${q}`,
        host: `oss-${REGION}.aliyuncs.com`,
      }),
    options: { bucket: BUCKET },
    want: {
      valid: false,
      status: 403,
      code: 'SecondLevelDomainForbidden',
      message: 'Please use virtual hosted style to access.',
    },
  },
  {
    clause: BUCKET_CLAUSE,
    name: 'V4 header signed for another bucket, Host naming it, gateway bucket set → SignatureDoesNotMatch',
    request: () => v4Header({ bucket: OTHER, host: OTHER_HOST }),
    options: { bucket: BUCKET },
    want: V4_MISMATCH,
  },

  // V4 header requests with Date and no x-oss-date (the classic Go SDK).
  {
    clause: V4_DATE,
    name: 'Date only: its text is the time line, its day the credential day → valid',
    request: () => v4Header({ time: 'Date' }),
    want: v4Valid('header'),
  },
  {
    clause: V4_DATE,
    name: 'Date only, one second before midnight UTC: still that day',
    request: () => v4Header({ time: 'Date', date: 'Mon, 15 Jan 2024 23:59:59 GMT' }),
    options: { now: new Date(Date.UTC(2024, 0, 15, 23, 59, 59)) },
    want: v4Valid('header'),
  },
  {
    clause: V4_DATE,
    name: "Date only, credential naming another day → AccessDenied (the Date header's day)",
    request: () => v4Header({ time: 'Date', credentialDay: '20240116' }),
    want: denied(
      'Invalid credential date: the date in the credential is not the day of the Date header.',
    ),
  },
  {
    clause: V4_DATE,
    name: 'Date only, 16 minutes off → RequestTimeTooSkewed (the skew is judged on Date)',
    request: () => v4Header({ time: 'Date' }),
    options: { now: new Date(AT.getTime() + 960_000) },
    want: {
      valid: false,
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      ec: '0002-00000504',
    },
  },
  {
    clause: V4_DATE,
    name: 'Date only, not an HTTP date → EC 0002-00000502',
    request: () => v4Header({ time: 'Date', date: '2024-01-15T12:00:00Z' }),
    want: denied('OSS authentication requires a valid Date.', '0002-00000502'),
  },
  {
    clause: V4_DATE,
    name: 'neither Date nor x-oss-date → EC 0002-00000503',
    request: () => {
      const r = v4Header({ time: 'Date' });
      const { date: _, ...headers } = r.headers as Record<string, string>;
      return { ...r, headers };
    },
    want: denied('OSS authentication requires a valid Date.', '0002-00000503'),
  },
  {
    clause: V4_DATE,
    name: 'x-oss-date present: it is the time line, a Date beside it is not (signed over Date → mismatch)',
    request: () => {
      const r = v4Header({ time: 'Date' });
      return { ...r, headers: { ...(r.headers as Record<string, string>), 'x-oss-date': ISO } };
    },
    want: V4_MISMATCH,
  },
  {
    clause: V4_DATE,
    name: 'an unreadable x-oss-date is not replaced by a readable Date → EC 0002-00000502',
    request: () => {
      const r = v4Header({ time: 'Date' });
      const headers = { ...(r.headers as Record<string, string>), 'x-oss-date': HTTP_DATE };
      return { ...r, headers };
    },
    want: denied('OSS authentication requires a valid Date.', '0002-00000502'),
  },

  // V1 header requests with both Date and x-oss-date.
  {
    clause: X_OSS_DATE,
    name: 'both sent, signed over x-oss-date → valid',
    request: () =>
      v1Header('', `/${BUCKET}/${KEY}`, {
        headers: { date: new Date(AT.getTime() + 60_000).toUTCString(), 'x-oss-date': HTTP_DATE },
      }),
    want: v1Valid('header'),
  },
  {
    clause: X_OSS_DATE,
    name: 'both sent, signed over Date (the classic Go SDK) → SignatureDoesNotMatch',
    request: () => {
      const date = new Date(AT.getTime() + 60_000).toUTCString();
      return v1Header('', `/${BUCKET}/${KEY}`, {
        headers: { date, 'x-oss-date': HTTP_DATE },
        time: date,
      });
    },
    want: V1_MISMATCH,
  },

  // + in a query is a space, as the SDKs send and sign it.
  {
    clause: PLUS,
    name: 'V1 URL response-content-disposition with + for spaces, signed decoded → valid',
    request: () =>
      v1Url(
        'response-content-disposition=attachment%3B+filename%3Dmy+photo.jpg',
        `/${BUCKET}/${KEY}?response-content-disposition=attachment; filename=my photo.jpg`,
      ),
    want: v1Valid('query'),
  },
  {
    clause: PLUS,
    name: 'V4 header my+param=v+1 signed as my%20param=v%201 → valid',
    request: () => v4Header({ rawQuery: 'my+param=v+1', query: [['my param', 'v 1']] }),
    want: v4Valid('header'),
  },
];

describe('S8 R2 case table: verifySignature', () => {
  it.each(rows.map((r) => [`${r.clause}: ${r.name}`, r] as const))('%s', async (_, r) => {
    expect(await verifySignature(r.request(), opts(r.options))).toEqual(r.want);
  });

  it('S8 R2 signed names are exact: why — the crafted forms sign the same V1 string', () => {
    const resource = (q: [string, string][]) => canonicalizedResource(BUCKET, KEY, q);
    expect(resource([['x-oss-process=style/small', '']])).toBe(
      resource([['x-oss-process', 'style/small']]),
    );
    expect(resource([['response-content-type', 'image/jpeg&x-oss-process=style/small']])).toBe(
      resource([
        ['response-content-type', 'image/jpeg'],
        ['x-oss-process', 'style/small'],
      ]),
    );
  });

  it('S5 R2 V4 Date: detection says signed, with the AccessKeyId', () => {
    expect(detectSignature(v4Header({ time: 'Date' }))).toMatchObject({
      kind: 'signed',
      scheme: 'oss-v4',
      location: 'header',
      accessKeyId: AK,
    });
    const r = v4Header({ time: 'Date', date: 'yesterday' });
    expect(detectSignature(r)).toMatchObject({ kind: 'malformed', scheme: 'oss-v4' });
  });
});

// --- before the secret: no lookup, no HMAC -------------------------------------------------------

describe('S8 R2 refusals come before the secret, and a request costs at most one HMAC chain', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an ambiguous query: getSecret is not called and nothing is signed', async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const getSecret = vi.fn(() => SK);
    for (const r of [
      v1Url('x-oss-process%3Dstyle%2Fsmall', STYLE),
      v4Url('x-oss-%70rocess=style%2Fsmall', [['x-oss-process', 'style/small']]),
    ]) {
      expect(await verifySignature(r, opts({ getSecret }))).toMatchObject({ code: 'AccessDenied' });
    }
    expect(getSecret).not.toHaveBeenCalled();
    expect(sign).not.toHaveBeenCalled();
  });

  it('V1: one HMAC; V4: one chain of four and the signature, then one HMAC once the key is kept', async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    // A secret no other test has used, so no derived key is cached yet.
    const secret = `fresh-${Math.random()}`;
    const withSecret = opts({ getSecret: () => secret });
    const count = async (r: RequestLike) => {
      sign.mockClear();
      await verifySignature(r, withSecret);
      return sign.mock.calls.length;
    };
    expect(await count(v1Url('', `/${BUCKET}/${KEY}`))).toBe(1);
    expect(await count(v4Header())).toBe(5);
    expect(await count(v4Header({ time: 'Date' }))).toBe(1);
    // A mismatch costs no retry with another reading of the request.
    expect(await count(v1Header('', `/${OTHER}/${KEY}`))).toBe(1);
  });
});

// --- non-reads too ---------------------------------------------------------------------------------

describe('S8 R2 non-reads too: verifyAndEvaluate checks every method', () => {
  const policy = definePolicy({ extensions: ['jpg'], styles: ['small'] });
  const NON_READS = 'S8 R2 non-reads too';
  const table: [string, RequestLike, Record<string, unknown>][] = [
    [
      'PUT with a malformed query signature → malformed-signature',
      { method: 'PUT', url: `/${KEY}?Signature=x`, headers: { host: HOST } },
      {
        allow: false,
        reason: 'malformed-signature',
        status: 403,
        code: 'AccessDenied',
        message:
          'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
        signature: { kind: 'malformed' },
      },
    ],
    [
      'DELETE with a broken Authorization header → malformed-signature',
      {
        method: 'DELETE',
        url: `/${KEY}`,
        headers: { host: HOST, authorization: 'OSS4-HMAC-SHA256 nonsense' },
      },
      { allow: false, reason: 'malformed-signature', status: 403, code: 'AccessDenied' },
    ],
    [
      'PUT with a V4 header signature but no date → malformed-signature',
      (() => {
        const r = v4Header({ method: 'PUT' });
        const { 'x-oss-date': _, ...headers } = r.headers as Record<string, string>;
        return { ...r, headers };
      })(),
      { allow: false, reason: 'malformed-signature', code: 'AccessDenied' },
    ],
    [
      'PUT with a forged V1 header → invalid-signature',
      (() => {
        const r = v1Header('', `/${BUCKET}/${KEY}`, { method: 'PUT' });
        return { ...r, headers: { ...(r.headers as object), authorization: `OSS ${AK}:Zm9yZ2Vk` } };
      })(),
      {
        allow: false,
        reason: 'invalid-signature',
        status: 403,
        code: 'SignatureDoesNotMatch',
        method: 'PUT',
      },
    ],
    [
      'PUT with an expired V1 URL → expired-signature',
      v1Url('', `/${BUCKET}/${KEY}`, { method: 'PUT' }),
      {
        allow: false,
        reason: 'expired-signature',
        status: 403,
        code: 'AccessDenied',
        message: 'Request has expired.',
      },
    ],
    [
      'PUT with an ambiguous V1 URL → invalid-signature with the S8 R2 refusal',
      v1Url('x-oss-process%3Dstyle%2Fsmall', STYLE, { method: 'PUT' }),
      {
        allow: false,
        reason: 'invalid-signature',
        status: 403,
        code: 'AccessDenied',
        message: ambiguous('x-oss-process%3Dstyle%2Fsmall').message,
      },
    ],
    [
      'PUT with a valid V4 header signature → allowed as not-a-read',
      v4Header({ method: 'PUT' }),
      { allow: true, reason: 'not-a-read' },
    ],
    [
      'an anonymous PUT → allowed as not-a-read',
      { method: 'PUT', url: `/${KEY}`, headers: { host: HOST } },
      { allow: true, reason: 'not-a-read', signature: undefined },
    ],
  ];

  it.each(table)(`${NON_READS}: %s`, async (name, request, want) => {
    const now = name.includes('expired') ? new Date(AT.getTime() + 3_600_000) : AT;
    expect(await verifyAndEvaluate(request, policy, opts({ now }))).toMatchObject(want);
  });
});

// --- properties ------------------------------------------------------------------------------------

/** Percent-encode one character of `s` (at `i`), whatever it is. */
const escapeAt = (s: string, i: number) =>
  `${s.slice(0, i)}%${s.charCodeAt(i).toString(16).toUpperCase().padStart(2, '0')}${s.slice(i + 1)}`;

const V1_SIGNED_NAMES = [
  'x-oss-process',
  'response-content-type',
  'response-content-disposition',
  'versionId',
  'acl',
  'security-token',
  'x-oss-traffic-limit',
  'x-oss-anything',
];

describe('S8 R2 signed names are exact: properties', () => {
  const valueArb = fc.stringMatching(/^[a-z0-9/,_.-]{1,12}$/);

  it('V1: escaping any character of a signed name is refused, though it signs the same string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...V1_SIGNED_NAMES),
        valueArb,
        fc.nat(),
        async (n, v, at) => {
          const i = at % n.length;
          const raw = escapeAt(n, i);
          const resource = `/${BUCKET}/${KEY}?${n}=${v}`;
          const r = v1Url(`${raw}=${encodeURIComponent(v)}`, resource);
          expect(await verifySignature(r, opts())).toEqual(ambiguous(raw));
          // Unescaped, the same signature is valid.
          const plain = v1Url(`${n}=${encodeURIComponent(v)}`, resource);
          expect(await verifySignature(plain, opts())).toEqual(v1Valid('query'));
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it('V1: folding a signed parameter into a signed value with %26 is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...V1_SIGNED_NAMES),
        fc.constantFrom(...V1_SIGNED_NAMES),
        valueArb,
        valueArb,
        async (outer, inner, v, w) => {
          fc.pre(outer !== inner);
          const [first, second] = outer < inner ? [outer, inner] : [inner, outer];
          // `first` sorts first, so `first=v&second=w` is also how the two would be signed.
          const resource = `/${BUCKET}/${KEY}?${first}=${v}&${second}=${w}`;
          const raw = `${first}=${encodeURIComponent(`${v}&${second}=${w}`)}`;
          expect(await verifySignature(v1Url(raw, resource), opts())).toEqual(ambiguous(first));
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it('V4: an escaped character in a processing name (any case) is refused; elsewhere it is not', async () => {
    const names = ['x-oss-process', 'X-OSS-PROCESS', 'x-oss-async-process', 'X-Oss-Async-Process'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), valueArb, fc.nat(), async (n, v, at) => {
        const raw = escapeAt(n, at % n.length);
        const r = v4Url(`${raw}=${rfc3986(v)}`, [[n, v]]);
        expect(await verifySignature(r, opts())).toEqual(ambiguous(raw));
        const other = `my-${n.slice(6)}`;
        const fine = v4Url(`${escapeAt(other, at % other.length)}=${rfc3986(v)}`, [[other, v]]);
        expect(await verifySignature(fine, opts())).toEqual(v4Valid('query'));
      }),
      { numRuns: runs(100) },
    );
  });

  it('rawQueryNames splits as S4 does: on &, then the first = before the next &, empty parts skipped', () => {
    const text = fc
      .array(fc.constantFrom('a', 'x', '=', '&', '%', '2', '6', ';', '+', '#', '?'), {
        maxLength: 30,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (q) => {
        const naive = q
          .split('&')
          .filter((p) => p !== '')
          .map((p) => p.split('=')[0]);
        expect(rawQueryNames(q, 0, q.length)).toEqual(naive);
      }),
      { numRuns: runs(500) },
    );
    expect(rawQueryNames('x-oss-%70rocess=a&&b&c=d=e', 0, 26)).toEqual([
      'x-oss-%70rocess',
      'b',
      'c',
    ]);
  });

  it('ambiguousParameter refuses when the decoded query does not line up with the raw one', () => {
    // Cannot happen (both split the same way); if it ever did, nothing would be trusted.
    expect(
      ambiguousParameter('oss-v1', '/a?b=%32', [
        ['b', '2'],
        ['x-oss-a', '1'],
      ]),
    ).toBe('');
    expect(ambiguousParameter('oss-v1', '/a?b=1&c=%32', [['x-oss-a', '1']])).toBe('c');
    expect(ambiguousParameter('oss-v1', '/a?b=%32', [['b', '2']])).toBeUndefined();
    expect(ambiguousParameter('oss-v1', 'not a target', [])).toBeUndefined();
  });
});

// --- the single-walk header collector ------------------------------------------------------------

describe('collectHeaders: one walk, the values headerNames and headerValue give', () => {
  const nameArb = fc.constantFrom(
    'x-oss-meta-a',
    'X-OSS-Meta-A',
    'x-oss-Meta-a',
    'x-oss-date',
    'Content-Type',
    'content-md5',
    'host',
    'X-OSS-\u0130',
    'x-oss-\u212a',
    'range',
  );
  const valueArb = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constant(undefined),
    fc.constant(null),
    fc.integer(),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  );
  const pairs = fc.array(fc.tuple(nameArb, valueArb), { maxLength: 8 });
  const shapes = pairs.chain((list) =>
    fc.constantFrom<RequestLike>(
      { headers: Object.fromEntries(list) as never },
      { headers: list.map(([n, v]) => [n, v]) as never },
      { rawHeaders: list.flat() as never, headers: { ignored: 'x' } },
      {
        headers: new Headers(
          list.filter(
            ([n, v]) => typeof v === 'string' && /^[a-z-]+$/i.test(n) && /^[!-~]*$/.test(v),
          ) as [string, string][],
        ),
      },
    ),
  );

  it('agrees with headerNames + headerValue for every shape (x-oss-*, content-*)', () => {
    const wanted = (n: string) => n.startsWith('x-oss-') || n.startsWith('content-');
    fc.assert(
      fc.property(shapes, (request) => {
        const expected = new Map(
          headerNames(request)
            .filter(wanted)
            .map((n) => [n, headerValue(request, n) ?? ''] as const),
        );
        expect(collectHeaders(request, wanted)).toEqual(expected);
      }),
      { numRuns: runs(1000) },
    );
  });
});

// --- linear time before the secret ---------------------------------------------------------------

/**
 * Linear time (S8 R2): each crafted request costs at most a few times (20×) a normal request of
 * the same byte size, measured as a ratio in one run, never as a fixed time. Both are verified
 * alternately and the fastest of several runs of each is kept, which cancels most of the noise
 * of a shared machine; a timing that still misses is measured again (at most five times), since
 * a superlinear cost misses every time by far (the quadratic `=` search took seconds on 1 MiB,
 * the per-name header lookups a second on 4,000 headers: ratios in the hundreds).
 *
 * What "normal" means: a 1 MiB query is only ever made of many parameters, so the normal one is
 * 1 MiB of short ordinary parameters with distinct names (`p0=1&p1=1&…`), as an SDK writes a
 * large query; a request with 10,000 headers is compared with one whose same bytes are in ten
 * ordinary `x-oss-meta-*` headers, in the same header shape.
 */
const MiB = 1 << 20;
// Honest requests measure 2–8× here on a loaded machine; superlinear code measures in the
// hundreds, so 20× separates the two with room for a busy CI run.
const LIMIT = 20;
const ATTEMPTS = 5;

/** `part(0) + part(1) + …` until at least `bytes` long (whole parts only). */
function fill(part: (i: number) => string, bytes: number): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const p = part(i);
    out.push(p);
    length += p.length;
  }
  return out.join('');
}

/** The time of `times` verifications of `request`, one after the other. */
async function timed(request: RequestLike, options: VerifyOptions, times: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < times; i++) await verifySignature(request, options);
  return performance.now() - start;
}

/** crafted / normal: the fastest of `rounds` alternate timings of each. */
async function ratio(
  crafted: () => RequestLike,
  normal: () => RequestLike,
  times: number,
  rounds = 7,
): Promise<{ ratio: number; crafted: number; normal: number }> {
  const a = crafted();
  const b = normal();
  const o = opts({ bucket: BUCKET });
  // Both must get as far as the signature comparison: a refusal would be cheap, and prove nothing.
  expect(await verifySignature(a, o)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  expect(await verifySignature(b, o)).toMatchObject({ code: 'SignatureDoesNotMatch' });
  let ta = Number.POSITIVE_INFINITY;
  let tb = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    ta = Math.min(ta, await timed(a, o, times));
    tb = Math.min(tb, await timed(b, o, times));
  }
  return { ratio: ta / tb, crafted: ta / times, normal: tb / times };
}

async function expectLinear(
  label: string,
  crafted: () => RequestLike,
  normal: () => RequestLike,
  times = 1,
): Promise<void> {
  let best = { ratio: Number.POSITIVE_INFINITY, crafted: 0, normal: 0 };
  for (let attempt = 0; attempt < ATTEMPTS && best.ratio > LIMIT; attempt++) {
    const r = await ratio(crafted, normal, times);
    if (r.ratio < best.ratio) best = r;
  }
  console.info(
    `linear time: ${label}: ${best.crafted.toFixed(1)} ms / ${best.normal.toFixed(1)} ms = ${best.ratio.toFixed(2)}×`,
  );
  expect(best.ratio, label).toBeLessThanOrEqual(LIMIT);
}

const V1_QUERY_AUTH = `OSSAccessKeyId=${AK}&Expires=${EXPIRES}&Signature=c2lnbmF0dXJl`;
const V4_QUERY_AUTH = `x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=${AK}%2F20240115%2F${REGION}%2Foss%2Faliyun_v4_request&x-oss-date=${ISO}&x-oss-expires=3600&x-oss-signature=${'0'.repeat(64)}`;

const QUERIES: Readonly<Record<string, string>> = {
  'a&a&…&a= (the quadratic = search)': `${fill(() => 'a&', MiB - 1)}=`,
  'x-oss-0&x-oss-1&… (distinct signed names)': fill((i) => `x-oss-${i}&`, MiB),
  '%61=%62&… (every name and value escaped)': fill(() => '%61=%62&', MiB),
  'one signed value of %26a%26a… (& in a signed value)': `response-content-type=${fill(() => '%26a', MiB - 22)}`,
  'a=b=b=b… (one parameter, every = after the first is data)': `a${fill(() => '=b', MiB - 1)}`,
  'a;x-oss-processx&… (a ; in every parameter)': fill(() => 'a;x-oss-processx&', MiB),
};
const NORMAL_QUERY = fill((i) => `p${i}=1&`, MiB);

// Headers first: the 1 MiB queries leave a large heap behind, which slows what follows.
describe('S8 R2 linear time: 10,000 headers', () => {
  const N = 10_000;
  // A few milliseconds each: timed five at a time, so the timer's grain does not count.
  const TIMES = 5;
  type Pairs = [string, string][];
  const distinct: Pairs = Array.from({ length: N }, (_, i) => [`X-Oss-Meta-Field-${i}`, `v${i}`]);
  const same: Pairs = Array.from({ length: N }, (_, i) => ['X-Oss-Meta-A', `v${i}`]);
  const bytes = (p: Pairs) => p.reduce((n, [k, v]) => n + k.length + v.length, 0);
  /** Ten ordinary headers holding the same bytes (`extra`: bytes the crafted one has elsewhere). */
  const few = (p: Pairs, extra = 0): Pairs => {
    const each = Math.ceil((bytes(p) + extra) / 10);
    return Array.from({ length: 10 }, (_, i) => {
      const name = `X-Oss-Meta-Part-${i}`;
      return [name, 'v'.repeat(Math.max(1, each - name.length))];
    });
  };
  const v1Auth: Pairs = [
    ['Host', HOST],
    ['Date', HTTP_DATE],
    ['Authorization', `OSS ${AK}:c2lnbmF0dXJl`],
  ];
  const v4Auth = (additional: string[] = []): Pairs => [
    ['Host', HOST],
    ['x-oss-date', ISO],
    [
      'Authorization',
      `OSS4-HMAC-SHA256 Credential=${AK}/20240115/${REGION}/oss/aliyun_v4_request,${
        additional.length === 0 ? '' : `AdditionalHeaders=${additional.join(';')},`
      }Signature=${'0'.repeat(64)}`,
    ],
  ];
  const SHAPES: Record<string, (p: Pairs) => RequestLike> = {
    pairs: (p) => ({ url: `/${KEY}`, headers: p }),
    rawHeaders: (p) => ({ url: `/${KEY}`, headers: {}, rawHeaders: p.flat() }),
    'record (mixed case)': (p) => ({ url: `/${KEY}`, headers: Object.fromEntries(p) }),
    'Fetch Headers': (p) => ({ url: `/${KEY}`, headers: new Headers(p) }),
  };
  for (const [shape, make] of Object.entries(SHAPES)) {
    for (const [scheme, auth] of [
      ['V1', v1Auth],
      ['V4', v4Auth()],
    ] as const) {
      it(`${scheme} ${shape}: 10,000 distinct x-oss-* headers`, () =>
        expectLinear(
          `${scheme} ${shape} 10,000 distinct x-oss-* headers`,
          () => make([...auth, ...distinct]),
          () => make([...auth, ...few(distinct)]),
          TIMES,
        ));
    }
  }
  for (const shape of ['pairs', 'rawHeaders'] as const) {
    const make = SHAPES[shape] as (p: Pairs) => RequestLike;
    it(`V1 ${shape}: one x-oss-* header repeated 10,000 times`, () =>
      expectLinear(
        `V1 ${shape} one x-oss-* header ×10,000`,
        () => make([...v1Auth, ...same]),
        () => make([...v1Auth, ...few(same)]),
        TIMES,
      ));
  }
  it('V4 pairs: 10,000 headers, every one named in AdditionalHeaders', () => {
    const plain: Pairs = Array.from({ length: N }, (_, i) => [`h-${i}`, `v${i}`]);
    const names = plain.map(([n]) => n);
    // The normal request holds the bytes of the AdditionalHeaders list too.
    return expectLinear(
      'V4 pairs 10,000 additional headers',
      () => ({ url: `/${KEY}`, headers: [...v4Auth(names), ...plain] }),
      () => ({ url: `/${KEY}`, headers: [...v4Auth(), ...few(plain, names.join(';').length)] }),
      TIMES,
    );
  });
});

describe('S8 R2 linear time: a 1 MiB query', () => {
  const v1 = (q: string) => () => ({
    url: `/${KEY}?${q}&${V1_QUERY_AUTH}`,
    headers: { host: HOST },
  });
  const v4 = (q: string) => () => ({
    url: `/${KEY}?${q}&${V4_QUERY_AUTH}`,
    headers: { host: HOST },
  });
  const v1h = (q: string) => () => ({
    url: `/${KEY}?${q}`,
    headers: { host: HOST, date: HTTP_DATE, authorization: `OSS ${AK}:c2lnbmF0dXJl` },
  });
  for (const [name, query] of Object.entries(QUERIES)) {
    it(`V1 URL: ${name}`, () => expectLinear(`V1 URL ${name}`, v1(query), v1(NORMAL_QUERY)));
    it(`V4 URL: ${name}`, () => expectLinear(`V4 URL ${name}`, v4(query), v4(NORMAL_QUERY)));
  }
  it('V1 header: a&a&…&a=', () =>
    expectLinear(
      'V1 header a&a&…&a=',
      v1h(QUERIES['a&a&…&a= (the quadratic = search)'] as string),
      v1h(NORMAL_QUERY),
    ));
});
