/**
 * Case-insensitive affix comparison (SPEC S3.1) in place: ASCII letters fold without allocating,
 * and the first non-ASCII unit answers {@link UNSURE}, so the caller falls back to the exact
 * definition.
 * @module
 */

/** @internal */
export const MATCH = 1;
/** @internal */
export const NO_MATCH = 0;
/** A case-insensitive comparison met non-ASCII: only the exact S3 definition can tell. @internal */
export const UNSURE = 2;

/** @internal */
export const lowerAscii = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

/** `key.toLowerCase().startsWith(p)` for a lower-cased `p`, without lower-casing `key` when ASCII. */
/** @internal */
export function startsWithFolded(key: string, p: string): number {
  const len = key.length;
  for (let j = 0; j < p.length; j++) {
    if (j >= len) return NO_MATCH;
    const c = key.charCodeAt(j);
    if (c >= 0x80) return UNSURE;
    if (lowerAscii(c) !== p.charCodeAt(j)) return NO_MATCH;
  }
  return MATCH;
}

/** `key.toLowerCase().endsWith(s)` for a lower-cased `s`, without lower-casing `key` when ASCII. */
/** @internal */
export function endsWithFolded(key: string, s: string): number {
  const off = key.length - s.length;
  for (let j = s.length - 1; j >= 0; j--) {
    if (off + j < 0) return NO_MATCH;
    const c = key.charCodeAt(off + j);
    if (c >= 0x80) return UNSURE;
    if (lowerAscii(c) !== s.charCodeAt(j)) return NO_MATCH;
  }
  return MATCH;
}
