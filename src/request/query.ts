/**
 * The query of a request target (SPEC S4): parameters split and strictly decoded, and the
 * processing parameter classified.
 * @module
 */
import { STYLE_NAME } from '../oss/names.js';
import { isWellFormed } from '../oss/text.js';
import { decodeWellFormed } from './decode.js';

/** `style/NAME` exactly: a query-style access (one regex, built from the one style-name rule). */
const STYLE_VALUE = new RegExp(`^style/${STYLE_NAME.source.slice(1)}`);

/** The `x-oss-process` parameter, classified (S4). */
export type ProcessParam =
  | { readonly kind: 'none' }
  | { readonly kind: 'style'; readonly style: string }
  | { readonly kind: 'inline'; readonly value: string }
  | {
      readonly kind: 'ambiguous';
      readonly why: 'duplicated' | 'escaped-name';
      readonly values: readonly string[];
    };

/** A decoded query parameter: `[name, value]` (`value` is `''` for a bare `name`). */
export type QueryParam = readonly [name: string, value: string];

function classifyProcess(values: string[] | undefined, escapedName: boolean): ProcessParam {
  if (values === undefined || values.length === 0) return NO_PROCESS;
  if (values.length > 1) return { kind: 'ambiguous', why: 'duplicated', values };
  const value = values[0] as string;
  if (escapedName) return { kind: 'ambiguous', why: 'escaped-name', values };
  if (STYLE_VALUE.test(value)) return { kind: 'style', style: value.slice(6) };
  return { kind: 'inline', value };
}

/** @internal */
export const NO_PROCESS: ProcessParam = Object.freeze({ kind: 'none' });

/** A parsed query and its `x-oss-process` parameter. */
/** @internal */
export interface Query {
  readonly params: QueryParam[];
  readonly process: ProcessParam;
}

/** @internal */
export const NO_QUERY: Query = Object.freeze({ params: [], process: NO_PROCESS });

/**
 * The query of `target[start, end)`: split on `&`, then on the first `=`, names and values
 * strictly decoded (`+` stays `+`); `undefined` when an escape is invalid. A name written with
 * escapes that decodes to `x-oss-process` (`x-oss-%70rocess`) makes the processing parameter
 * ambiguous: servers may or may not decode names. `wellFormed`: the caller has checked that
 * the text holds no lone surrogate.
 */
/** @internal */
export function readQuery(
  target: string,
  start: number,
  end: number,
  wellFormed: boolean,
): Query | undefined {
  if (start >= end) return NO_QUERY;
  if (!wellFormed && !isWellFormed(target.slice(start, end))) return undefined;
  const params: QueryParam[] = [];
  let processValues: string[] | undefined;
  let escapedProcess = false;
  // One search for `%` in the whole query: most queries have none, and need no decoding.
  const percent = target.indexOf('%', start);
  const escapes = percent !== -1 && percent < end;
  for (let i = start; i < end; ) {
    let amp = target.indexOf('&', i);
    if (amp === -1 || amp > end) amp = end;
    if (amp > i) {
      let eq = target.indexOf('=', i);
      if (eq === -1 || eq > amp) eq = amp;
      const rawName = target.slice(i, eq);
      const rawValue = eq === amp ? '' : target.slice(eq + 1, amp);
      const name = escapes ? decodeWellFormed(rawName) : rawName;
      const value = escapes ? decodeWellFormed(rawValue) : rawValue;
      if (name === undefined || value === undefined) return undefined;
      // The length test first: it rules out almost every name without comparing text.
      if (name.length === 13 && name === 'x-oss-process') {
        if (processValues === undefined) processValues = [];
        processValues.push(value);
        // An escape always makes the decoded name shorter than the raw one.
        if (eq - i !== name.length) escapedProcess = true;
      }
      params.push([name, value]);
    }
    i = amp + 1;
  }
  return { params, process: classifyProcess(processValues, escapedProcess) };
}

/**
 * The decoded parameters of `target[start, end)` (see {@link splitTarget}); `undefined` when an
 * escape is invalid.
 */
/** @internal */
export function parseQuery(target: string, start: number, end: number): QueryParam[] | undefined {
  return readQuery(target, start, end, false)?.params;
}
