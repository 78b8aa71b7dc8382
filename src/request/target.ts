/**
 * Locating the parts of a request target (docs/behaviour.md#the-target): origin form (`/key?query`)
 * or absolute form
 * (`scheme://host/key?query`), without normalising anything and without slicing on the hot path.
 * @module
 */

/** Length of a leading `scheme://` (RFC 3986 scheme), 0 when there is none. */
function schemeLength(target: string): number {
  const first = String.prototype.charCodeAt.call(target, 0) | 0x20;
  if (first < 0x61 || first > 0x7a) return 0;
  for (let i = 1; i < target.length; i++) {
    const c = String.prototype.charCodeAt.call(target, i);
    if (c === 0x3a)
      return String.prototype.charCodeAt.call(target, i + 1) === 0x2f &&
        String.prototype.charCodeAt.call(target, i + 2) === 0x2f
        ? i + 3
        : 0;
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

/** Where the parts of a request target are: host (absolute form only), path, query. */
/** @internal */
export interface TargetParts {
  readonly rawHost: string | undefined;
  readonly path: string;
  /** Index of the first query character (after `?`), and the end of the query (before `#`). */
  readonly queryStart: number;
  readonly queryEnd: number;
}

/** Split a request target without normalising anything; `undefined` when it is neither form. */
/** @internal */
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
/** @internal */
export interface Located {
  authorityStart: number;
  authorityEnd: number;
  pathStart: number;
  queryStart: number;
  queryEnd: number;
}

/** {@link splitTarget} as indices only: no slicing on the hot path. */
/** @internal */
export function locate(target: string): Located | undefined {
  if (typeof target !== 'string') return undefined;
  let end = target.indexOf('#');
  if (end === -1) end = target.length;
  let authorityStart = 0;
  let authorityEnd = -1;
  let pathStart = 0;
  if (String.prototype.charCodeAt.call(target, 0) !== 0x2f) {
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
