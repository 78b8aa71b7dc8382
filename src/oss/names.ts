/**
 * OSS's naming rules, each defined once: object keys, bucket names, style names, protected
 * extensions and style delimiters. Every stage (policy validation, request reading, URL
 * building) imports them from here.
 * @module
 */
import { MAX_KEY_BYTES } from './limits.js';
import { isWellFormed, utf8Length } from './text.js';

/** A style delimiter OSS can enable for `key!style` URLs. */
export type Delimiter = '!' | '-' | '/' | '_';

/** The delimiters OSS offers, in the order it returns them (ASCII order). */
export const DELIMITERS: readonly Delimiter[] = Object.freeze(['!', '-', '/', '_']);

/**
 * Why a string cannot be an OSS object key, or `undefined` when it can. OSS: a key is 1–1023
 * UTF-8 bytes and does not start with `/` or `\`. `not-unicode`: it holds a lone surrogate, which
 * UTF-8 cannot encode.
 * @internal
 */
export function objectKeyProblem(
  key: string,
): 'empty' | 'leading-slash' | 'too-long' | 'not-unicode' | undefined {
  if (key === '') return 'empty';
  const c = key.charCodeAt(0);
  if (c === 0x2f || c === 0x5c) return 'leading-slash';
  if (!isWellFormed(key)) return 'not-unicode';
  // A character is at most 3 UTF-8 bytes per UTF-16 unit: short keys need no count.
  return key.length > MAX_KEY_BYTES / 3 && utf8Length(key) > MAX_KEY_BYTES ? 'too-long' : undefined;
}

/** OSS bucket names: 3–63 of `[a-z0-9-]`, not starting or ending with `-`. @internal */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** A region label in an OSS host (`cn-hangzhou`, `us-west-1`). @internal */
export const REGION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** OSS style names: 1–63 of `[A-Za-z0-9_.-]`. @internal */
export const STYLE_NAME = /^[A-Za-z0-9_.-]{1,63}$/;

/** The rule of {@link STYLE_NAME}, for error messages. @internal */
export const STYLE_NAME_RULE = 'use 1–63 of A–Z, a–z, 0–9, "_", "." and "-"';

/** A character code that a style name may hold: `[A-Za-z0-9_.-]`. @internal */
export const isStyleNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x2d ||
  c === 0x2e ||
  c === 0x5f;

/**
 * A protected extension as a policy may write it: 1–16 ASCII letters or digits, one leading `.`
 * accepted (decision: OSS's console takes such lists; the length bound is ours).
 * @internal
 */
export const EXTENSION = /^\.?[A-Za-z0-9]{1,16}$/;
