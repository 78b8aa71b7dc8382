/**
 * Does a request carry a signature? (docs/behaviour.md#signatures) Detection only: whether a
 * signature is *valid* needs the secret (`oss-source-guard/verify`).
 * @module
 */
import { headerValues, type RequestLike } from '../request/access.js';
import { parseQuery, type QueryParam } from '../request/query.js';
import { locate } from '../request/target.js';
import { fromHeader } from './header.js';
import { ANONYMOUS, malformed, type SignatureInfo } from './info.js';
import { fromQuery } from './query.js';

/** Options of {@link detectSignature}. */
export interface DetectOptions {
  /** The current time; absent: expiry is not checked (`expired` is always `false`). */
  readonly now?: Date | undefined;
}

/** Detection (docs/behaviour.md#signatures) from parts already read; `evaluate` uses this to read the query only once. */
/** @internal */
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
 * Whether a request carries a signature, and which (docs/behaviour.md#signatures): `anonymous`,
 * `signed` (scheme,
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
    // Where the query is, as indices: the host and path are not needed, so not sliced.
    const url = request.url as string;
    const at = locate(url);
    const query = at === undefined ? [] : parseQuery(url, at.queryStart, at.queryEnd);
    if (query === undefined) return malformed('The request URI could not be parsed.');
    return classifySignature(request, query, options?.now);
  } catch {
    // Only exotic input gets here (a header object whose accessors throw).
    return malformed('The request could not be read.');
  }
}

/**
 * True when the request carries no signature of any scheme (docs/behaviour.md#signatures). A
 * malformed signature is not anonymous: OSS rejects it.
 *
 * @example
 * isAnonymous({ url: '/a.jpg' })                                  // true
 * isAnonymous({ url: '/a.jpg?security-token=t' })                  // true: a token alone is not a signature
 * isAnonymous({ url: '/a.jpg', headers: { authorization: 'OSS ak:c2ln' } }) // false
 */
export function isAnonymous(request: RequestLike): boolean {
  return detectSignature(request).kind === 'anonymous';
}
