/**
 * Requests as a storage server receives them (SPEC S4): a Fetch `Request`, a Node
 * `IncomingMessage`, or a plain object, read without copying.
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
 * Every value of a header, in order (`name` lower-case). Repeated headers give several values;
 * a Fetch `Headers` folds repeats into one comma-joined value, as the Fetch standard does.
 */
export function headerValues(request: RequestLike, name: string): readonly string[] {
  const raw = request.rawHeaders;
  if (Array.isArray(raw)) {
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (isNamed(raw[i], name)) out.push(String(raw[i + 1]));
    }
    return out;
  }
  const h = request.headers;
  if (h === undefined || h === null || typeof h !== 'object') return NONE;
  if (isFetchHeaders(h)) {
    const v = h.get(name);
    return v === null ? NONE : [v];
  }
  if (Array.isArray(h)) {
    const out: string[] = [];
    for (const pair of h as readonly (readonly [string, string])[]) {
      if (Array.isArray(pair) && isNamed(pair[0], name)) out.push(String(pair[1]));
    }
    return out;
  }
  const record = h as Readonly<Record<string, unknown>>;
  // Node lower-cases names; a hand-made record may not, so fall back to a scan.
  let value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) {
    for (const k of Object.keys(record)) {
      if (isNamed(k, name)) {
        value = record[k];
        break;
      }
    }
  }
  if (value === undefined || value === null) return NONE;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * The names of the headers present, lower-cased, each once, in order of first appearance (the
 * names {@link headerValues} finds a value for). Signature verification needs every `x-oss-*`.
 *
 * @example
 * headerNames({ headers: { Host: 'h', 'X-OSS-Date': 'd' } }) // ['host', 'x-oss-date']
 */
export function headerNames(request: RequestLike): string[] {
  const names = new Set<string>();
  const raw = request.rawHeaders;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      // Only string names, as headerValues reads them.
      if (typeof raw[i] === 'string') names.add((raw[i] as string).toLowerCase());
    }
    return [...names];
  }
  const h = request.headers;
  if (h === undefined || h === null || typeof h !== 'object') return [];
  if (isFetchHeaders(h)) {
    h.forEach((_value, name) => {
      names.add(name.toLowerCase());
    });
  } else if (Array.isArray(h)) {
    for (const pair of h as readonly (readonly [string, string])[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string') names.add(pair[0].toLowerCase());
    }
  } else {
    const record = h as Readonly<Record<string, unknown>>;
    for (const k of Object.keys(record)) {
      if (record[k] !== undefined && record[k] !== null) names.add(k.toLowerCase());
    }
  }
  return [...names];
}

/** The single value of a header, or `undefined` when absent; repeats are joined with `, `. */
export function headerValue(request: RequestLike, name: string): string | undefined {
  const values = headerValues(request, name);
  return values.length === 0 ? undefined : values.join(', ');
}

/** The method, upper-cased (`GET` when absent): HTTP methods are case-sensitive, but a read is a read. */
export function requestMethod(request: RequestLike): string {
  const m = request.method;
  if (m === 'GET' || m === 'HEAD') return m;
  return typeof m === 'string' && m !== '' ? m.toUpperCase() : 'GET';
}
