/**
 * Delimiter-style readings (SPEC S4): where a raw path can split into `key + delimiter + style`.
 * @module
 */
import { decodeWellFormed } from './decode.js';
import { type Delimiter, type Policy, STYLE_NAME } from './policy.js';

/** What delimiter reading needs of a policy, prepared once per policy. */
export interface PolicyView {
  /** 1 at the character code of each enabled delimiter (a typed array: no out-of-bounds reads). */
  readonly delimiters: Uint8Array;
  readonly any: boolean;
  readonly catalogue: ReadonlySet<string> | undefined;
  /** Length of the catalogue's longest name. */
  readonly longestStyle: number;
  /** 1 at each length a catalogue name has: most remainders are ruled out before any slicing. */
  readonly lengths: Uint8Array;
  /** Catalogue names by the code of their last character, shortest first. */
  readonly byLastChar: ReadonlyMap<number, readonly string[]>;
}

const views = new WeakMap<Policy, PolicyView>();

let lastPolicy: Policy | undefined;
let lastView: PolicyView | undefined;

export function viewOf(policy: Policy | undefined): PolicyView | undefined {
  if (policy === undefined) return undefined;
  if (policy === lastPolicy) return lastView;
  let view = views.get(policy);
  if (view === undefined) {
    const catalogue = policy.styles === undefined ? undefined : new Set(policy.styles);
    const longestStyle = Math.max(0, ...(policy.styles ?? []).map((n) => n.length));
    const lengths = new Uint8Array(64);
    for (const name of policy.styles ?? []) lengths[name.length] = 1;
    const byLastChar = new Map<number, string[]>();
    for (const name of [...(policy.styles ?? [])].sort((a, b) => a.length - b.length)) {
      const last = name.charCodeAt(name.length - 1);
      byLastChar.set(last, [...(byLastChar.get(last) ?? []), name]);
    }
    const delimiters = new Uint8Array(128);
    for (const d of policy.delimiters) delimiters[d.charCodeAt(0)] = 1;
    view = {
      delimiters,
      any: policy.delimiters.length > 0,
      catalogue,
      longestStyle,
      lengths,
      byLastChar,
    };
    views.set(policy, view);
  }
  lastPolicy = policy;
  lastView = view;
  return view;
}

/** A split of the raw key at `at` (relative to the key): `key + delimiter + style`. */
export interface Split {
  readonly at: number;
  readonly delimiter: Delimiter;
  readonly style: string;
}

/**
 * The delimiter occurrences in the raw key whose remainder is a style name (S4), last first.
 * With a catalogue only the last one in the catalogue counts.
 */
/** A character of a style name: `[A-Za-z0-9_.-]`. */
const isStyleChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2d ||
  c === 0x2e ||
  c === 0x5f;

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
  view: PolicyView,
): Split[] {
  const names = view.byLastChar.get(target.charCodeAt(keyEnd - 1));
  if (names === undefined) return NO_SPLITS;
  for (const name of names) {
    const i = keyEnd - name.length - 1;
    if (i <= keyStart) break;
    const c = target.charCodeAt(i);
    if (c < 0x80 && view.delimiters[c] === 1 && target.startsWith(name, i + 1)) {
      return [{ at: i - keyStart, delimiter: target[i] as Delimiter, style: name }];
    }
  }
  return NO_SPLITS;
}

/**
 * The delimiter occurrences in the raw key `target[keyStart, keyEnd)` whose remainder is a style
 * name (S4), last first; with a catalogue only the last one in the catalogue. The key is read in
 * place in the (flat) target: a sliced string costs more per character read.
 */
export function delimiterSplits(
  target: string,
  keyStart: number,
  keyEnd: number,
  view: PolicyView,
): Split[] {
  const splits: Split[] = [];
  // A remainder decodes to a style name: at most 63 characters, or the catalogue's longest.
  // Only escapes make its raw text longer (three times at most), so the window stays short
  // unless the tail holds a `%`.
  const longest = view.catalogue === undefined ? 63 : view.longestStyle;
  const percent = target.indexOf('%', keyEnd - 3 * longest - 1);
  const escapedTail = percent !== -1 && percent < keyEnd;
  if (view.catalogue !== undefined && !escapedTail)
    return catalogueSplit(target, keyStart, keyEnd, view);
  const limit = escapedTail ? 3 * longest : longest;
  let escaped = false;
  // i > keyStart: a split must leave a key before the delimiter.
  for (let i = keyEnd - 1; i > keyStart && keyEnd - i - 1 <= limit; i--) {
    const c = target.charCodeAt(i);
    if (c < 0x80 && view.delimiters[c] === 1 && i < keyEnd - 1) {
      let style: string | undefined;
      if (escaped) {
        style = decodeWellFormed(target.slice(i + 1, keyEnd));
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
    if (c === 0x25) escaped = true;
    else if (!isStyleChar(c)) break;
  }
  return splits;
}
