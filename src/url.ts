/**
 * Reading a request target (SPEC S4): host → bucket, path → object key, query, the processing
 * parameter, and the delimiter readings. Nothing is normalised that a storage server would not
 * normalise, and nothing here throws.
 * @module
 */
import { percentDecode } from './decode.js';
import { type Delimiter, type Policy, STYLE_NAME, utf8Length } from './policy.js';

/** Which OSS host form a request used. */
export type Endpoint =
  | 'public'
  | 'internal'
  | 'dual-stack'
  | 'acceleration'
  /** A region endpoint without a bucket: path-style, refused by OSS for object reads. */
  | 'region'
  | 'custom-domain'
  /** No host was given. */
  | 'none';

/** Options of {@link parseRequestUrl}. */
export interface UrlOptions {
  /** The `Host` header, for a target without a host (`/key?query`). An absolute URL's host wins. */
  readonly host?: string | undefined;
  /** Custom domains → bucket names (hosts compared case-insensitively, without port). */
  readonly buckets?: Readonly<Record<string, string>> | ReadonlyMap<string, string> | undefined;
  /** The bucket when the host names none (a gateway in front of one bucket). */
  readonly bucket?: string | undefined;
}

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
  readonly style?: string;
  /** Set when this reading splits the path at a delimiter: `key + delimiter + delimiterStyle`. */
  readonly delimiter?: Delimiter;
  readonly delimiterStyle?: string;
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
  readonly host?: string;
  readonly endpoint: Endpoint;
  readonly region?: string;
  readonly bucket?: string;
  /** The path exactly as received, leading `/` included. */
  readonly path: string;
  /** The whole path, decoded: the object key when no delimiter applies. Absent for bucket-level requests. */
  readonly key?: string;
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

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

interface HostInfo {
  host?: string;
  endpoint: Endpoint;
  region?: string;
  bucket?: string;
  error?: UrlError;
}

function lookupBucket(buckets: UrlOptions['buckets'], host: string): string | undefined {
  if (buckets === undefined) return undefined;
  if (buckets instanceof Map) {
    for (const [k, v] of buckets) if (k.toLowerCase() === host) return v;
    return undefined;
  }
  const record = buckets as Readonly<Record<string, string>>;
  if (Object.hasOwn(record, host)) return record[host];
  for (const k of Object.keys(record)) if (k.toLowerCase() === host) return record[k];
  return undefined;
}

/** Host → bucket for the OSS host forms of S4; any other host is a custom domain. */
function readHost(rawHost: string | undefined, options: UrlOptions | undefined): HostInfo {
  const fallback = options?.bucket;
  if (rawHost === undefined || rawHost === '') {
    return fallback === undefined ? { endpoint: 'none' } : { endpoint: 'none', bucket: fallback };
  }
  let host = rawHost.toLowerCase();
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close === -1 ? host : host.slice(0, close + 1);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  const custom = (): HostInfo => {
    const bucket = lookupBucket(options?.buckets, host) ?? fallback;
    return bucket === undefined
      ? { host, endpoint: 'custom-domain' }
      : { host, endpoint: 'custom-domain', bucket };
  };
  if (!host.endsWith('.aliyuncs.com')) return custom();
  const labels = host.split('.');
  let info: HostInfo | undefined;
  if (labels.length === 3 && labels[0]?.startsWith('oss-')) {
    info = { host, endpoint: 'region', region: labels[0].slice(4) };
  } else if (labels.length === 4 && labels[1] === 'oss') {
    info = { host, endpoint: 'region', region: labels[0] as string };
  } else if (labels.length === 4 && labels[1]?.startsWith('oss-')) {
    const label = labels[1];
    info =
      label === 'oss-accelerate' || label === 'oss-accelerate-overseas'
        ? { host, endpoint: 'acceleration', bucket: labels[0] as string }
        : label.endsWith('-internal')
          ? { host, endpoint: 'internal', region: label.slice(4, -9), bucket: labels[0] as string }
          : { host, endpoint: 'public', region: label.slice(4), bucket: labels[0] as string };
  } else if (labels.length === 5 && labels[2] === 'oss') {
    info = {
      host,
      endpoint: 'dual-stack',
      region: labels[1] as string,
      bucket: labels[0] as string,
    };
  }
  if (info === undefined || (info.region !== undefined && !REGION.test(info.region)))
    return custom();
  if (info.bucket !== undefined && !BUCKET.test(info.bucket))
    return { ...info, error: INVALID_BUCKET };
  return info;
}

interface PolicyView {
  /** Enabled delimiters by char code. */
  readonly delimiters: readonly (Delimiter | undefined)[];
  readonly any: boolean;
  readonly catalogue: ReadonlySet<string> | undefined;
}

const views = new WeakMap<Policy, PolicyView>();

function viewOf(policy: Policy | undefined): PolicyView | undefined {
  if (policy === undefined) return undefined;
  let view = views.get(policy);
  if (view === undefined) {
    const delimiters: (Delimiter | undefined)[] = [];
    for (const d of policy.delimiters) delimiters[d.charCodeAt(0)] = d;
    const catalogue = policy.styles === undefined ? undefined : new Set(policy.styles);
    view = { delimiters, any: policy.delimiters.length > 0, catalogue };
    views.set(policy, view);
  }
  return view;
}

/** A character that can stand in a raw (undecoded) style name: a style character or an escape. */
const styleRawChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2d ||
  c === 0x2e ||
  c === 0x5f ||
  c === 0x25;

/** A decoded style name cannot be longer than 63 characters, so its raw form not longer than 189. */
const MAX_RAW_STYLE = 63 * 3;

interface Split {
  readonly at: number;
  readonly delimiter: Delimiter;
  readonly style: string;
}

/**
 * The delimiter occurrences in the raw key whose remainder is a style name (S4), last first.
 * With a catalogue only the last one in the catalogue counts.
 */
function delimiterSplits(rawKey: string, view: PolicyView): Split[] {
  const splits: Split[] = [];
  const end = rawKey.length;
  // i ≥ 1: a split must leave a key before the delimiter.
  for (let i = end - 1; i >= 1 && end - i - 1 <= MAX_RAW_STYLE; i--) {
    const c = rawKey.charCodeAt(i);
    const delimiter = c < 0x80 ? view.delimiters[c] : undefined;
    if (delimiter !== undefined) {
      const style = percentDecode(rawKey, i + 1, end);
      if (
        style !== undefined &&
        STYLE_NAME.test(style) &&
        (view.catalogue === undefined || view.catalogue.has(style))
      ) {
        splits.push({ at: i, delimiter, style });
        if (view.catalogue !== undefined) break;
      }
    }
    // Every earlier remainder contains this character: if no style name can, stop.
    if (!styleRawChar(c)) break;
  }
  return splits;
}

function keyError(key: string): UrlError | undefined {
  const c = key.charCodeAt(0);
  if (c === 0x2f || c === 0x5c) return INVALID_KEY;
  return key.length > 1023 / 3 && utf8Length(key) > 1023 ? KEY_TOO_LONG : undefined;
}

function classifyProcess(values: string[], escapedName: boolean): ProcessParam {
  if (values.length === 0) return NO_PROCESS;
  if (values.length > 1) return { kind: 'ambiguous', why: 'duplicated', values };
  const value = values[0] as string;
  if (escapedName) return { kind: 'ambiguous', why: 'escaped-name', values };
  if (value.startsWith('style/') && STYLE_NAME.test(value.slice(6)))
    return { kind: 'style', style: value.slice(6) };
  return { kind: 'inline', value };
}

const NO_PROCESS: ProcessParam = Object.freeze({ kind: 'none' });

function combine(key: string, split: Split | undefined, process: ProcessParam): Reading {
  const base: { key: string; delimiter?: Delimiter; delimiterStyle?: string } =
    split === undefined
      ? { key }
      : { key, delimiter: split.delimiter, delimiterStyle: split.style };
  switch (process.kind) {
    case 'none':
      return split === undefined
        ? { ...base, access: 'direct' }
        : { ...base, access: 'style', style: split.style };
    case 'style':
      return { ...base, access: 'style', style: process.style };
    case 'inline':
      return { ...base, access: 'inline' };
    case 'ambiguous':
      return { ...base, access: 'ambiguous' };
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
  if (typeof target !== 'string') return undefined;
  let end = target.indexOf('#');
  if (end === -1) end = target.length;
  let pathStart: number;
  let rawHost: string | undefined;
  if (target.charCodeAt(0) === 0x2f) pathStart = 0;
  else {
    const scheme = SCHEME.exec(target);
    if (scheme === null) return undefined;
    const authorityStart = scheme[0].length;
    pathStart = authorityStart;
    while (pathStart < end) {
      const c = target.charCodeAt(pathStart);
      if (c === 0x2f || c === 0x3f) break;
      pathStart++;
    }
    rawHost = target.slice(authorityStart, pathStart);
  }
  let q = target.indexOf('?', pathStart);
  if (q === -1 || q > end) q = end;
  const path = pathStart === q ? '/' : target.slice(pathStart, q);
  return { rawHost, path, queryStart: q + 1, queryEnd: end };
}

/**
 * The query of `target[start, end)`: split on `&`, then on the first `=`, names and values
 * strictly decoded (`+` stays `+`); `undefined` when an escape is invalid. `escapedProcess` tells
 * whether an `x-oss-process` name was written with escapes (`x-oss-%70rocess`): servers may or
 * may not decode names, so such a parameter is ambiguous.
 */
export function parseQuery(
  target: string,
  start: number,
  end: number,
): { params: QueryParam[]; escapedProcess: boolean } | undefined {
  const params: QueryParam[] = [];
  let escapedProcess = false;
  for (let i = start; i < end; ) {
    let amp = target.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    if (amp > i) {
      let eq = target.indexOf('=', i);
      if (eq === -1 || eq > amp) eq = amp;
      const name = percentDecode(target, i, eq);
      const value = eq === amp ? '' : percentDecode(target, eq + 1, amp);
      if (name === undefined || value === undefined) return undefined;
      // An escape always makes the decoded name shorter than the raw one.
      if (name === 'x-oss-process' && eq - i !== name.length) escapedProcess = true;
      params.push([name, value]);
    }
    i = amp + 1;
  }
  return { params, escapedProcess };
}

function readProcess(query: readonly QueryParam[], escaped: boolean): ProcessParam {
  const values: string[] = [];
  for (const [name, value] of query) if (name === 'x-oss-process') values.push(value);
  return classifyProcess(values, escaped);
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
  const parts = splitTarget(target);
  if (parts === undefined) return INVALID_URI;
  const { path } = parts;
  const host = readHost(parts.rawHost ?? options?.host, options);
  if (host.error !== undefined) return host.error;
  const rawKey = path.slice(1);
  if (host.endpoint === 'region' && rawKey !== '') return PATH_STYLE;
  const parsedQuery = parseQuery(target, parts.queryStart, parts.queryEnd);
  if (parsedQuery === undefined) return INVALID_URI;
  const query = parsedQuery.params;
  const process = readProcess(query, parsedQuery.escapedProcess);

  const base = {
    ok: true as const,
    ...(host.host === undefined ? {} : { host: host.host }),
    endpoint: host.endpoint,
    ...(host.region === undefined ? {} : { region: host.region }),
    ...(host.bucket === undefined ? {} : { bucket: host.bucket }),
    path,
    query,
    process,
  };
  if (rawKey === '') return { ...base, readings: [] };
  const key = percentDecode(rawKey);
  if (key === undefined) return INVALID_URI;
  const wholeError = keyError(key);
  if (wholeError === INVALID_KEY) return wholeError;

  const view = viewOf(policy);
  const splits = view?.any ? delimiterSplits(rawKey, view) : [];
  const readings: Reading[] = [];
  for (const split of splits) {
    const part = percentDecode(rawKey, 0, split.at) as string; // a prefix of a valid path decodes
    if (keyError(part) === undefined) readings.push(combine(part, split, process));
  }
  const wholeIsReading = view?.catalogue === undefined || readings.length === 0;
  if (wholeIsReading && wholeError === undefined) readings.push(combine(key, undefined, process));
  if (readings.length === 0) return wholeError ?? INVALID_KEY;
  return { ...base, key, readings };
}
