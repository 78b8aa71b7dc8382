/**
 * How other servers rewrite a request path before they read it
 * (docs/behaviour.md#readings-by-other-servers). A gateway forwards to a CDN, a Fetch-based proxy,
 * nginx, a servlet container or a Go server, and each may read a different key than OSS would. Each
 * rewrite here turns a raw path into the raw path that server would act on; the caller reads it in
 * full (docs/behaviour.md#reading-a-request), as it reads the literal one.
 * @module
 */
import { percentDecode } from './decode.js';

/** Which server behaviour a reading models. */
export type ReadingSource =
  /** The path as OSS reads it: literally. */
  | 'literal'
  /** WHATWG URL (Fetch forwarding, Workers, Deno, Bun): `\` → `/`, dot segments resolved. */
  | 'whatwg'
  /** nginx, Go `path.Clean`, CDNs: decoded, slashes merged, dot segments resolved. */
  | 'decoded'
  /** Servlet containers (Tomcat, Jetty): `;…` path parameters stripped, then decoded. */
  | 'path-parameters'
  /** Go `net/http` and others that keep a raw `#` in the request target. */
  | 'raw-hash';

const SINGLE_DOT = /^(?:\.|%2e)$/i;
const DOUBLE_DOT = /^(?:\.|%2e){2}$/i;

/**
 * Resolve dot segments of a `/`-separated path (leading `/` included), as RFC 3986 and the
 * WHATWG URL standard do: `.` is removed, `..` removes the segment before it (none above the
 * root), and a final dot segment leaves the path ending in `/`.
 */
function resolveDots(path: string, single: RegExp, double: RegExp): string {
  const segments = path.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (single.test(segment)) {
      if (last) out.push('');
    } else if (double.test(segment)) {
      out.pop();
      if (last) out.push('');
    } else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** A rewrite's result, with the `/` it leaves at the start stripped to one. */
const rooted = (path: string): string => `/${path.replace(/^\/+/, '')}`;

/**
 * W: the WHATWG URL reading. `\` becomes `/`; `.` and `%2e` segments (any case) are removed,
 * `..`-like segments (`..`, `.%2e`, `%2e.`, `%2e%2e`) remove the one before; nothing else is
 * decoded and slashes are not merged.
 *
 * @example
 * whatwgPath('/secret/../image/a.gif') // '/image/a.gif'
 * whatwgPath('/image\\a.gif')          // '/image/a.gif'
 * @internal
 */
export function whatwgPath(path: string): string {
  // The URL parser also drops every ASCII tab and newline before it parses.
  const clean = path.replace(/[\t\n\r]/g, '').replaceAll('\\', '/');
  return rooted(resolveDots(clean, SINGLE_DOT, DOUBLE_DOT));
}

/** Whether {@link whatwgPath} can change `path` (cheap: it runs on every request). @internal */
export const whatwgMayChange = (path: string): boolean =>
  path.includes('\\') ||
  path.includes('/.') ||
  (path.includes('%') && ESCAPED_DOT_SEGMENT.test(path)) ||
  path.includes('\t') ||
  path.includes('\n') ||
  path.includes('\r');

const ESCAPED_DOT_SEGMENT = /\/%2e/i;

const encodePath = (path: string): string =>
  rooted(
    path
      .slice(1)
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/'),
  );

/**
 * N: the decoding readings (nginx, Go `path.Clean`, CDNs). The path is percent-decoded, repeated
 * `/` merged and `.`/`..` segments resolved, then re-encoded (`encodeURIComponent` per segment)
 * so that it can be read as a raw path again. A final dot segment leaves a trailing `/` (RFC 3986,
 * nginx) or none (Go's `path.Clean`): both are returned when they differ. Empty when the path
 * does not decode.
 *
 * @example
 * decodedPaths('/x/%2e%2e/image/a.gif') // ['/image/a.gif']
 * decodedPaths('/p%2Fq/../image/a.gif') // ['/p/image/a.gif']
 * decodedPaths('/a.jpg/.')              // ['/a.jpg/', '/a.jpg']
 * @internal
 */
export function decodedPaths(path: string): string[] {
  // Strict: a lone surrogate (which no request from UTF-8 holds) decodes to nothing.
  const decoded = percentDecode(path);
  if (decoded === undefined) return [];
  const merged = decoded.replace(/\/{2,}/g, '/');
  const resolved = resolveDots(merged, /^\.$/, /^\.\.$/);
  const rfc = encodePath(resolved);
  const lastSegment = merged.slice(merged.lastIndexOf('/') + 1);
  if (!resolved.endsWith('/') || (lastSegment !== '.' && lastSegment !== '..')) return [rfc];
  const clean = encodePath(resolved.replace(/\/+$/, ''));
  return clean === rfc ? [rfc] : [rfc, clean];
}

/** Whether {@link decodedPath} can change `path`. @internal */
export const decodedMayChange = (path: string): boolean =>
  path.includes('//') ||
  path.includes('/.') ||
  (path.includes('%') && STRUCTURAL_ESCAPE.test(path));

/**
 * Escapes whose decoding can change a reading: `.` and `/` (segments), and the delimiters and
 * `@` (delimiter and `@` readings). Any other escape decodes and re-encodes to the same key and
 * the same structure (`%20`, `%E5%9B%BE`, `%3B`, `%23`, `%25`, `%5C`), so it needs no N reading.
 * @internal
 */
export const STRUCTURAL_ESCAPE = /%(?:2[eEfF1dD]|5[fF]|40)/;

/**
 * P: path parameters stripped, as servlet containers do: in every segment, a raw `;` and what
 * follows it up to the next `/` (an escaped `%3B` is data).
 *
 * @example
 * withoutPathParameters('/image;x=1/a.gif') // '/image/a.gif'
 * withoutPathParameters('/secret/..;/image/a.gif') // '/secret/../image/a.gif'
 * @internal
 */
export function withoutPathParameters(path: string): string {
  return path.replace(/;[^/]*/g, '');
}
