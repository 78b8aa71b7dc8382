/**
 * A proof, for the common request, that no other server's rewrite
 * (docs/behaviour.md#readings-by-other-servers, `rewrites.ts`) reads
 * anything the literal reading does not: then the request has its literal readings only, and the
 * rewritten paths are never built.
 *
 * The proof is by cases on what each rewrite acts on:
 * - W (WHATWG URL) changes a path only through `\`, an ASCII tab or newline, or a dot segment
 *   (`.`, `..`, or either spelt with `%2e`);
 * - N (decoding) acts only when the path holds `//`, `/.` or an escape of `.`, `/`, a delimiter
 *   character or `@`; it then decodes, merges slashes, resolves dot segments and re-encodes each
 *   segment with `encodeURIComponent`. With no `//`, no dot segment and no escape of `.`, `/`,
 *   `!`, `-` or `_`, the result is the path itself exactly when the path is already in the form
 *   `encodeURIComponent` writes ("canonical" below): every unit one it leaves alone or `/`, every
 *   escape upper-case and of a byte it escapes;
 * - P (path parameters) needs a raw `;`; H (raw `#`) a `#`, which the caller checks.
 * The tests that decide whether W and N are tried are those of `rewrites.ts`, so a path is
 * proved before the last check exactly when the full path would try no rewrite at all. Anything the
 * proof does not cover counts as a rewrite: the caller then takes the full path, which decides
 * every request. The proof is a few native searches
 * (regular expressions and substring searches): on this library's benchmark paths they cost about
 * a third of a loop in JavaScript that classifies every unit (measured while developing).
 * @module
 */
import { STRUCTURAL_ESCAPE } from './rewrites.js';

/**
 * Whether `readTarget` may use the proof. Always on in use; `test/fast-path.test.ts` turns it off
 * to decide every request the full way as well and compare the two decisions.
 * @internal
 */
// Stryker disable next-line ObjectLiteral,BooleanLiteral: cost only, every request then takes the full path (test/fast-path.test.ts shows the two agree)
export const fastPath = { enabled: true };

/**
 * Anything a rewrite could act on: `\` (W), `;` (P), an ASCII tab or newline (W drops them), an
 * escape, `//` or `/.`. Most paths hold none of them.
 */
const MAY_REWRITE = /[\\;\t\n\r%]|\/[./]/;

/** Units a rewrite acts on raw: `\` (W), `;` (P), an ASCII tab or newline (W drops them). */
const RAW_REWRITE = /[\\;\t\n\r]/;

/**
 * The form `encodeURIComponent` writes, segment by segment: units it leaves alone
 * (`A–Z a–z 0–9 - _ . ! ~ * ' ( )`), `/`, and upper-case escapes of the bytes it escapes, which
 * are all but those units (so never `%2E`, `%2F`, `%21`, `%2D`, `%5F`, nor `%41` for `A`).
 */
// One unit or escape per step, never a run (`(?:[…]+|…)*` would backtrack exponentially on a
// long path that fails at its end).
const CANONICAL =
  /^(?:[A-Za-z0-9\-_.!~*'()/]|%(?:[01][0-9A-F]|2[02-6BC]|3[A-F]|40|5[B-E]|60|7[B-DF]|[89A-F][0-9A-F]))*$/;

/** Longest path the canonical test is run on; a longer one takes the full path. */
const MAX_PROVED = 8192;

/** A `.` or `..` segment. */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/**
 * Whether no rewrite (docs/behaviour.md#readings-by-other-servers) adds a path to read for `path`
 * (the raw path of a request, its
 * leading `/` included): W and N give back the path itself or are not tried, and there is no raw
 * `;` for P. The caller checks `#` (H) itself. `false` means "not proven", never "changes".
 *
 * @example
 * literalOnly('/image/cat.jpg')      // true: nothing to rewrite
 * literalOnly('/image/cat%402x.jpg') // true: N decodes and re-encodes it to itself
 * literalOnly('/image/../a.jpg')     // false: a dot segment
 * @internal
 */
export function literalOnly(path: string): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent, a path MAY_REWRITE misses passes every check below
  if (!MAY_REWRITE.test(path)) return true;
  if (RAW_REWRITE.test(path) || path.includes('//')) return false;
  // Without `/.` or a structural escape (W's `%2e` is one), neither W nor N is tried.
  if (
    !path.includes('/.') &&
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, the % test only skips a pattern that needs a %
    (path.indexOf('%') === -1 || !STRUCTURAL_ESCAPE.test(path))
  )
    return true;
  // N is tried, and gives back the path itself when it is canonical and has no dot segment
  // (W then has nothing to act on either: no `\`, no tab or newline, no dot segment, no `%2e`).
  // CANONICAL backtracks one step per unit: bounded, so no path can exhaust its stack (a key's
  // path is at most about 3 kB: 1,023 bytes, each escaped).
  return path.length <= MAX_PROVED && CANONICAL.test(path) && !DOT_SEGMENT.test(path);
}
