/**
 * The matcher's two state machines (docs/behaviour.md#matching-keys), built once per policy into
 * one `Int32Array`: one is
 * walked from the start of a key and holds the rules' prefixes, the other from the end and holds
 * their suffixes and the protected extensions (as `.ext` suffixes). Each walk reads a code unit,
 * takes one transition, and stops at the first unit no affix can take, so a key costs about as
 * many table reads as it shares units with the policy's affixes, whatever the number of rules.
 *
 * Matching is anchored (an affix starts at the start or the end of the key), so each machine is
 * a trie, not an Aho–Corasick automaton. Case-sensitive and case-insensitive affixes share it:
 * a state is a pair (node of the trie of exact affixes, node of the trie of folded affixes), and a
 * key unit moves both at once. Only pairs a key can reach are built; since a key's prefix spells
 * at most one exact path and folds to at most one folded path, there are at most as many states
 * as nodes in the two tries.
 *
 * Row layout, {@link WIDTH} entries: `table[row]` is the state's accept word (the bits of the rules
 * whose affix ends there, `(extension index + 1) << EXTENSION_SHIFT` for an extension, and
 * {@link TERMINAL} when no affix goes on from there);
 * `table[row + 1 + u]` is the row reached on the ASCII unit `u`; then one entry each for `İ`/`ı`
 * (which fold to `i`), `ſ` (`s`) and the Kelvin sign (`k`), the only non-ASCII units that can
 * compare equal to an ASCII affix unit (see `fold.ts`); then one for every other unit, always the
 * dead row. Rows are stored as offsets into the table (0 is the dead row, which every transition
 * of keeps), so a step is one addition and one read. The columns are not compressed into classes:
 * a lookup from unit to class would cost every step a second typed-array read, about 10% of the
 * walk (measured); a row of 133 entries costs 532 bytes, and a walk touches one cache line of it.
 * @module
 */
import {
  KELVIN_SIGN,
  LATIN_CAPITAL_I_WITH_DOT,
  LATIN_SMALL_DOTLESS_I,
  LATIN_SMALL_LONG_S,
} from './fold.js';

/** Entries per row: the accept word, 128 ASCII units, `İ`/`ı`, `ſ`, Kelvin, any other unit. @internal */
export const WIDTH = 133;
/** Column of `İ` and `ı`. @internal */
export const COLUMN_I = 129;
/** Column of `ſ`. @internal */
export const COLUMN_S = 130;
/** Column of the Kelvin sign. @internal */
export const COLUMN_K = 131;
/** Column of every other non-ASCII unit: always the dead row. @internal */
export const COLUMN_OTHER = 132;

/**
 * Flag (the sign bit) in the accept word of a state no affix goes on from: a walk that reaches it
 * stops there instead of reading one more unit to find the dead row (a few per cent of a walk,
 * measured). Walks clear it from what they return.
 * @internal
 */
export const TERMINAL = 1 << 31;

/** One affix as a walk reads it. @internal */
export interface AffixPath {
  /** ASCII code units in walk order: a suffix reversed. Folded ones lower-cased. */
  readonly units: readonly number[];
  /** Whether the comparison is case-insensitive (docs/behaviour.md#letter-case, either way; docs/behaviour.md#extensions for extensions). */
  readonly ci: boolean;
  /** Bits OR-ed into the accept word of the state where the affix ends. */
  readonly accept: number;
}

/** The built machines. @internal */
export interface Automaton {
  /** Rows of {@link WIDTH} entries; row 0 is the dead row. */
  readonly table: Int32Array;
  /** Row offset of the prefix machine's start state. */
  readonly prefixStart: number;
  /** Row offset of the suffix machine's start state. */
  readonly suffixStart: number;
  /** States built, both machines, the dead row included (for the build-cost report). */
  readonly states: number;
  /** Whether the prefix machine holds no affix at all (its walk can be skipped). */
  readonly noPrefixes: boolean;
}

class TrieNode {
  readonly next = new Map<number, TrieNode>();
  accept = 0;
  constructor(readonly id: number) {}
}

/** A trie of paths, with nodes numbered from 1 (0 stands for "no node" in a state pair). */
function trie(paths: readonly AffixPath[]): { root: TrieNode; size: number } {
  let size = 1;
  const root = new TrieNode(size);
  for (const path of paths) {
    let node = root;
    for (const u of path.units) {
      let child = node.next.get(u);
      if (child === undefined) {
        child = new TrieNode(++size);
        node.next.set(u, child);
      }
      node = child;
    }
    node.accept |= path.accept;
  }
  return { root, size };
}

/**
 * The columns whose units fold to the folded (lower-case ASCII) unit `c`: the unit itself, its
 * upper case for a letter, and the non-ASCII column of the letters R2 and `toLowerCase` fold there.
 */
function foldedColumns(c: number): number[] {
  const columns = [1 + c];
  if (c >= 0x61 && c <= 0x7a) columns.push(1 + c - 0x20);
  if (c === 0x69) columns.push(COLUMN_I);
  if (c === 0x73) columns.push(COLUMN_S);
  if (c === 0x6b) columns.push(COLUMN_K);
  return columns;
}

/** The key unit a column stands for, for the exact trie (`-1` for the non-ASCII columns). */
const exactUnit = (column: number): number => (column >= 1 && column <= 128 ? column - 1 : -1);

/** The folded unit a column moves the folded trie on. */
function foldedUnit(column: number): number {
  if (column === COLUMN_I) return 0x69;
  if (column === COLUMN_S) return 0x73;
  if (column === COLUMN_K) return 0x6b;
  const u = column - 1;
  return u >= 0x41 && u <= 0x5a ? u | 0x20 : u;
}

/**
 * One machine: the reachable pairs (exact node, folded node), numbered from `first`. Returns, per
 * state, its accept word and its transitions as (column, state number) pairs; only the columns a
 * node has an edge on are visited, so the build costs about one step per trie edge.
 */
function determinize(
  paths: readonly AffixPath[],
  first: number,
): { accept: number; edges: number[] }[] {
  const exact = trie(paths.filter((p) => !p.ci));
  const folded = trie(paths.filter((p) => p.ci));
  const stride = folded.size + 1;
  const ids = new Map<number, number>();
  const pairs: [TrieNode | undefined, TrieNode | undefined][] = [];
  const id = (e: TrieNode | undefined, f: TrieNode | undefined): number => {
    if (e === undefined && f === undefined) return 0;
    const key = (e?.id ?? 0) * stride + (f?.id ?? 0);
    let n = ids.get(key);
    if (n === undefined) {
      n = first + pairs.length;
      ids.set(key, n);
      pairs.push([e, f]);
    }
    return n;
  };
  id(exact.root, folded.root);
  const states: { accept: number; edges: number[] }[] = [];
  // `pairs` grows while it is walked: a breadth-first search over reachable states.
  for (let i = 0; i < pairs.length; i++) {
    const [e, f] = pairs[i] as [TrieNode | undefined, TrieNode | undefined];
    const columns = new Set<number>();
    if (e !== undefined) for (const u of e.next.keys()) columns.add(1 + u);
    if (f !== undefined)
      for (const c of f.next.keys()) for (const col of foldedColumns(c)) columns.add(col);
    const edges: number[] = [];
    for (const col of columns) {
      const eu = exactUnit(col);
      const next = id(eu === -1 ? undefined : e?.next.get(eu), f?.next.get(foldedUnit(col)));
      if (next !== 0) edges.push(col, next);
    }
    states.push({ accept: (e?.accept ?? 0) | (f?.accept ?? 0), edges });
  }
  return states;
}

/**
 * Build both machines. `prefixes` are walked from the start of the key, `suffixes` (given in walk
 * order, i.e. reversed) from the end; `prefixFree` and `suffixFree` are the accept words of the
 * start states (rules that pass that side whatever the key).
 * @internal
 */
export function buildAutomaton(
  prefixes: readonly AffixPath[],
  suffixes: readonly AffixPath[],
  prefixFree: number,
  suffixFree: number,
): Automaton {
  const prefixStates = determinize(prefixes, 1);
  const suffixStates = determinize(suffixes, 1 + prefixStates.length);
  const states = 1 + prefixStates.length + suffixStates.length;
  const table = new Int32Array(states * WIDTH);
  let offset = WIDTH;
  for (const { accept, edges } of [...prefixStates, ...suffixStates]) {
    table[offset] = edges.length === 0 ? accept | TERMINAL : accept;
    for (let i = 0; i < edges.length; i += 2)
      table[offset + (edges[i] as number)] = (edges[i + 1] as number) * WIDTH;
    offset += WIDTH;
  }
  const prefixStart = WIDTH;
  const suffixStart = (1 + prefixStates.length) * WIDTH;
  table[prefixStart] = (table[prefixStart] as number) | prefixFree;
  table[suffixStart] = (table[suffixStart] as number) | suffixFree;
  return { table, prefixStart, suffixStart, states, noPrefixes: prefixes.length === 0 };
}

/**
 * The column of a non-ASCII unit (ASCII unit `u` is column `1 + u`).
 * @internal
 */
export function wideColumn(u: number): number {
  if (u === KELVIN_SIGN) return COLUMN_K;
  if (u === LATIN_SMALL_LONG_S) return COLUMN_S;
  if (u === LATIN_CAPITAL_I_WITH_DOT || u === LATIN_SMALL_DOTLESS_I) return COLUMN_I;
  return COLUMN_OTHER;
}
