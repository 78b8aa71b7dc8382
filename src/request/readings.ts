/**
 * Readings (SPEC S4): the ways a storage server could read one request — a key, and whether it
 * is read directly, through a style, or with inline processing.
 * @module
 */
import type { Delimiter } from '../oss/names.js';
import type { Split } from './delimiters.js';
import type { ProcessParam } from './query.js';

/**
 * How a reading reaches the object:
 * - `direct`: the original bytes;
 * - `style`: through a named style (query `style/NAME` or a delimiter);
 * - `inline`: with inline processing (`image/…`, `video/…`, anything that is not exactly a style);
 * - `ambiguous`: `x-oss-process` given twice, or with an escaped name: servers disagree on it.
 */
export type Access = 'direct' | 'style' | 'inline' | 'ambiguous';

/** One way a storage server could read the request. */
export interface Reading {
  /** The object key this reading reads. */
  readonly key: string;
  readonly access: Access;
  /** The style applied, when `access` is `style` (the query's, when both parts name one). */
  readonly style: string | undefined;
  /** Set when this reading splits the path at a delimiter: `key + delimiter + delimiterStyle`. */
  readonly delimiter: Delimiter | undefined;
  readonly delimiterStyle: string | undefined;
}

function reading(
  key: string,
  access: Access,
  style: string | undefined,
  split: Split | undefined,
): Reading {
  return { key, access, style, delimiter: split?.delimiter, delimiterStyle: split?.style };
}

/** The reading of `key` (split at a delimiter, or not) under the query's processing. @internal */
export function combine(key: string, split: Split | undefined, process: ProcessParam): Reading {
  switch (process.kind) {
    case 'none':
      return split === undefined
        ? reading(key, 'direct', undefined, split)
        : reading(key, 'style', split.style, split);
    case 'style':
      return reading(key, 'style', process.style, split);
    case 'inline':
      return reading(key, 'inline', undefined, split);
    case 'ambiguous':
      return reading(key, 'ambiguous', undefined, split);
  }
}
