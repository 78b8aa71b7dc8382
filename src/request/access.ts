/**
 * Requests as a storage server receives them (docs/behaviour.md#reading-a-request): a Fetch
 * `Request`, a Node `IncomingMessage`, or a plain object, read without copying.
 * @module
 */

/**
 * Request headers in any of the shapes servers hold them: a Fetch `Headers`, a Node
 * `IncomingHttpHeaders` record (values `string | string[]`), or `[name, value]` pairs.
 * Names are compared case-insensitively.
 */
export type HeadersLike =
  | { get(name: string): string | null; forEach(fn: (value: string, name: string) => void): void }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>
  | readonly (readonly [string, string])[];

/**
 * A request to decide on. A Fetch `Request` and a Node `IncomingMessage` fit as they are.
 *
 * @example
 * const req: RequestLike = {
 *   method: 'GET',
 *   url: '/image/cat.jpg?x-oss-process=style/small',
 *   headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' },
 * };
 */
export interface RequestLike {
  /** HTTP method; `GET` when absent. */
  readonly method?: string | undefined;
  /** An absolute URL, or the request target as received (`/key?query`). */
  readonly url?: string | undefined;
  readonly headers?: HeadersLike | undefined;
  /**
   * Node's raw header list (`IncomingMessage.rawHeaders`): when present it is used to see
   * repeated headers that Node's `headers` record folds away (a second `Authorization`).
   */
  readonly rawHeaders?: readonly string[] | undefined;
}

/** `key` names the header `name` (lower-case), ignoring case; cheap when lengths differ. */
const isNamed = (key: unknown, name: string): boolean =>
  typeof key === 'string' &&
  key.length === name.length &&
  (key === name || key.toLowerCase() === name);

const isFetchHeaders = (h: HeadersLike): h is Extract<HeadersLike, { get: unknown }> =>
  typeof (h as { get?: unknown }).get === 'function';

// Shared by every lookup that finds nothing: frozen, so no caller can change it.
const NONE: readonly string[] = Object.freeze([]);

/**
 * Visit every header as the request holds it, in order, until `visit` returns `true`: Node's
 * `rawHeaders` when present (it keeps repeats that the `headers` record folds away), else the
 * `headers` in whichever of the three shapes it has. The one place that knows the shapes.
 */
function eachHeader(request: RequestLike, visit: (name: string, value: unknown) => boolean): void {
  const raw = request.rawHeaders;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      // Only string names: a header list from elsewhere may hold anything.
      if (typeof raw[i] === 'string' && visit(raw[i] as string, raw[i + 1])) return;
    }
    return;
  }
  const h = request.headers;
  if (h === undefined || h === null || typeof h !== 'object') return;
  if (isFetchHeaders(h)) {
    let done = false;
    h.forEach((value, name) => {
      if (!done) done = visit(name, value);
    });
  } else if (Array.isArray(h)) {
    for (const pair of h as readonly (readonly [string, string])[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && visit(pair[0], pair[1])) return;
    }
  } else {
    const record = h as Readonly<Record<string, unknown>>;
    for (const k of Object.keys(record)) if (visit(k, record[k])) return;
  }
}

/** A record's value as header values: arrays are repeats; `undefined`/`null` is no header. */
const recordValues = (value: unknown): readonly string[] =>
  value === undefined || value === null
    ? NONE
    : Array.isArray(value)
      ? value.map(String)
      : [String(value)];

/**
 * Every value of a header, in order (`name` lower-case). Repeated headers give several values;
 * a Fetch `Headers` folds repeats into one comma-joined value, as the Fetch standard does.
 */
export function headerValues(request: RequestLike, name: string): readonly string[] {
  const h = request.headers;
  if (!Array.isArray(request.rawHeaders)) {
    // No header at all (a URL alone): nothing to walk, nothing to allocate.
    if (h === undefined || h === null || typeof h !== 'object') return NONE;
    // Direct lookups first: they are what servers hand us (a Fetch Headers, Node's record).
    if (isFetchHeaders(h)) {
      const v = h.get(name);
      return v === null ? NONE : [v];
    }
    if (!Array.isArray(h)) {
      const record = h as Readonly<Record<string, unknown>>;
      // Node lower-cases names; a hand-made record may not, so fall back to a scan (first match).
      if (Object.hasOwn(record, name) && record[name] !== undefined)
        return recordValues(record[name]);
      let found: readonly string[] = NONE;
      eachHeader(request, (k, v) => {
        if (!isNamed(k, name)) return false;
        found = recordValues(v);
        return true;
      });
      return found;
    }
  }
  const out: string[] = [];
  eachHeader(request, (k, v) => {
    if (isNamed(k, name)) out.push(String(v));
    return false;
  });
  return out;
}

/**
 * The names of the headers present, lower-cased, each once, in order of first appearance (the
 * names {@link headerValues} finds a value for). Signature verification needs every `x-oss-*`.
 *
 * @example
 * headerNames({ headers: { Host: 'h', 'X-OSS-Date': 'd' } }) // ['host', 'x-oss-date']
 * @internal
 */
export function headerNames(request: RequestLike): string[] {
  const names = new Set<string>();
  eachHeader(request, (name, value) => {
    // A record holds absent headers as undefined; every other shape holds present ones only.
    if (value !== undefined && value !== null) names.add(name.toLowerCase());
    return false;
  });
  return [...names];
}

/** The single value of a header, or `undefined` when absent; repeats are joined with `, `. */
export function headerValue(request: RequestLike, name: string): string | undefined {
  const values = headerValues(request, name);
  return values.length === 0 ? undefined : values.join(', ');
}

/**
 * The method, upper-cased (`GET` when absent): HTTP methods are case-sensitive, but a read is a
 * read.
 * @internal
 */
export function requestMethod(request: RequestLike): string {
  const m = request.method;
  if (m === 'GET' || m === 'HEAD') return m;
  return typeof m === 'string' && m !== '' ? m.toUpperCase() : 'GET';
}
