/**
 * Request headers for canonicalisation, read in one walk (docs/behaviour.md#verification, "linear
 * time before the secret"): looking each signed header up by name rescans a header list per name,
 * which is quadratic in the number of headers (4,000 `x-oss-*` pairs took a second) before any
 * secret is known.
 * @module
 */
import type { RequestLike } from '../request/access.js';

/** Values of one header from a list, and whether `headerNames` would list it (a non-null value). */
interface Slot {
  readonly values: string[];
  present: boolean;
}

/** For a record: the key whose value counts for a name, and whether the name is listed. */
interface RecordSlot {
  /** The first key that lower-cases to the name (same length, as a lookup by name compares). */
  first: string | undefined;
  /** The key spelled in lower case is there with a value other than `undefined`: it wins. */
  exact: boolean;
  present: boolean;
}

/** A record's value as one header value: arrays are repeats, joined; `undefined`/`null` is none. */
const recordValue = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : Array.isArray(value)
        ? value.map(String).join(', ')
        : String(value);

/** A Fetch `Headers`, or anything with its `get` (as `request/access.ts` tells the shapes apart). */
const isFetchHeaders = (h: object): boolean => typeof (h as { get?: unknown }).get === 'function';

/**
 * The headers `wanted` selects, by lower-cased name, each with the value `headerValue` gives it
 * (repeats joined with `, `), for exactly the names `headerNames` lists; one walk over the
 * headers, whichever of the shapes of `RequestLike` they come in (Node's `rawHeaders` first, as
 * `request/access.ts` reads them). A name whose lower-cased form has another length (`İ`) gets no
 * value by name there, so none here either: such names are no HTTP token and no SDK sends one.
 *
 * @example
 * collectHeaders({ headers: [['X-OSS-Meta-A', '1'], ['x-oss-meta-a', '2'], ['Host', 'h']] }, (n) => n.startsWith('x-oss-'))
 * // Map { 'x-oss-meta-a' => '1, 2' }
 * @internal
 */
export function collectHeaders(
  request: RequestLike,
  wanted: (lowerName: string) => boolean,
): Map<string, string> {
  const raw = request.rawHeaders;
  const h = request.headers;
  if (!Array.isArray(raw)) {
    if (h === undefined || h === null || typeof h !== 'object') return new Map();
    if (!isFetchHeaders(h) && !Array.isArray(h))
      return fromRecord(h as Readonly<Record<string, unknown>>, wanted);
  }
  // A list of pairs (rawHeaders, [name, value] pairs, a Fetch Headers' entries): every repeat
  // of a name is one more value.
  const slots = new Map<string, Slot>();
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string') return;
    const lower = name.toLowerCase();
    if (!wanted(lower)) return;
    let s = slots.get(lower);
    if (s === undefined) {
      s = { values: [], present: false };
      slots.set(lower, s);
    }
    if (lower.length === name.length) s.values.push(String(value));
    if (value !== undefined && value !== null) s.present = true;
  };
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) add(raw[i], raw[i + 1]);
  } else if (Array.isArray(h)) {
    for (const p of h as readonly unknown[]) if (Array.isArray(p)) add(p[0], p[1]);
  } else {
    // forEach gives each name once with its folded value (`set-cookie` once per cookie), which
    // is what `get` answers, joined.
    (h as { forEach(fn: (value: string, name: string) => void): void }).forEach((value, name) => {
      add(name, value);
    });
  }
  const out = new Map<string, string>();
  for (const [name, s] of slots) if (s.present) out.set(name, s.values.join(', '));
  return out;
}

/**
 * A record: one value (or array of repeats) per key. The key spelled in lower case wins, else
 * the first key that lower-cases to the name, as a lookup by name finds it. Most records have
 * one key per name with a string value (Node lower-cases the names): such a name keeps just its
 * key until a second key spells it too.
 */
function fromRecord(
  record: Readonly<Record<string, unknown>>,
  wanted: (lowerName: string) => boolean,
): Map<string, string> {
  const slots = new Map<string, string | RecordSlot>();
  for (const k of Object.keys(record)) {
    const lower = k.toLowerCase();
    if (!wanted(lower)) continue;
    const v = record[k];
    const prev = slots.get(lower);
    if (prev === undefined && typeof v === 'string' && lower.length === k.length) {
      slots.set(lower, k);
      continue;
    }
    let s: RecordSlot;
    if (typeof prev === 'object') s = prev;
    else {
      // The key kept so far had a string value and the name's length.
      s =
        prev === undefined
          ? { first: undefined, exact: false, present: false }
          : { first: prev, exact: prev === lower, present: true };
      slots.set(lower, s);
    }
    if (v !== undefined && v !== null) s.present = true;
    if (k === lower && v !== undefined) s.exact = true;
    if (s.first === undefined && lower.length === k.length) s.first = k;
  }
  // The values, in place (setting an existing key keeps the order; deleting while iterating
  // a Map is allowed).
  const out = slots as Map<string, string | RecordSlot>;
  for (const [name, s] of slots) {
    if (typeof s === 'string') {
      out.set(name, record[s] as string);
      continue;
    }
    if (!s.present) {
      out.delete(name);
      continue;
    }
    const key = s.exact ? name : s.first;
    out.set(name, key === undefined ? '' : recordValue(record[key]));
  }
  return out as Map<string, string>;
}

const byName = (a: readonly [string, string], b: readonly [string, string]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/**
 * `name:trimmed value\n` for each collected header `include` selects, sorted by name (names are
 * unique here): the canonical header lines of V1 (`x-oss-*`) and V4.
 *
 * @example
 * canonicalHeaderLines(new Map([['x-oss-b', ' 2 '], ['host', 'h'], ['x-oss-a', '1']]), (n) => n.startsWith('x-oss-'))
 * // 'x-oss-a:1\nx-oss-b:2\n'
 * @internal
 */
export function canonicalHeaderLines(
  headers: ReadonlyMap<string, string>,
  include: (lowerName: string) => boolean,
): string {
  const lines: [string, string][] = [];
  for (const entry of headers) if (include(entry[0])) lines.push(entry);
  lines.sort(byName);
  const parts: string[] = new Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as [string, string];
    parts[i] = `${line[0]}:${line[1].trim()}`;
  }
  parts[lines.length] = '';
  return parts.join('\n');
}
