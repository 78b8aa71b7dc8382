/**
 * Reading a request target (SPEC S4): host → bucket, path → object key, query, the processing
 * parameter, and the delimiter readings. Nothing is normalised that a storage server would not
 * normalise, and nothing here throws.
 * @module
 */
import { decodeWellFormed, isWellFormed, percentDecode } from './decode.js';
import { delimiterSplits, type Split, viewOf } from './delimiters.js';
import { type Endpoint, type HostInfo, readAuthority, readHost, type UrlOptions } from './host.js';
import { type Delimiter, type Policy, utf8Length } from './policy.js';

export type { Endpoint, UrlOptions };

/**
 * How a reading reaches the object:
 * - `direct`: the original bytes;
 * - `style`: through a named style (query `style/NAME` or a delimiter);
 * - `inline`: with inline processing (`image/…`, `video/…`, anything that is not exactly a style);
 * - `ambiguous`: `x-oss-process` given twice, or with an escaped name: servers disagree on it.
 */
export type Access = 'direct' | 'style' | 'inline' | 'ambiguous';

/** One way a storage server could read the request. */
export interface Reading {
  /** The object key this reading reads. */
  readonly key: string;
  readonly access: Access;
  /** The style applied, when `access` is `style` (the query's, when both parts name one). */
  readonly style: string | undefined;
  /** Set when this reading splits the path at a delimiter: `key + delimiter + delimiterStyle`. */
  readonly delimiter: Delimiter | undefined;
  readonly delimiterStyle: string | undefined;
}

/** The `x-oss-process` parameter, classified (S4). */
export type ProcessParam =
  | { readonly kind: 'none' }
  | { readonly kind: 'style'; readonly style: string }
  | { readonly kind: 'inline'; readonly value: string }
  | {
      readonly kind: 'ambiguous';
      readonly why: 'duplicated' | 'escaped-name';
      readonly values: readonly string[];
    };

/** A decoded query parameter: `[name, value]` (`value` is `''` for a bare `name`). */
export type QueryParam = readonly [name: string, value: string];

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

/** Length of a leading `scheme://` (RFC 3986 scheme), 0 when there is none. */
function schemeLength(target: string): number {
  const first = target.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return 0;
  for (let i = 1; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c === 0x3a)
      return target.charCodeAt(i + 1) === 0x2f && target.charCodeAt(i + 2) === 0x2f ? i + 3 : 0;
    const l = c | 0x20;
    if (
      !(
        (l >= 0x61 && l <= 0x7a) ||
        (c >= 0x30 && c <= 0x39) ||
        c === 0x2b ||
        c === 0x2d ||
        c === 0x2e
      )
    )
      return 0;
  }
  return 0;
}

function keyError(key: string): UrlError | undefined {
  const c = key.charCodeAt(0);
  if (c === 0x2f || c === 0x5c) return INVALID_KEY;
  return key.length > 1023 / 3 && utf8Length(key) > 1023 ? KEY_TOO_LONG : undefined;
}

/** `style/NAME` exactly: a query-style access. */
const STYLE_VALUE = /^style\/[A-Za-z0-9_.-]{1,63}$/;

function classifyProcess(values: string[] | undefined, escapedName: boolean): ProcessParam {
  if (values === undefined || values.length === 0) return NO_PROCESS;
  if (values.length > 1) return { kind: 'ambiguous', why: 'duplicated', values };
  const value = values[0] as string;
  if (escapedName) return { kind: 'ambiguous', why: 'escaped-name', values };
  if (STYLE_VALUE.test(value)) return { kind: 'style', style: value.slice(6) };
  return { kind: 'inline', value };
}

const NO_PROCESS: ProcessParam = Object.freeze({ kind: 'none' });

function reading(
  key: string,
  access: Access,
  style: string | undefined,
  split: Split | undefined,
): Reading {
  return { key, access, style, delimiter: split?.delimiter, delimiterStyle: split?.style };
}

function combine(key: string, split: Split | undefined, process: ProcessParam): Reading {
  switch (process.kind) {
    case 'none':
      return split === undefined
        ? reading(key, 'direct', undefined, split)
        : reading(key, 'style', split.style, split);
    case 'style':
      return reading(key, 'style', process.style, split);
    case 'inline':
      return reading(key, 'inline', undefined, split);
    case 'ambiguous':
      return reading(key, 'ambiguous', undefined, split);
  }
}

/** Where the parts of a request target are: host (absolute form only), path, query. */
export interface TargetParts {
  readonly rawHost: string | undefined;
  readonly path: string;
  /** Index of the first query character (after `?`), and the end of the query (before `#`). */
  readonly queryStart: number;
  readonly queryEnd: number;
}

/** Split a request target without normalising anything; `undefined` when it is neither form. */
export function splitTarget(target: string): TargetParts | undefined {
  const at = locate(target);
  if (at === undefined) return undefined;
  return {
    rawHost: at.authorityEnd === -1 ? undefined : target.slice(at.authorityStart, at.authorityEnd),
    path: at.pathStart === at.queryStart - 1 ? '/' : target.slice(at.pathStart, at.queryStart - 1),
    queryStart: at.queryStart,
    queryEnd: at.queryEnd,
  };
}

/** Indices of a target's parts; `authorityEnd` is -1 for a target without a host. */
interface Located {
  authorityStart: number;
  authorityEnd: number;
  pathStart: number;
  queryStart: number;
  queryEnd: number;
}

/** {@link splitTarget} as indices only: no slicing on the hot path. */
function locate(target: string): Located | undefined {
  if (typeof target !== 'string') return undefined;
  let end = target.indexOf('#');
  if (end === -1) end = target.length;
  let authorityStart = 0;
  let authorityEnd = -1;
  let pathStart = 0;
  if (target.charCodeAt(0) !== 0x2f) {
    authorityStart = schemeLength(target);
    if (authorityStart === 0) return undefined;
    // The authority ends at the first `/` or `?` (native searches: this runs on every request).
    const slash = target.indexOf('/', authorityStart);
    const question = target.indexOf('?', authorityStart);
    authorityEnd = Math.min(slash === -1 ? end : slash, question === -1 ? end : question, end);
    pathStart = authorityEnd;
    // The first `?` after the authority starts the query (none can come before the path).
    const q = question === -1 || question > end ? end : question;
    return { authorityStart, authorityEnd, pathStart, queryStart: q + 1, queryEnd: end };
  }
  let q = target.indexOf('?');
  if (q === -1 || q > end) q = end;
  return { authorityStart, authorityEnd, pathStart, queryStart: q + 1, queryEnd: end };
}

/** A parsed query and its `x-oss-process` parameter. */
interface Query {
  readonly params: QueryParam[];
  readonly process: ProcessParam;
}

const NO_QUERY: Query = Object.freeze({ params: [], process: NO_PROCESS });

/**
 * The query of `target[start, end)`: split on `&`, then on the first `=`, names and values
 * strictly decoded (`+` stays `+`); `undefined` when an escape is invalid. A name written with
 * escapes that decodes to `x-oss-process` (`x-oss-%70rocess`) makes the processing parameter
 * ambiguous: servers may or may not decode names. `wellFormed`: the caller has checked that
 * the text holds no lone surrogate.
 */
function readQuery(
  target: string,
  start: number,
  end: number,
  wellFormed: boolean,
): Query | undefined {
  if (start >= end) return NO_QUERY;
  if (!wellFormed && !isWellFormed(target.slice(start, end))) return undefined;
  const params: QueryParam[] = [];
  let processValues: string[] | undefined;
  let escapedProcess = false;
  // One search for `%` in the whole query: most queries have none, and need no decoding.
  const percent = target.indexOf('%', start);
  const escapes = percent !== -1 && percent < end;
  for (let i = start; i < end; ) {
    let amp = target.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    if (amp > i) {
      let eq = target.indexOf('=', i);
      if (eq === -1 || eq > amp) eq = amp;
      const rawName = target.slice(i, eq);
      const rawValue = eq === amp ? '' : target.slice(eq + 1, amp);
      const name = escapes ? decodeWellFormed(rawName) : rawName;
      const value = escapes ? decodeWellFormed(rawValue) : rawValue;
      if (name === undefined || value === undefined) return undefined;
      // The length test first: it rules out almost every name without comparing text.
      if (name.length === 13 && name === 'x-oss-process') {
        if (processValues === undefined) processValues = [];
        processValues.push(value);
        // An escape always makes the decoded name shorter than the raw one.
        if (eq - i !== name.length) escapedProcess = true;
      }
      params.push([name, value]);
    }
    i = amp + 1;
  }
  return { params, process: classifyProcess(processValues, escapedProcess) };
}

/**
 * The decoded parameters of `target[start, end)` (see {@link splitTarget}); `undefined` when an
 * escape is invalid.
 */
export function parseQuery(target: string, start: number, end: number): QueryParam[] | undefined {
  return readQuery(target, start, end, false)?.params;
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

  const view = viewOf(policy);
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
