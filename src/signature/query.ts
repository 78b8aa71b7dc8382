/**
 * Signature detection over the query (docs/behaviour.md#signatures): which scheme's parameters are
 * present, whether they are complete and well-formed, and when the signature expires.
 * @module
 */
import { MAX_EXPIRES_SECONDS } from '../oss/limits.js';
import type { QueryParam } from '../request/query.js';
import { BASE64, credentialKey, HEX64, integer } from './credential.js';
import { parseIsoBasic } from './dates.js';
import { type Malformed, malformed, onlySignature, type SignatureInfo, signed } from './info.js';
import { isMarker, MARKERS, SCHEMES, type SignatureScheme } from './schemes.js';

/** Detection (docs/behaviour.md#signatures) over the query parameters. `undefined` when there is no signature parameter at all. */
/** @internal */
export function fromQuery(
  query: readonly QueryParam[],
  now: Date | undefined,
): SignatureInfo | undefined {
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
    const schemes = MARKERS.get(name) as readonly SignatureScheme[];
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
          SCHEMES[
            (
              MARKERS.get(params.keys().next().value as string) as SignatureScheme[]
            )[0] as SignatureScheme
          ].missing,
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
    if (!(MARKERS.get(name) as readonly SignatureScheme[]).includes(scheme)) {
      return malformed(
        `The ${name} parameter does not belong to ${scheme} query authentication.`,
        scheme,
        'query',
      );
    }
  }
  const missing = SCHEMES[scheme].required.filter((name) => (params.get(name) ?? '') === '');
  if (missing.length > 0) return malformed(SCHEMES[scheme].missing, scheme, 'query');
  const get = (name: string) => params.get(name) as string;
  const optional = (name: string) => params.get(name);
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
        onlySignature(get('Signature')),
      );
    }
    case 'oss-v2': {
      const expires = integer(get('x-oss-expires'), 0, Number.MAX_SAFE_INTEGER);
      if (expires === undefined)
        return bad(`x-oss-expires must be a Unix time in seconds, not "${get('x-oss-expires')}".`);
      return signed(
        scheme,
        'query',
        get('x-oss-access-key-id'),
        expires * 1000,
        now,
        onlySignature(get('x-oss-signature')),
      );
    }
    case 'oss-v4':
      return fourthVersion(scheme, get, optional, bad, now, {
        credential: 'x-oss-credential',
        date: 'x-oss-date',
        expires: 'x-oss-expires',
        signature: 'x-oss-signature',
        service: 'oss',
        terminator: 'aliyun_v4_request',
        minExpires: 1,
        additional: 'x-oss-additional-headers',
      });
    case 'aws-v4':
      if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
        return bad('X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
      }
      return fourthVersion(scheme, get, optional, bad, now, {
        credential: 'X-Amz-Credential',
        date: 'X-Amz-Date',
        expires: 'X-Amz-Expires',
        signature: 'X-Amz-Signature',
        service: undefined,
        terminator: 'aws4_request',
        minExpires: 0,
        additional: undefined,
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
  /** The additional-headers parameter, where the scheme has one. */
  readonly additional: string | undefined;
}

/** A V4-style query signature: credential, date, relative expiry and a hex signature. */
function fourthVersion(
  scheme: SignatureScheme,
  get: (name: string) => string,
  optional: (name: string) => string | undefined,
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
  const expires = integer(get(p.expires), p.minExpires, MAX_EXPIRES_SECONDS);
  if (expires === undefined) {
    return bad(
      `${p.expires} must be a number of seconds from ${p.minExpires} to ${MAX_EXPIRES_SECONDS}.`,
    );
  }
  if (!HEX64.test(get(p.signature))) return bad(`${p.signature} must be 64 hexadecimal digits.`);
  return signed(scheme, 'query', ak, date + expires * 1000, now, {
    signature: get(p.signature),
    credential: get(p.credential),
    additionalHeaders: p.additional === undefined ? undefined : optional(p.additional),
    date: get(p.date),
    dateMs: date,
  });
}
