/**
 * Strict percent-decoding (SPEC S4): every `%` starts two hex digits, and the bytes are
 * well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). Characters
 * that are not escaped are kept as they are, but a lone surrogate cannot come from UTF-8 and
 * is refused too. `+` is a literal `+`.
 * @module
 */

const hex = (c: number): number =>
  c >= 0x30 && c <= 0x39
    ? c - 0x30
    : c >= 0x41 && c <= 0x46
      ? c - 0x37
      : c >= 0x61 && c <= 0x66
        ? c - 0x57
        : -1;

/** The byte of the escape `%XX` at `i` (the caller checks `i + 2` is in range), or -1. */
function byteAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x25) return -1;
  const h = hex(s.charCodeAt(i + 1));
  const l = hex(s.charCodeAt(i + 2));
  return h < 0 || l < 0 ? -1 : (h << 4) | l;
}

/**
 * Decode `s[start, end)`; `undefined` when it is not strictly valid.
 *
 * @example
 * percentDecode('a%20b+c')  // 'a b+c'
 * percentDecode('%E5%9B%BE') // '图'
 * percentDecode('%C0%AF')    // undefined: overlong
 */
export function percentDecode(s: string, start = 0, end = s.length): string | undefined {
  let i = start;
  // Fast path: nothing escaped and nothing ill-formed, so the slice is the answer.
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 || (c >= 0xd800 && c <= 0xdfff)) break;
  }
  if (i === end) return start === 0 && end === s.length ? s : s.slice(start, end);
  let out = s.slice(start, i);
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) return undefined;
      out += s.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== 0x25) {
      let j = i + 1;
      while (j < end) {
        const d = s.charCodeAt(j);
        if (d === 0x25 || (d >= 0xd800 && d <= 0xdfff)) break;
        j++;
      }
      out += s.slice(i, j);
      i = j;
      continue;
    }
    const b0 = i + 2 < end ? byteAt(s, i) : -1;
    if (b0 < 0) return undefined;
    i += 3;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else return undefined;
    for (; need > 0; need--) {
      const b = i + 2 < end ? byteAt(s, i) : -1;
      if (b < 0 || (b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
      i += 3;
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
  }
  return out;
}
