/**
 * OSS's numeric limits, each defined once. Where a number comes from OSS's documentation the
 * comment says so; the rest are this library's decisions, marked.
 * @module
 */

/** UTF-8 bytes in an object key (OSS: "1 to 1023 bytes"). @internal */
export const MAX_KEY_BYTES = 1023;

/** Characters in a style name (OSS: style names are 1–63 characters). @internal */
export const MAX_STYLE_NAME_LENGTH = 63;

/**
 * Longest validity of a V4 query signature, and of an AWS SigV4 one, in seconds (OSS and S3:
 * 7 days; OSS EC 0002-00000232 for `x-oss-expires` outside 1–604800). @internal
 */
export const MAX_EXPIRES_SECONDS = 604800;

/** How far a header-signed request's time may be from now (OSS: 15 minutes). @internal */
export const DEFAULT_CLOCK_SKEW_SECONDS = 900;

/** OSS's limits on a policy, exported so tools can show them. */
export const LIMITS = Object.freeze({
  /** OSS console limit on prefix/suffix rules. */
  maxRules: 10,
  /** UTF-8 bytes in a rule's prefix or suffix (an object key's own limit). */
  maxAffixBytes: MAX_KEY_BYTES,
  /** Characters in a protected extension (decision: OSS documents none; 16 covers every image type). */
  maxExtensionLength: 16,
  /** Names in the style catalogue (OSS: at most 50 styles per bucket). */
  maxStyles: 50,
  /** Characters in a style name. */
  maxStyleNameLength: MAX_STYLE_NAME_LENGTH,
});
