/**
 * Does a request carry a signature? (SPEC S5) Detection only: whether a signature is *valid*
 * needs the secret (`oss-source-guard/verify`).
 * @module
 */
import { headerValue, headerValues, type RequestLike } from './request.js';
import { parseQuery, type QueryParam, splitTarget } from './url.js';

/** The signature schemes OSS accepts. */
export type SignatureScheme = 'oss-v1' | 'oss-v2' | 'oss-v4' | 'aws-v2' | 'aws-v4';

/** What {@link detectSignature} found. */
export type SignatureInfo =
  /** No `Authorization` header and no signature parameter (a security token alone is not one). */
  | { readonly kind: 'anonymous' }
  /** One scheme, complete and well-formed; not verified. */
  | {
      readonly kind: 'signed';
      readonly scheme: SignatureScheme;
      readonly location: 'header' | 'query';
      readonly accessKeyId: string;
      /** When a query signature stops being accepted; undefined for header signatures. */
      readonly expires: Date | undefined;
      /** True when `now` was given and the query signature has expired. */
      readonly expired: boolean;
    }
  /** Something between: OSS rejects it, so it is neither anonymous nor signed. */
  | {
      readonly kind: 'malformed';
      /** The scheme it tried to be, when that is clear. */
      readonly scheme: SignatureScheme | undefined;
      readonly location: 'header' | 'query' | undefined;
      /** OSS's message where it has one, else one in its style. */
      readonly message: string;
    };

/** Options of {@link detectSignature}. */
export interface DetectOptions {
  /** The current time: an expired query signature is then reported `expired`. */
  readonly now?: Date | undefined;
}

type Signed = Extract<SignatureInfo, { kind: 'signed' }>;
type Malformed = Extract<SignatureInfo, { kind: 'malformed' }>;

const ANONYMOUS: SignatureInfo = Object.freeze({ kind: 'anonymous' });

const malformed = (
  message: string,
  scheme?: SignatureScheme,
  location?: 'header' | 'query',
): Malformed => ({ kind: 'malformed', scheme, location, message });

/** Which scheme each signature parameter belongs to; shared ones list every candidate. */
const MARKERS: Readonly<Record<string, readonly SignatureScheme[]>> = {
  OSSAccessKeyId: ['oss-v1'],
  AWSAccessKeyId: ['aws-v2'],
  Signature: ['oss-v1', 'aws-v2'],
  Expires: ['oss-v1', 'aws-v2'],
  'x-oss-access-key-id': ['oss-v2'],
  'x-oss-credential': ['oss-v4'],
  'x-oss-date': ['oss-v4'],
  'x-oss-signature-version': ['oss-v2', 'oss-v4'],
  'x-oss-signature': ['oss-v2', 'oss-v4'],
  'x-oss-expires': ['oss-v2', 'oss-v4'],
  'x-oss-additional-headers': ['oss-v2', 'oss-v4'],
  'X-Amz-Algorithm': ['aws-v4'],
  'X-Amz-Credential': ['aws-v4'],
  'X-Amz-Date': ['aws-v4'],
  'X-Amz-Expires': ['aws-v4'],
  'X-Amz-SignedHeaders': ['aws-v4'],
  'X-Amz-Signature': ['aws-v4'],
};

// Every query parameter of every request is tested: the marker names of the parameter's length
// are compared directly, which costs less than a property lookup with a sliced string.
const MARKERS_BY_LENGTH: readonly (readonly string[])[] = Array.from({ length: 32 }, (_, n) =>
  Object.keys(MARKERS).filter((name) => name.length === n),
);
const isMarker = (name: string): boolean => {
  // A dense table read in bounds: an out-of-bounds read would take V8's slow path.
  if (name.length >= 32) return false;
  for (const marker of MARKERS_BY_LENGTH[name.length] as readonly string[]) {
    if (marker === name) return true;
  }
  return false;
};

const REQUIRED: Readonly<Record<SignatureScheme, readonly string[]>> = {
  'oss-v1': ['OSSAccessKeyId', 'Expires', 'Signature'],
  'oss-v2': ['x-oss-signature-version', 'x-oss-access-key-id', 'x-oss-expires', 'x-oss-signature'],
  'oss-v4': [
    'x-oss-signature-version',
    'x-oss-credential',
    'x-oss-date',
    'x-oss-expires',
    'x-oss-signature',
  ],
  'aws-v2': ['AWSAccessKeyId', 'Expires', 'Signature'],
  'aws-v4': [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ],
};

const MISSING: Readonly<Record<SignatureScheme, string>> = {
  'oss-v1':
    'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
  'oss-v2':
    'Query-string authentication version 2 requires the x-oss-signature-version, x-oss-access-key-id, x-oss-expires and x-oss-signature parameters',
  'oss-v4':
    'Query-string authentication version 4 requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters',
  'aws-v2':
    'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
  'aws-v4':
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters',
};

const DIGITS = /^\d{1,15}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_EXPIRES = 604800;

/** `yyyymmddTHHMMSSZ` → time in ms, or undefined when not a real UTC time. */
export function parseIsoBasic(value: string): number | undefined {
  const m = ISO_BASIC.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  return back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60
    ? t
    : undefined;
}

/**
 * The AccessKeyId of a credential `ak/yyyymmdd/region/service/terminator`, or undefined when it
 * is not one (`service` undefined: any non-empty service).
 */
function credentialKey(
  value: string,
  service: string | undefined,
  terminator: string,
): string | undefined {
  const parts = value.split('/');
  if (parts.length !== 5) return undefined;
  const [ak, date, region, svc, term] = parts as [string, string, string, string, string];
  const serviceOk = service === undefined ? svc !== '' : svc === service;
  return ak !== '' && /^\d{8}$/.test(date) && region !== '' && serviceOk && term === terminator
    ? ak
    : undefined;
}

function integer(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !DIGITS.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

function signed(
  scheme: SignatureScheme,
  location: 'header' | 'query',
  accessKeyId: string,
  expiresMs: number | undefined,
  now: Date | undefined,
): Signed {
  if (expiresMs === undefined) {
    return { kind: 'signed', scheme, location, accessKeyId, expires: undefined, expired: false };
  }
  const expired = now !== undefined && expiresMs < now.getTime();
  return { kind: 'signed', scheme, location, accessKeyId, expires: new Date(expiresMs), expired };
}

/** S5 over the query parameters. `undefined` when there is no signature parameter at all. */
function fromQuery(query: readonly QueryParam[], now: Date | undefined): SignatureInfo | undefined {
  let params: Map<string, string> | undefined;
  let duplicated: string | undefined;
  for (const [name, value] of query) {
    if (!isMarker(name)) continue;
    params ??= new Map();
    if (params.has(name)) duplicated ??= name;
    params.set(name, value);
  }
  if (params === undefined) return undefined;
  if (duplicated !== undefined)
    return malformed(`The ${duplicated} parameter is given more than once.`, undefined, 'query');

  // The schemes named outright; shared parameters must then belong to the one named.
  const version = params.get('x-oss-signature-version');
  const definite = new Set<SignatureScheme>();
  for (const name of params.keys()) {
    const schemes = MARKERS[name] as readonly SignatureScheme[];
    if (schemes.length === 1) definite.add(schemes[0] as SignatureScheme);
  }
  if (version === 'OSS2') definite.add('oss-v2');
  else if (version === 'OSS4-HMAC-SHA256') definite.add('oss-v4');
  else if (version !== undefined) {
    return malformed(`Unsupported x-oss-signature-version "${version}".`, undefined, 'query');
  }
  if (definite.size !== 1) {
    return definite.size === 0
      ? malformed(
          MISSING[
            (
              MARKERS[params.keys().next().value as string] as SignatureScheme[]
            )[0] as SignatureScheme
          ],
          undefined,
          'query',
        )
      : malformed(
          `The query mixes signature parameters of several schemes (${[...definite].join(', ')}).`,
          undefined,
          'query',
        );
  }
  const scheme = [...definite][0] as SignatureScheme;
  for (const name of params.keys()) {
    if (!(MARKERS[name] as readonly SignatureScheme[]).includes(scheme)) {
      return malformed(
        `The ${name} parameter does not belong to ${scheme} query authentication.`,
        scheme,
        'query',
      );
    }
  }
  const missing = REQUIRED[scheme].filter((name) => (params.get(name) ?? '') === '');
  if (missing.length > 0) return malformed(MISSING[scheme], scheme, 'query');
  const get = (name: string) => params.get(name) as string;
  const bad = (what: string) => malformed(what, scheme, 'query');

  switch (scheme) {
    case 'oss-v1':
    case 'aws-v2': {
      const expires = integer(get('Expires'), 0, Number.MAX_SAFE_INTEGER);
      if (expires === undefined)
        return bad(`Expires must be a Unix time in seconds, not "${get('Expires')}".`);
      if (!BASE64.test(get('Signature'))) return bad('Signature is not Base64.');
      return signed(
        scheme,
        'query',
        get(scheme === 'oss-v1' ? 'OSSAccessKeyId' : 'AWSAccessKeyId'),
        expires * 1000,
        now,
      );
    }
    case 'oss-v2': {
      const expires = integer(get('x-oss-expires'), 0, Number.MAX_SAFE_INTEGER);
      if (expires === undefined)
        return bad(`x-oss-expires must be a Unix time in seconds, not "${get('x-oss-expires')}".`);
      return signed(scheme, 'query', get('x-oss-access-key-id'), expires * 1000, now);
    }
    case 'oss-v4':
      return fourthVersion(scheme, get, bad, now, {
        credential: 'x-oss-credential',
        date: 'x-oss-date',
        expires: 'x-oss-expires',
        signature: 'x-oss-signature',
        service: 'oss',
        terminator: 'aliyun_v4_request',
        minExpires: 1,
      });
    case 'aws-v4':
      if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
        return bad('X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
      }
      return fourthVersion(scheme, get, bad, now, {
        credential: 'X-Amz-Credential',
        date: 'X-Amz-Date',
        expires: 'X-Amz-Expires',
        signature: 'X-Amz-Signature',
        service: undefined,
        terminator: 'aws4_request',
        minExpires: 0,
      });
  }
}

/** The parameter names and limits of a V4-style query signature (OSS V4 and AWS SigV4). */
interface FourthVersion {
  readonly credential: string;
  readonly date: string;
  readonly expires: string;
  readonly signature: string;
  /** The credential's service (`oss`), or undefined for any. */
  readonly service: string | undefined;
  readonly terminator: string;
  readonly minExpires: number;
}

/** A V4-style query signature: credential, date, relative expiry and a hex signature. */
function fourthVersion(
  scheme: SignatureScheme,
  get: (name: string) => string,
  bad: (message: string) => Malformed,
  now: Date | undefined,
  p: FourthVersion,
): SignatureInfo {
  const ak = credentialKey(get(p.credential), p.service, p.terminator);
  if (ak === undefined) {
    return bad(
      `${p.credential} must be AccessKeyId/yyyymmdd/region/${p.service ?? 'service'}/${p.terminator}.`,
    );
  }
  const date = parseIsoBasic(get(p.date));
  if (date === undefined) return bad(`${p.date} must be yyyymmddTHHMMSSZ, not "${get(p.date)}".`);
  const expires = integer(get(p.expires), p.minExpires, MAX_EXPIRES);
  if (expires === undefined) {
    return bad(`${p.expires} must be a number of seconds from ${p.minExpires} to ${MAX_EXPIRES}.`);
  }
  if (!HEX64.test(get(p.signature))) return bad(`${p.signature} must be 64 hexadecimal digits.`);
  return signed(scheme, 'query', ak, date + expires * 1000, now);
}

/** `Name=value` (V4) or `Name:value` (V2) fields separated by `,` or `, `, each at most once. */
function fields(
  text: string,
  separator: '=' | ':',
  allowed: readonly string[],
): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const raw of text.split(',')) {
    const field = raw.replace(/^ +/, '');
    const at = field.indexOf(separator);
    if (at <= 0) return undefined;
    const name = field.slice(0, at);
    const value = field.slice(at + 1);
    if (!allowed.includes(name) || out.has(name) || value === '' || /\s/.test(value))
      return undefined;
    out.set(name, value);
  }
  return out;
}

const V1_HEADER = /^(OSS|AWS) ([^\s:]+):(\S+)$/;

/** S5 over one `Authorization` header value. */
function fromHeader(value: string, request: RequestLike): SignatureInfo {
  const space = value.indexOf(' ');
  const name = space === -1 ? value : value.slice(0, space);
  const rest = space === -1 ? '' : value.slice(space + 1);
  const bad = (message: string, scheme?: SignatureScheme) => malformed(message, scheme, 'header');
  switch (name) {
    case 'OSS':
    case 'AWS': {
      const scheme = name === 'OSS' ? 'oss-v1' : 'aws-v2';
      const m = V1_HEADER.exec(value);
      if (m === null || !BASE64.test(m[3] as string))
        return bad(`The Authorization header must be "${name} AccessKeyId:Signature".`, scheme);
      return signed(scheme, 'header', m[2] as string, undefined, undefined);
    }
    case 'OSS2': {
      const f = fields(rest, ':', ['AccessKeyId', 'AdditionalHeaders', 'Signature']);
      if (f === undefined || !f.has('AccessKeyId') || !f.has('Signature')) {
        return bad(
          'The Authorization header must be "OSS2 AccessKeyId:…,[AdditionalHeaders:…,]Signature:…".',
          'oss-v2',
        );
      }
      return signed('oss-v2', 'header', f.get('AccessKeyId') as string, undefined, undefined);
    }
    case 'OSS4-HMAC-SHA256': {
      const f = fields(rest, '=', ['Credential', 'AdditionalHeaders', 'Signature']);
      const ak = f?.has('Credential')
        ? credentialKey(f.get('Credential') as string, 'oss', 'aliyun_v4_request')
        : undefined;
      if (f === undefined || ak === undefined || !HEX64.test(f.get('Signature') ?? '')) {
        return bad(
          'The Authorization header must be "OSS4-HMAC-SHA256 Credential=AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request,[AdditionalHeaders=…,]Signature=<64 hex digits>".',
          'oss-v4',
        );
      }
      const date = headerValue(request, 'x-oss-date');
      if (date === undefined || parseIsoBasic(date) === undefined) {
        return bad(
          'OSS4-HMAC-SHA256 header authentication requires an x-oss-date header (yyyymmddTHHMMSSZ).',
          'oss-v4',
        );
      }
      return signed('oss-v4', 'header', ak, undefined, undefined);
    }
    case 'AWS4-HMAC-SHA256': {
      const f = fields(rest, '=', ['Credential', 'SignedHeaders', 'Signature']);
      const cred = f?.get('Credential');
      const ak = cred === undefined ? undefined : credentialKey(cred, undefined, 'aws4_request');
      if (
        f === undefined ||
        ak === undefined ||
        !f.has('SignedHeaders') ||
        !HEX64.test(f.get('Signature') ?? '')
      ) {
        return bad(
          'The Authorization header must be "AWS4-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".',
          'aws-v4',
        );
      }
      return signed('aws-v4', 'header', ak, undefined, undefined);
    }
    default:
      return bad('The Authorization header uses an unknown scheme.');
  }
}

/** S5 from parts already read; `evaluate` uses this to read the query only once. */
export function classifySignature(
  request: RequestLike,
  query: readonly QueryParam[],
  now?: Date,
): SignatureInfo {
  const authorization = headerValues(request, 'authorization');
  const inQuery = fromQuery(query, now);
  if (authorization.length > 1)
    return malformed('The request has more than one Authorization header.', undefined, 'header');
  if (authorization.length === 0) return inQuery ?? ANONYMOUS;
  if (inQuery !== undefined)
    return malformed('The request is signed both in the Authorization header and in the query.');
  return fromHeader(authorization[0] as string, request);
}

/**
 * Whether a request carries a signature, and which (SPEC S5): `anonymous`, `signed` (scheme,
 * header or query, AccessKeyId, expiry) or `malformed` (OSS rejects it). Never throws.
 *
 * Detection is not verification: a forged `Signature=x&OSSAccessKeyId=y&Expires=9999999999` is
 * `signed` here. A deployment that does not verify signatures elsewhere must use
 * `verifySignature` from `oss-source-guard/verify`.
 *
 * @example
 * detectSignature({ url: '/a.jpg?OSSAccessKeyId=ak&Expires=1700000000&Signature=abc%3D' })
 * // { kind: 'signed', scheme: 'oss-v1', location: 'query', accessKeyId: 'ak', expires: Date(…), expired: false }
 */
export function detectSignature(request: RequestLike, options?: DetectOptions): SignatureInfo {
  try {
    const parts = splitTarget(request.url as string);
    const query =
      parts === undefined
        ? []
        : parseQuery(request.url as string, parts.queryStart, parts.queryEnd);
    if (query === undefined) return malformed('The request URI could not be parsed.');
    return classifySignature(request, query, options?.now);
  } catch {
    // Only exotic input gets here (a header object whose accessors throw).
    return malformed('The request could not be read.');
  }
}

/**
 * True when the request carries no signature of any scheme (SPEC S5). A malformed signature is
 * not anonymous: OSS rejects it.
 *
 * @example
 * isAnonymous({ url: '/a.jpg' })                                  // true
 * isAnonymous({ url: '/a.jpg?security-token=t' })                  // true: a token alone is not a signature
 * isAnonymous({ url: '/a.jpg', headers: { authorization: 'OSS ak:c2ln' } }) // false
 */
export function isAnonymous(request: RequestLike): boolean {
  return detectSignature(request).kind === 'anonymous';
}
