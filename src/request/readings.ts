/**
 * Readings (docs/behaviour.md#reading-a-request): the ways a storage server could read one request
 * — a key, and whether it is read directly, through a style, or with inline processing.
 * @module
 */
import type { Delimiter } from '../oss/names.js';
import type { Split } from './delimiters.js';
import type { ProcessParam } from './query.js';
import type { ReadingSource } from './rewrites.js';

export type { ReadingSource };

/**
 * How a reading reaches the object:
 * - `direct`: the original bytes;
 * - `style`: through a named style (query `style/NAME` or a delimiter);
 * - `inline`: with inline processing (`image/…`, `video/…`, anything that is not exactly a style);
 * - `ambiguous`: a processing parameter servers disagree on (given twice, escaped, another
 *   letter case, beside a `;`).
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
  /**
   * Processing the path itself asks for, besides a delimiter style: `empty-style` (`a.jpg!`, a
   * delimiter with no style after it) or `at` (the legacy `a.jpg@100w` syntax).
   */
  readonly pathProcessing: 'empty-style' | 'at' | undefined;
  /** Which server behaviour this reading models. */
  readonly source: ReadingSource;
}

function reading(
  key: string,
  access: Access,
  style: string | undefined,
  split: Split | undefined,
  source: ReadingSource,
): Reading {
  return {
    key,
    access,
    style,
    delimiter: split?.delimiter,
    delimiterStyle: split?.style,
    pathProcessing: undefined,
    source,
  };
}

/** The reading of `key` (split at a delimiter, or not) under the query's processing. @internal */
export function combine(
  key: string,
  split: Split | undefined,
  process: ProcessParam,
  source: ReadingSource,
): Reading {
  switch (process.kind) {
    case 'none':
      return split === undefined
        ? reading(key, 'direct', undefined, split, source)
        : reading(key, 'style', split.style, split, source);
    case 'style':
      return reading(key, 'style', process.style, split, source);
    case 'inline':
      return reading(key, 'inline', undefined, split, source);
    case 'ambiguous':
      return reading(key, 'ambiguous', undefined, split, source);
  }
}

/**
 * A reading of `key` whose path asks for processing (an empty style after `delimiter`, or `@`):
 * inline processing, whatever the query says. @internal
 */
export function pathProcessed(
  key: string,
  kind: 'empty-style' | 'at',
  delimiter: Delimiter | undefined,
  source: ReadingSource,
): Reading {
  return {
    key,
    access: 'inline',
    style: undefined,
    delimiter,
    delimiterStyle: delimiter === undefined ? undefined : '',
    pathProcessing: kind,
    source,
  };
}
