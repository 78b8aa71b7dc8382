/**
 * Delimiter-style readings (docs/behaviour.md#delimiter-styles): where a raw path can split into
 * `key + delimiter + style`.
 * @module
 */
import { type Delimiter, isStyleNameChar, STYLE_NAME } from '../oss/names.js';
import { decodeWellFormed } from './decode.js';
import type { StyleIndex } from './styles.js';

/** A split of the raw key at `at` (relative to the key): `key + delimiter + style`. */
/** @internal */
export interface Split {
  readonly at: number;
  readonly delimiter: Delimiter;
  readonly style: string;
}

const NO_SPLITS: Split[] = [];

/**
 * With a catalogue and no escape near the end of the key, the last delimiter followed by a
 * catalogue name is the one before the shortest name the key ends with: a few native
 * comparisons (names ending in the key's last character) instead of a scan.
 */
function catalogueSplit(
  target: string,
  keyStart: number,
  keyEnd: number,
  view: StyleIndex,
): Split[] {
  const last = String.prototype.charCodeAt.call(target, keyEnd - 1);
  if (!(last < 128)) return NO_SPLITS;
  const names = view.lastCharNames[last] as readonly string[];
  for (const name of names) {
    const i = keyEnd - name.length - 1;
    if (i <= keyStart) break;
    const c = String.prototype.charCodeAt.call(target, i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the c < 0x80 guard is equivalent, delimiters[c] past the 128-entry table is undefined, never 1
    if (c < 0x80 && view.delimiters[c] === 1 && target.startsWith(name, i + 1)) {
      return [{ at: i - keyStart, delimiter: target[i] as Delimiter, style: name }];
    }
  }
  return NO_SPLITS;
}

/**
 * The delimiter occurrences in the raw key `target[keyStart, keyEnd)` whose remainder is a style
 * name (docs/behaviour.md#delimiter-styles), last first; with a catalogue only the last one in the
 * catalogue. The key is read in
 * place in the (flat) target: a sliced string costs more per character read. `escapes`: false
 * when the caller knows the key holds no `%` (the search for one is then skipped).
 */
/** @internal */
export function delimiterSplits(
  target: string,
  keyStart: number,
  keyEnd: number,
  view: StyleIndex,
  escapes = true,
): Split[] {
  // A remainder decodes to a style name: at most 63 characters, or the catalogue's longest.
  // Only escapes make its raw text longer (three times at most), so the window stays short
  // unless the tail holds a `%`.
  const longest = view.catalogue === undefined ? 63 : view.longestStyle;
  const from = keyEnd - 3 * longest - 1;
  // A window that starts before the key looks at the text before it too, as it always has.
  const percent = !escapes && from >= keyStart ? -1 : target.indexOf('%', from);
  const escapedTail = percent !== -1 && percent < keyEnd;
  if (view.catalogue !== undefined && !escapedTail)
    return catalogueSplit(target, keyStart, keyEnd, view);
  const splits: Split[] = [];
  const limit = escapedTail ? 3 * longest : longest;
  let escaped = false;
  // i > keyStart: a split must leave a key before the delimiter.
  for (let i = keyEnd - 1; i > keyStart && keyEnd - i - 1 <= limit; i--) {
    const c = String.prototype.charCodeAt.call(target, i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the c < 0x80 guard is equivalent, delimiters[c] past the 128-entry table is undefined, never 1
    if (c < 0x80 && view.delimiters[c] === 1 && i < keyEnd - 1) {
      let style: string | undefined;
      if (escaped) {
        style = decodeWellFormed(target.slice(i + 1, keyEnd));
        // Stryker disable next-line ConditionalExpression: equivalent, STYLE_NAME.test(undefined) tests "undefined", which matches, so style stays undefined
        if (style !== undefined && !STYLE_NAME.test(style)) style = undefined;
      } else if (
        keyEnd - i - 1 <= 63 &&
        (view.lengths[keyEnd - i - 1] === 1 || view.catalogue === undefined)
      ) {
        // Unescaped, the remainder holds style characters only (see below): a style name.
        style = target.slice(i + 1, keyEnd);
      }
      if (style !== undefined && (view.catalogue === undefined || view.catalogue.has(style))) {
        splits.push({ at: i - keyStart, delimiter: target[i] as Delimiter, style });
        if (view.catalogue !== undefined) break;
      }
    }
    // Every earlier remainder contains this character: if no style name can, stop.
    // Stryker disable next-line ConditionalExpression: equivalent as true, a remainder past a raw non-style character never decodes to a style name
    if (c === 0x25) escaped = true;
    else if (!isStyleNameChar(c)) break;
  }
  return splits;
}
