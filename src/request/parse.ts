/**
 * Reading a request target (docs/behaviour.md#reading-a-request): host → bucket, path → object key,
 * query, the processing parameter, and the delimiter readings. Nothing is normalised that a storage
 * server would not normalise, and nothing here throws.
 * @module
 */
import { compiled } from '../compile/index.js';
import { type Delimiter, objectKeyProblem as keyProblem } from '../oss/names.js';
import { isWellFormed } from '../oss/text.js';
import type { Policy } from '../policy/model.js';
import { decodeWellFormed, percentDecode } from './decode.js';
import { delimiterSplits } from './delimiters.js';
import { type Endpoint, type HostInfo, readAuthority, readHost, type UrlOptions } from './host.js';
import { NO_QUERY, type ProcessParam, type Query, type QueryParam, readQuery } from './query.js';
import { combine, pathProcessed, type Reading } from './readings.js';
import {
  decodedMayChange,
  decodedPaths,
  type ReadingSource,
  whatwgMayChange,
  whatwgPath,
  withoutPathParameters,
} from './rewrites.js';
import { fastPath, literalOnly } from './scan.js';
import type { StyleIndex } from './styles.js';
import { locate } from './target.js';
import { NO_WATERMARKS, type Watermarks, watermarks } from './watermark.js';

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
  /**
   * Some query parameter names processing (`x-oss-process` or `x-oss-async-process`, in any
   * spelling a server could read), in the literal query or in the one a server keeping a raw `#`
   * reads. A `POST` with one reads the object (docs/behaviour.md#derived-bytes-operations).
   */
  readonly processRequested: boolean;
  /** The objects the `watermark` actions of inline processing name (docs/behaviour.md#other-processing-forms). */
  readonly watermarks: Watermarks;
  /**
   * Every reading a server could make (docs/behaviour.md#readings-by-other-servers), in order: the
   * literal reading with its processing readings, then those of the paths other servers act on (see
   * `Reading.source`); empty for bucket-level requests.
   */
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
  const problem = keyProblem(key);
  if (problem === undefined) return undefined;
  return problem === 'too-long' ? KEY_TOO_LONG : INVALID_KEY;
}

/**
 * Read a request target the way a storage server receives it (docs/behaviour.md#reading-a-request):
 * the host names the bucket, the path (taken literally, then strictly percent-decoded) the object
 * key, and the query the processing parameter. With a policy, enabled delimiters give
 * delimiter-style readings: with a style catalogue exactly one reading, without one every plausible
 * reading. Paths that other servers rewrite (dot segments, `\`, `;` parameters, a raw `#`) are read
 * again as those servers would read them, and their readings follow the literal ones. Never throws
 * on a target: an invalid one gives `{ ok: false, status, code, message }`.
 *
 * @throws {PolicyError} only when `policy` is a look-alike object that is not a valid policy.
 * @example
 * const policy = definePolicy({ delimiters: ['!'], styles: ['small'] });
 * const r = parseRequestUrl('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/a/cat.jpg!small', policy);
 * // r.ok && r.bucket === 'examplebucket' && r.readings[0] is { key: 'a/cat.jpg', access: 'style', style: 'small', source: 'literal', … }
 */
export function parseRequestUrl(
  target: string,
  policy?: Policy,
  options?: UrlOptions,
): ParsedRequest {
  return readTarget(target, policy, options, undefined);
}

/** What reading one path needs besides the path. */
interface PathContext {
  readonly styles: StyleIndex | undefined;
  /** `key@…` is processing: the policy's `atProcessing`, or an IMG host. */
  readonly atProcessing: boolean;
  readonly out: Reading[];
}

/** The delimiter characters OSS knows (`!`, `-`, `/`, `_`), enabled or not. */
const isDelimiterChar = (c: number): boolean =>
  c === 0x21 || c === 0x2d || c === 0x2f || c === 0x5f;

/** Add `r` unless an earlier reading reads the same way (another server agreeing adds nothing). */
function add(out: Reading[], r: Reading): void {
  for (const o of out) {
    if (
      o.key === r.key &&
      o.access === r.access &&
      o.style === r.style &&
      o.delimiter === r.delimiter &&
      o.delimiterStyle === r.delimiterStyle &&
      o.pathProcessing === r.pathProcessing
    )
      return;
  }
  out.push(r);
}

/**
 * The readings of the raw key `text[start, end)` (non-empty, well-formed) under `process`:
 * delimiter readings, the whole key, then the processing the path asks for (an empty style
 * after a trailing delimiter, legacy `@`). Returns OSS's error when the whole key is invalid
 * and no reading is left. `decoded` and `raw`: the key decoded and its raw text, when the caller
 * already has them.
 */
function readPath(
  text: string,
  start: number,
  end: number,
  process: ProcessParam,
  source: ReadingSource,
  ctx: PathContext,
  decoded?: string,
  raw?: string,
): UrlError | undefined {
  const rawKey = raw ?? text.slice(start, end);
  const key = decoded ?? decodeWellFormed(rawKey);
  if (key === undefined) return INVALID_URI;
  const wholeError = keyError(key);
  if (wholeError === INVALID_KEY) return wholeError;
  const { styles } = ctx;
  const found: Reading[] = [];
  // Decoding removes every escape it reads: a key equal to its raw text had none.
  const escapes = key !== rawKey;
  if (styles?.any) {
    for (const split of delimiterSplits(text, start, end, styles, escapes)) {
      // A prefix of a path that decoded decodes too.
      const prefix = rawKey.slice(0, split.at);
      const part = escapes ? (decodeWellFormed(prefix) as string) : prefix;
      if (keyError(part) === undefined) found.push(combine(part, split, process, source));
    }
  }
  const wholeIsReading = styles?.catalogue === undefined || found.length === 0;
  if (wholeIsReading && wholeError === undefined)
    found.push(combine(key, undefined, process, source));
  if (found.length === 0) return wholeError ?? INVALID_KEY;
  if (styles?.any) {
    // Each enabled delimiter in the final run of delimiter characters: an empty style there.
    for (
      let i = end - 1;
      i > start && isDelimiterChar(String.prototype.charCodeAt.call(text, i));
      i--
    ) {
      if (styles.delimiters[String.prototype.charCodeAt.call(text, i)] !== 1) continue;
      const part = decodeWellFormed(rawKey.slice(0, i - start)) as string;
      if (keyError(part) === undefined)
        found.push(pathProcessed(part, 'empty-style', text[i] as Delimiter, source));
    }
  }
  if (ctx.atProcessing) {
    // Each literal `@` of the last segment: the key before it, processed.
    const lastSegment = Math.max(start, text.lastIndexOf('/', end - 1) + 1);
    for (
      let i = text.indexOf('@', lastSegment);
      i !== -1 && i < end;
      i = text.indexOf('@', i + 1)
    ) {
      if (i === start) continue;
      const part = decodeWellFormed(rawKey.slice(0, i - start)) as string;
      if (keyError(part) === undefined) found.push(pathProcessed(part, 'at', undefined, source));
    }
  }
  for (const r of found) add(ctx.out, r);
  return undefined;
}

const NO_REWRITES: Rewritten[] = [];

/** One more path a server acts on, and the query it reads with it. */
interface Rewritten {
  readonly source: ReadingSource;
  readonly path: string;
  readonly query: Query;
}

/**
 * The paths other servers act on (docs/behaviour.md#readings-by-other-servers), in the order their
 * readings are reported: whatwg, decoded, path-parameters (then decoded), raw-hash (then decoded).
 * A rewrite that changes nothing adds nothing.
 */
function rewrites(target: string, pathStart: number, path: string, query: Query): Rewritten[] {
  const w = whatwgMayChange(path);
  const n = decodedMayChange(path);
  const p = path.includes(';');
  const hash = target.indexOf('#', pathStart);
  // Most paths give no server anything to rewrite: no allocation for them.
  if (!w && !n && !p && hash === -1) return NO_REWRITES;
  const out: Rewritten[] = [];
  const push = (source: ReadingSource, p: string, q: Query) => {
    if (p !== path || q !== query) out.push({ source, path: p, query: q });
  };
  if (w) push('whatwg', whatwgPath(path), query);
  if (n) for (const d of decodedPaths(path)) push('decoded', d, query);
  if (p)
    for (const d of decodedPaths(withoutPathParameters(path))) push('path-parameters', d, query);
  if (hash !== -1 && String.prototype.charCodeAt.call(target, pathStart) === 0x2f) {
    // Not cut at `#`: the path runs to the first `?`, and the query to the end.
    const question = target.indexOf('?', pathStart);
    const hPath = target.slice(pathStart, question === -1 ? target.length : question);
    // A server that keeps the `#` may not refuse a bad escape in this query either: the query is
    // read as written where it does not decode, never dropped (0.3.1 dropped these readings).
    const hQuery =
      question === -1
        ? NO_QUERY
        : (readQuery(target, question + 1, target.length, false, true) as Query);
    push('raw-hash', hPath, hQuery);
    for (const d of decodedPaths(hPath)) if (d !== hPath) push('raw-hash', d, hQuery);
  }
  return out;
}

/**
 * The watermarks of every processing value among `queries` that a server may process inline:
 * an inline value, and every value of an ambiguous parameter (one of them may be taken).
 */
function watermarksOf(queries: readonly Query[]): Watermarks {
  let found: Watermarks = NO_WATERMARKS;
  for (const q of queries) found = merge(found, processWatermarks(q.process));
  return found;
}

function processWatermarks(p: ProcessParam): Watermarks {
  if (p.kind === 'inline') return watermarks(p.value);
  if (p.kind !== 'ambiguous') return NO_WATERMARKS;
  let found: Watermarks = NO_WATERMARKS;
  for (const value of p.values) found = merge(found, watermarks(value));
  return found;
}

function merge(a: Watermarks, b: Watermarks): Watermarks {
  if (b === NO_WATERMARKS) return a;
  if (a === NO_WATERMARKS) return b;
  return { keys: [...a.keys, ...b.keys], undecodable: a.undecodable || b.undecodable };
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
      ? readHost(hostOption(options) ?? hostHeader?.(), options)
      : readAuthority(target, at.authorityStart, at.authorityEnd, options);
  if (host.invalidBucket) return INVALID_BUCKET;
  const rawKey = path.slice(1);
  if (host.endpoint === 'region' && rawKey !== '') return PATH_STYLE;
  const query = readQuery(target, at.queryStart, at.queryEnd, wellFormed);
  if (query === undefined) return INVALID_URI;
  // A bucket-level literal path may still name an object to a server that keeps a raw `#`.
  const key =
    rawKey === '' ? undefined : wellFormed ? decodeWellFormed(rawKey) : percentDecode(rawKey);
  if (key === undefined && rawKey !== '') return INVALID_URI;

  const c = policy === undefined ? undefined : compiled(policy);
  const ctx: PathContext = {
    styles: c?.styles,
    atProcessing: c?.policy.atProcessing === true || host.endpoint === 'img',
    out: [],
  };
  if (rawKey !== '') {
    const error = readPath(
      target,
      at.pathStart + 1,
      pathEnd,
      query.process,
      'literal',
      ctx,
      key,
      rawKey,
    );
    if (error !== undefined) return error;
  }
  // Most targets give no other server anything new to read (scan.ts proves it): none is built.
  const others =
    fastPath.enabled && at.queryEnd === target.length && literalOnly(path)
      ? NO_REWRITES
      : rewrites(target, at.pathStart, path, query);
  for (const r of others) {
    // A rewritten path that OSS would refuse reads nothing; its error is not the request's.
    if (r.path.length > 1) readPath(r.path, 1, r.path.length, r.query.process, r.source, ctx);
  }
  if (others.length === 0) {
    // The common request: the literal query alone.
    const marks = processWatermarks(query.process);
    return parsedUrl(host, path, key, query, query.processNamed, marks, ctx.out);
  }
  // Only a raw `#` gives another query.
  const queries = [...new Set([query, ...others.map((r) => r.query)])];
  const requested = queries.some((q) => q.processNamed);
  return parsedUrl(host, path, key, query, requested, watermarksOf(queries), ctx.out);
}

/** The `host` option, when it is a string (options from JavaScript may hold anything). */
const hostOption = (options: UrlOptions | undefined): string | undefined =>
  typeof options?.host === 'string' ? options.host : undefined;

function parsedUrl(
  host: HostInfo,
  path: string,
  key: string | undefined,
  query: Query,
  processRequested: boolean,
  marks: Watermarks,
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
    processRequested,
    watermarks: marks,
    readings,
  };
}
