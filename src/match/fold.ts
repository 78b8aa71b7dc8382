/**
 * Letter case as docs/behaviour.md#letter-case defines it, in the two forms the matcher needs: one
 * code unit at a time for ASCII affixes (exact, and what the automaton's columns are made of), and
 * whole strings for the exact slower path that non-ASCII affixes take.
 *
 * A case-insensitive comparison matches one of two ways (docs/behaviour.md#letter-case): the plain
 * way compares
 * `key.toLowerCase()` with `affix.toLowerCase()`; the folded way first maps `ſ` U+017F, `İ` U+0130
 * and `ı` U+0131 to `s`, `i`, `i` on both sides, then lower-cases, because servers written in Java,
 * Python and Go fold those letters onto ASCII where `toLowerCase` does not.
 *
 * Why one code unit at a time is exact for an ASCII affix (`test/match-fold.test.ts` checks the
 * facts it rests on against every code unit and code point of the running engine):
 * - `toLowerCase` turns no code unit into ASCII except ASCII letters and the Kelvin sign U+212A
 *   (→ `k`), and `İ`, whose lower case is two units, `i` then U+0307;
 * - it changes the length of no string except by that `İ`, and its one context rule (final sigma)
 *   only chooses between two non-ASCII letters;
 * - so under the folded way (where `İ` has become `i` before lower-casing) the key stays aligned
 *   with its lower-cased form, and a key unit compares equal to an ASCII affix letter exactly when
 *   {@link foldUnit} maps it there;
 * - and every plain-way match of an ASCII affix is also a folded-way match: the plain way only
 *   adds the U+0307 after an `i`, which no ASCII affix can take.
 * @module
 */

/** @internal */
export const LATIN_SMALL_LONG_S = 0x17f;
/** @internal */
export const LATIN_CAPITAL_I_WITH_DOT = 0x130;
/** @internal */
export const LATIN_SMALL_DOTLESS_I = 0x131;
/** @internal */
export const KELVIN_SIGN = 0x212a;

/**
 * The ASCII unit a key unit compares equal to in a case-insensitive comparison with an ASCII affix
 * (docs/behaviour.md#letter-case, either way): ASCII letters lower-cased, `ſ` → `s`, `İ` and `ı` →
 * `i`, the Kelvin sign → `k`.
 * Every other unit is returned unchanged; a non-ASCII one then equals no ASCII affix unit.
 * @internal
 */
export function foldUnit(u: number): number {
  if (u < 0x80) return u >= 0x41 && u <= 0x5a ? u | 0x20 : u;
  if (u === LATIN_SMALL_LONG_S) return 0x73;
  if (u === LATIN_CAPITAL_I_WITH_DOT || u === LATIN_SMALL_DOTLESS_I) return 0x69;
  if (u === KELVIN_SIGN) return 0x6b;
  return u;
}

const HAS_R2_LETTER = /[\u017f\u0130\u0131]/;
const R2_LETTERS = /[\u017f\u0130\u0131]/g;
const r2Letter = (c: string): string => (c === '\u017f' ? 's' : 'i');

/**
 * The folded way's form of a string (docs/behaviour.md#letter-case): `ſ`, `İ`, `ı` mapped to `s`,
 * `i`, `i`, then `toLowerCase`. Allocates; only the exact slower path and explanations use it.
 * @internal
 */
export function foldR2(s: string): string {
  const mapped = HAS_R2_LETTER.test(s) ? s.replace(R2_LETTERS, r2Letter) : s;
  return mapped.toLowerCase();
}

/** Whether a string has a code unit outside ASCII. @internal */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}

/**
 * One affix, exactly, the way docs/behaviour.md#letter-case defines it: for a case-insensitive
 * affix, the plain
 * way or the folded way. Slow (it lower-cases the key); for explanations and tests.
 * @internal
 */
export function affixMatches(key: string, affix: string, ci: boolean, atStart: boolean): boolean {
  const test = (k: string, a: string) => (atStart ? k.startsWith(a) : k.endsWith(a));
  if (!ci) return test(key, affix);
  return test(key.toLowerCase(), affix.toLowerCase()) || test(foldR2(key), foldR2(affix));
}
