/**
 * Signed names are exact (docs/behaviour.md#verification): a query whose parameters could re-split
 * into others once decoded is refused before any secret is looked up. This needs the query as
 * received, so it is walked again here, raw, the way `request/query.ts` splits it, in linear time.
 * @module
 */
import type { QueryParam } from '../request/query.js';
import { splitTarget } from '../request/target.js';
import { isV1Signed } from './v1.js';

/**
 * Walk the raw parameters of `target[start, end)` as docs/behaviour.md#the-query splits a query: on
 * `&`, then on the first `=` before the next `&`; empty parameters (`&&`) are skipped, so the n-th
 * visit is the n-th decoded parameter. `visit(index, nameStart, nameEnd, escaped)` gets where the
 * raw name is and whether it holds `%`; returning `true` stops the walk. Linear: the searches for
 * `=` and `%` start past the last one found, never again over text they have read (a search from
 * every `&` would make `?a&a&…&a=` quadratic).
 */
function walkNames(
  target: string,
  start: number,
  end: number,
  visit: (index: number, nameStart: number, nameEnd: number, escaped: boolean) => boolean,
): void {
  let eq = -2;
  let percent = -2;
  let index = 0;
  for (let i = start; i < end; ) {
    let amp = target.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    if (amp > i) {
      if (eq !== -1 && eq < i) eq = target.indexOf('=', i);
      if (percent !== -1 && percent < i) percent = target.indexOf('%', i);
      const nameEnd = eq === -1 || eq > amp ? amp : eq;
      if (visit(index++, i, nameEnd, percent !== -1 && percent < nameEnd)) return;
    }
    i = amp + 1;
  }
}

/**
 * The raw (still escaped) names of the query parameters of `target[start, end)`, in order, one
 * per decoded parameter (see {@link walkNames}).
 *
 * @example
 * rawQueryNames('x-oss-%70rocess=a&&b&c=d=e', 0, 26) // ['x-oss-%70rocess', 'b', 'c']
 * @internal
 */
export function rawQueryNames(target: string, start: number, end: number): string[] {
  const names: string[] = [];
  walkNames(target, start, end, (_, from, to) => {
    names.push(target.slice(from, to));
    return false;
  });
  return names;
}

const AMP = 0x26;
const EQUALS = 0x3d;

/** `value` holds `&` followed by a name V1 signs (up to the next `=`, `&` or the end). Linear. */
function holdsSignedName(value: string): boolean {
  let at = value.indexOf('&');
  while (at !== -1) {
    let end = at + 1;
    while (end < value.length) {
      const c = value.charCodeAt(end);
      if (c === AMP || c === EQUALS) break;
      end++;
    }
    if (isV1Signed(value.slice(at + 1, end))) return true;
    at = value.charCodeAt(end) === AMP ? end : value.indexOf('&', end);
  }
  return false;
}

/** `x-oss-process` or `x-oss-async-process`, in any letter case. */
const isProcessName = (name: string): boolean =>
  (name.length === 13 || name.length === 19) &&
  (name.toLowerCase() === 'x-oss-process' || name.toLowerCase() === 'x-oss-async-process');

/**
 * The raw name of the first query parameter that makes a signature ambiguous
 * (docs/behaviour.md#verification), or `undefined`. `query` is the decoded query of `target`
 * (`request/query.ts`), one entry per raw parameter. V1 signs decoded names and values joined with
 * `=` and `&`, so it refuses a signed parameter (a sub-resource or `x-oss-*`) whose decoded name
 * holds `=` or `&`, whose raw name holds `%` (`x-oss-%70rocess`, `x-oss-process%3Dstyle%2Fsmall`),
 * or whose decoded value holds `&` followed by a signed name. V4 signs encoded names, so only the
 * raw `%` counts there, in names that decode to a processing name in any letter case: a server that
 * does not decode names would see no processing where OSS sees some.
 *
 * Every rule needs an escape in the raw query, and most need a signed (V4: processing) name, so
 * the raw query is walked again only when both are there.
 *
 * @example
 * ambiguousParameter('oss-v1', '/a.jpg?x-oss-process%3Dstyle%2Fsmall', [['x-oss-process=style/small', '']])
 * // 'x-oss-process%3Dstyle%2Fsmall'
 * @internal
 */
export function ambiguousParameter(
  scheme: 'oss-v1' | 'oss-v4',
  target: string,
  query: readonly QueryParam[],
): string | undefined {
  const parts = splitTarget(target);
  if (parts === undefined) return undefined;
  const { queryStart, queryEnd } = parts;
  const percent = target.indexOf('%', queryStart);
  if (percent === -1 || percent >= queryEnd) return undefined;
  const suspect = scheme === 'oss-v4' ? isProcessName : isV1Signed;
  if (!query.some(([name]) => suspect(name))) return undefined;
  let found: string | undefined;
  let walked = 0;
  walkNames(target, queryStart, queryEnd, (i, from, to, escaped) => {
    walked++;
    const param = query[i];
    // Both split the same text the same way; should they ever disagree, nothing is trusted.
    const [name, value] = param ?? ['', ''];
    if (param === undefined || suspect(name)) {
      if (
        param === undefined ||
        escaped ||
        (scheme === 'oss-v1' &&
          (name.includes('=') || name.includes('&') || holdsSignedName(value)))
      ) {
        found = target.slice(from, to);
        return true;
      }
    }
    return false;
  });
  if (found === undefined && walked !== query.length) return '';
  return found;
}
