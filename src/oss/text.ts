/**
 * Text facts every stage needs: UTF-8 length and well-formedness. OSS keys are UTF-8, so a
 * string holding a lone surrogate can name no object.
 * @module
 */

/** With the u flag a surrogate pair is one code point: only lone surrogates match. @internal */
export const LONE_SURROGATE = /\p{Surrogate}/u;

/** No lone surrogate (O(1) in V8 for strings of Latin-1 characters). @internal */
export const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 length of a well-formed string, without allocating. @internal */
export function utf8Length(s: string): number {
  // Checked natively first: most keys are ASCII, one byte per character.
  if (!NON_ASCII.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdbff ? 0 : 2;
  }
  return n;
}
