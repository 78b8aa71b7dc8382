/**
 * Reading a request target (SPEC S4): host → bucket, path → object key, query, the processing
 * parameter, and the delimiter readings. Nothing is normalised that a storage server would not
 * normalise, and nothing here throws.
 * @module
 */
import { compiled } from '../compile/index.js';
import { objectKeyProblem } from '../oss/names.js';
import { isWellFormed } from '../oss/text.js';
import type { Policy } from '../policy/model.js';
import { decodeWellFormed, percentDecode } from './decode.js';
import { delimiterSplits } from './delimiters.js';
import { type Endpoint, type HostInfo, readAuthority, readHost, type UrlOptions } from './host.js';
import { type ProcessParam, type Query, type QueryParam, readQuery } from './query.js';
import { combine, type Reading } from './readings.js';
import { locate } from './target.js';

export type { Endpoint, UrlOptions };

/** A request target read successfully. */
export interface ParsedUrl {
  readonly ok: true;
  /** Lower-case, without port. */
  readonly host: string | undefined;
  readonly endpoint: Endpoint;
  readonly region: string | undefined;
  readonly bucket: string | undefined;
  /** The path exactly as received, leading `/` included. */
  readonly path: string;
  /** The whole path, decoded: the object key when no delimiter applies; undefined for bucket-level requests. */
  readonly key: string | undefined;
  readonly query: readonly QueryParam[];
  readonly process: ProcessParam;
  /** Every reading a server could make (S4); empty for bucket-level requests. */
  readonly readings: readonly Reading[];
}

/** Why a request target is invalid, as OSS answers it. */
export interface UrlError {
  readonly ok: false;
  readonly status: 400 | 403;
  readonly code:
    | 'InvalidURI'
    | 'InvalidObjectName'
    | 'InvalidBucketName'
    | 'SecondLevelDomainForbidden';
  readonly message: string;
}

/** The result of {@link parseRequestUrl}. */
export type ParsedRequest = ParsedUrl | UrlError;

const invalid = (status: 400 | 403, code: UrlError['code'], message: string): UrlError => ({
  ok: false,
  status,
  code,
  message,
});
const INVALID_URI = invalid(400, 'InvalidURI', 'Could not parse the specified URI.');
const INVALID_KEY = invalid(400, 'InvalidObjectName', 'The specified object is not valid.');
const KEY_TOO_LONG = invalid(
  400,
  'InvalidObjectName',
  'The Length of Object name must be less than 1024',
);
const INVALID_BUCKET = invalid(400, 'InvalidBucketName', 'The specified bucket is not valid.');
const PATH_STYLE = invalid(
  403,
  'SecondLevelDomainForbidden',
  'Please use virtual hosted style to access.',
);

/** OSS's answer to a decoded key it refuses (the rule: `objectKeyProblem`). */
function keyError(key: string): UrlError | undefined {
  const problem = objectKeyProblem(key);
  if (problem === undefined) return undefined;
  return problem === 'too-long' ? KEY_TOO_LONG : INVALID_KEY;
}

/**
 * Read a request target the way a storage server receives it (SPEC S4): the host names the
 * bucket, the path (taken literally, then strictly percent-decoded) the object key, and the
 * query the processing parameter. With a policy, enabled delimiters give delimiter-style
 * readings: with a style catalogue exactly one reading, without one every plausible reading.
 * Never throws: an invalid target gives `{ ok: false, status, code, message }`.
 *
 * @example
 * const policy = definePolicy({ delimiters: ['!'], styles: ['small'] });
 * const r = parseRequestUrl('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a/cat.jpg!small', policy);
 * // r.ok && r.bucket === 'examplebucket' && r.readings[0] is { key: 'a/cat.jpg', access: 'style', style: 'small', … }
 */
export function parseRequestUrl(
  target: string,
  policy?: Policy,
  options?: UrlOptions,
): ParsedRequest {
  return readTarget(target, policy, options, undefined);
}

/**
 * {@link parseRequestUrl}, with the `Host` header read only when the target has no host
 * (`evaluate` passes a reader over the request's headers).
 * @internal
 */
export function readTarget(
  target: string,
  policy: Policy | undefined,
  options: UrlOptions | undefined,
  hostHeader: (() => string | undefined) | undefined,
): ParsedRequest {
  const at = locate(target);
  if (at === undefined) return INVALID_URI;
  // One check for the whole target, so no part needs its own (O(1) in V8 for Latin-1 text).
  const wellFormed = isWellFormed(target);
  const pathEnd = at.queryStart - 1;
  const path = at.pathStart === pathEnd ? '/' : target.slice(at.pathStart, pathEnd);
  const host =
    at.authorityEnd === -1
      ? readHost(options?.host ?? hostHeader?.(), options)
      : readAuthority(target, at.authorityStart, at.authorityEnd, options);
  if (host.invalidBucket) return INVALID_BUCKET;
  const rawKey = path.slice(1);
  if (host.endpoint === 'region' && rawKey !== '') return PATH_STYLE;
  const query = readQuery(target, at.queryStart, at.queryEnd, wellFormed);
  if (query === undefined) return INVALID_URI;
  if (rawKey === '') return parsedUrl(host, path, undefined, query, []);
  const key = wellFormed ? decodeWellFormed(rawKey) : percentDecode(rawKey);
  if (key === undefined) return INVALID_URI;
  const wholeError = keyError(key);
  if (wholeError === INVALID_KEY) return wholeError;

  const view = policy === undefined ? undefined : compiled(policy).styles;
  const readings: Reading[] = [];
  if (view?.any) {
    for (const split of delimiterSplits(target, at.pathStart + 1, pathEnd, view)) {
      // A prefix of a path that decoded decodes too.
      const part = decodeWellFormed(rawKey.slice(0, split.at)) as string;
      if (keyError(part) === undefined) readings.push(combine(part, split, query.process));
    }
  }
  const wholeIsReading = view?.catalogue === undefined || readings.length === 0;
  if (wholeIsReading && wholeError === undefined)
    readings.push(combine(key, undefined, query.process));
  if (readings.length === 0) return wholeError ?? INVALID_KEY;
  return parsedUrl(host, path, key, query, readings);
}

function parsedUrl(
  host: HostInfo,
  path: string,
  key: string | undefined,
  query: Query,
  readings: readonly Reading[],
): ParsedUrl {
  return {
    ok: true,
    host: host.host,
    endpoint: host.endpoint,
    region: host.region,
    bucket: host.bucket,
    path,
    key,
    query: query.params,
    process: query.process,
    readings,
  };
}
