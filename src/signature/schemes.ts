/**
 * The signature schemes OSS accepts (docs/behaviour.md#signatures), one entry each: the query
 * parameters that make a
 * query signature, and OSS's message when one is missing. The marker lookup is derived from it.
 * @module
 */

/** The signature schemes OSS accepts. */
export type SignatureScheme = 'oss-v1' | 'oss-v2' | 'oss-v4' | 'aws-v2' | 'aws-v4';

/** A scheme's query form. @internal */
export interface QueryScheme {
  /** Parameters a query signature must carry, each non-empty. */
  readonly required: readonly string[];
  /** Parameters that belong to the scheme but may be absent. */
  readonly optional: readonly string[];
  /** OSS's message when a required parameter is missing (OSS's own text where it has one). */
  readonly missing: string;
}

/** Every scheme's query form, in the order shared markers are attributed. @internal */
export const SCHEMES: Readonly<Record<SignatureScheme, QueryScheme>> = {
  'oss-v1': {
    required: ['OSSAccessKeyId', 'Expires', 'Signature'],
    optional: [],
    missing:
      'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
  },
  'oss-v2': {
    required: [
      'x-oss-signature-version',
      'x-oss-access-key-id',
      'x-oss-expires',
      'x-oss-signature',
    ],
    optional: ['x-oss-additional-headers'],
    missing:
      'Query-string authentication version 2 requires the x-oss-signature-version, x-oss-access-key-id, x-oss-expires and x-oss-signature parameters',
  },
  'oss-v4': {
    required: [
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'x-oss-expires',
      'x-oss-signature',
    ],
    optional: ['x-oss-additional-headers'],
    missing:
      'Query-string authentication version 4 requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters',
  },
  'aws-v2': {
    required: ['AWSAccessKeyId', 'Expires', 'Signature'],
    optional: [],
    missing:
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
  },
  'aws-v4': {
    required: [
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ],
    optional: [],
    missing:
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters',
  },
};

/** Which schemes each signature parameter belongs to; shared ones list every candidate. @internal */
export const MARKERS: ReadonlyMap<string, readonly SignatureScheme[]> = (() => {
  const markers = new Map<string, SignatureScheme[]>();
  for (const [scheme, q] of Object.entries(SCHEMES) as [SignatureScheme, QueryScheme][]) {
    for (const name of [...q.required, ...q.optional]) {
      markers.set(name, [...(markers.get(name) ?? []), scheme]);
    }
  }
  return markers;
})();

/** Marker names are short; a longer name is ruled out by its length alone. */
const LONGEST_MARKER = Math.max(...[...MARKERS.keys()].map((n) => n.length));

// Every query parameter of every request is tested: the marker names of the parameter's length
// are compared directly, which costs less than a hash lookup with a sliced string.
const MARKERS_BY_LENGTH: readonly (readonly string[])[] = Array.from(
  { length: LONGEST_MARKER + 1 },
  (_, n) => [...MARKERS.keys()].filter((name) => name.length === n),
);

/** Whether a query parameter name is a signature parameter of some scheme. @internal */
export const isMarker = (name: string): boolean => {
  // A dense table read in bounds: an out-of-bounds read would take V8's slow path.
  if (name.length > LONGEST_MARKER) return false;
  for (const marker of MARKERS_BY_LENGTH[name.length] as readonly string[]) {
    if (marker === name) return true;
  }
  return false;
};
