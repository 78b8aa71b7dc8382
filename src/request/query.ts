/**
 * The query of a request target (docs/behaviour.md#the-query): parameters split and strictly
 * decoded, and the processing parameter classified.
 * @module
 */
import { STYLE_NAME } from '../oss/names.js';
import { isWellFormed } from '../oss/text.js';
import { decodeWellFormed } from './decode.js';

/** `style/NAME` exactly: a query-style access (one regex, built from the one style-name rule). */
const STYLE_VALUE = new RegExp(`^style/${STYLE_NAME.source.slice(1)}`);

/** The `x-oss-process` parameter, classified (docs/behaviour.md#the-processing-parameter). */
export type ProcessParam =
  | { readonly kind: 'none' }
  | { readonly kind: 'style'; readonly style: string }
  | { readonly kind: 'inline'; readonly value: string }
  | {
      readonly kind: 'ambiguous';
      /**
       * - `duplicated`: `x-oss-process` more than once;
       * - `escaped-name`: a name written with escapes that decodes to a processing name;
       * - `name-variant`: another spelling (`X-Oss-Process`) or `x-oss-async-process`;
       * - `after-semicolon`: a processing name beside a `;` inside a parameter (`a=b;x-oss-process=…`,
       *   `x-oss-process;a`).
       */
      readonly why: 'duplicated' | 'escaped-name' | 'name-variant' | 'after-semicolon';
      readonly values: readonly string[];
    };

/** A decoded query parameter: `[name, value]` (`value` is `''` for a bare `name`). */
export type QueryParam = readonly [name: string, value: string];

type AmbiguousWhy = Extract<ProcessParam, { kind: 'ambiguous' }>['why'];

function classifyProcess(
  values: string[] | undefined,
  why: AmbiguousWhy | undefined,
): ProcessParam {
  if (why !== undefined) return { kind: 'ambiguous', why, values: values ?? [] };
  if (values === undefined || values.length === 0) return NO_PROCESS;
  if (values.length > 1) return { kind: 'ambiguous', why: 'duplicated', values };
  const value = values[0] as string;
  if (STYLE_VALUE.test(value)) return { kind: 'style', style: value.slice(6) };
  return { kind: 'inline', value };
}

/** @internal */
export const NO_PROCESS: ProcessParam = Object.freeze({ kind: 'none' });

/** A name that some server reads as processing: `x-oss-process` or `x-oss-async-process`, any case. */
const isProcessName = (name: string): boolean =>
  (name.length === 13 || name.length === 19) &&
  (name.toLowerCase() === 'x-oss-process' || name.toLowerCase() === 'x-oss-async-process');

/**
 * The values of the processing parameters that the parameter `raw[start, end)` hides beside a
 * raw `;` (`first`, its first one): a processing name after a `;`, then `=`, `&`, `;` or the end,
 * or a bare processing name before the first `;` (`x-oss-process;a`). Servers that also split
 * parameters on `;` see a processing parameter there; its value (up to the next `;`) is pushed to
 * `out`, so that what it would embed is judged too. Returns whether there was one.
 */
function processBesideSemicolon(
  raw: string,
  start: number,
  first: number,
  end: number,
  out: string[],
): boolean {
  // Before the first `;`, with no `=`: a bare name to those servers (with an `=`, it is the
  // parameter's own name, which the caller reads).
  const head = raw.slice(start, first);
  let found = false;
  if (!head.includes('=') && isProcessName(decodeComponent(head) ?? head)) {
    found = true;
    out.push('');
  }
  for (let semi = first; semi !== -1 && semi < end; ) {
    let stop = semi + 1;
    while (stop < end) {
      const c = String.prototype.charCodeAt.call(raw, stop);
      if (c === 0x3d || c === 0x3b) break;
      stop++;
    }
    const text = raw.slice(semi + 1, stop);
    const name = decodeComponent(text);
    let next = stop;
    if (stop < end && String.prototype.charCodeAt.call(raw, stop) === 0x3d) {
      next = raw.indexOf(';', stop);
      if (next === -1 || next > end) next = end;
    }
    if (name !== undefined && isProcessName(name)) {
      found = true;
      const value = next > stop ? raw.slice(stop + 1, next) : '';
      // A value that does not decode is judged as written (its watermarks then fail closed).
      out.push(decodeComponent(value) ?? value);
    }
    semi =
      next < end && String.prototype.charCodeAt.call(raw, next) === 0x3b
        ? next
        : raw.indexOf(';', next);
  }
  return found;
}

/** A parsed query and its `x-oss-process` parameter. @internal */
export interface Query {
  readonly params: QueryParam[];
  readonly process: ProcessParam;
  /** Some parameter is (or may be read as) `x-oss-process` or `x-oss-async-process`. */
  readonly processNamed: boolean;
}

/** @internal */
export const NO_QUERY: Query = Object.freeze({
  params: [],
  process: NO_PROCESS,
  processNamed: false,
});

/** Decode a query name or value: `+` is a space (as every official SDK sends and signs it). */
const decodeComponent = (raw: string): string | undefined =>
  decodeWellFormed(raw.indexOf('+') === -1 ? raw : raw.replace(/\+/g, ' '));

/**
 * The query of `target[start, end)`: split on `&`, then on the first `=` before the next `&`,
 * names and values strictly decoded, `+` read as a space; `undefined` when an escape is invalid.
 * Linear in the query's length: each search starts where the last one stopped. Any other name a
 * server could read as processing (another letter case, escapes, `x-oss-async-process`, a name
 * after a `;`) makes the processing parameter ambiguous. `wellFormed`: the caller has checked
 * that the text holds no lone surrogate.
 *
 * `asWritten`: read the query of a server that does not refuse a bad escape (Go's `net/http`
 * skips such a pair): a name or value that does not decode is kept as written, and the result is
 * never `undefined`. Keeping a pair reads at least as much processing as skipping it, and a kept
 * value holds a `%`, so it is never a style: it fails closed.
 * @internal
 */
export function readQuery(
  target: string,
  start: number,
  end: number,
  wellFormed: boolean,
  asWritten = false,
): Query | undefined {
  if (start >= end) return NO_QUERY;
  if (!wellFormed && !asWritten && !isWellFormed(target.slice(start, end))) return undefined;
  const params: QueryParam[] = [];
  let processValues: string[] | undefined;
  let why: AmbiguousWhy | undefined;
  let named = false;
  // One search each for `%`, `+` and `;` in the whole query: most queries have none.
  const percent = target.indexOf('%', start);
  const plus = target.indexOf('+', start);
  const semicolon = target.indexOf(';', start);
  const decode = (percent !== -1 && percent < end) || (plus !== -1 && plus < end);
  // The next `=` and `;` at or after i: each searched again only once i has passed it, so the
  // scan stays linear however far the next one is.
  let nextEq = -2;
  let nextSemicolon = semicolon < end ? semicolon : -1;
  for (let i = start; i < end; ) {
    let amp = target.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    if (amp > i) {
      if (nextEq !== -1 && nextEq < i) nextEq = target.indexOf('=', i);
      const eq = nextEq === -1 || nextEq > amp ? amp : nextEq;
      const rawName = target.slice(i, eq);
      const rawValue = eq === amp ? '' : target.slice(eq + 1, amp);
      let name = decode ? decodeComponent(rawName) : rawName;
      let value = decode ? decodeComponent(rawValue) : rawValue;
      if (name === undefined || value === undefined) {
        if (!asWritten) return undefined;
        name ??= rawName;
        value ??= rawValue;
      }
      if (name === 'x-oss-process' && eq - i === 13) {
        processValues ??= [];
        processValues.push(value);
        named = true;
      } else if (isProcessName(name)) {
        // An escape always makes the decoded name shorter than the raw one.
        why ??= eq - i !== name.length ? 'escaped-name' : 'name-variant';
        processValues ??= [];
        processValues.push(value);
        named = true;
      }
      if (nextSemicolon !== -1 && nextSemicolon < i) nextSemicolon = target.indexOf(';', i);
      if (nextSemicolon !== -1 && nextSemicolon < amp) {
        const hidden: string[] = [];
        if (processBesideSemicolon(target, i, nextSemicolon, amp, hidden)) {
          why ??= 'after-semicolon';
          named = true;
          processValues = [...(processValues ?? []), ...hidden];
        }
      }
      params.push([name, value]);
    }
    i = amp + 1;
  }
  return { params, process: classifyProcess(processValues, why), processNamed: named };
}

/**
 * The decoded parameters of `target[start, end)` (see {@link splitTarget}); `undefined` when an
 * escape is invalid.
 * @internal
 */
export function parseQuery(target: string, start: number, end: number): QueryParam[] | undefined {
  return readQuery(target, start, end, false)?.params;
}
