/**
 * Building URLs that work under protection (docs/behaviour.md#building-urls).
 * @module
 */
import { type Decision, evaluate } from '../decision/evaluate.js';
import { type Delimiter, objectKeyProblem, STYLE_NAME, STYLE_NAME_RULE } from '../oss/names.js';
import type { Policy } from '../policy/model.js';

/** Stable codes of {@link StyleUrlError}. */
export type StyleUrlErrorCode =
  | 'invalid-base'
  | 'invalid-key'
  | 'invalid-style'
  | 'unknown-style'
  | 'delimiter-not-enabled'
  | 'not-allowed';

/** Thrown by {@link styleUrl} when it cannot build a URL that OSS would serve. */
export class StyleUrlError extends Error {
  override readonly name = 'StyleUrlError';
  constructor(
    readonly code: StyleUrlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link styleUrl}. */
export interface StyleUrlOptions {
  /**
   * Build `key!style` with this delimiter instead of `key?x-oss-process=style/style`. Absent:
   * query style.
   */
  readonly delimiter?: Delimiter | undefined;
}

/**
 * Encode an object key for a URL path the way the official SDK does: `encodeURIComponent`,
 * then `/` kept as is.
 *
 * @example
 * encodeObjectKey('photos/my cat+1.jpg') // 'photos/my%20cat%2B1.jpg'
 */
export function encodeObjectKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

/** Escape every enabled delimiter too, so no server can split the text at it. */
function encodeDelimiters(text: string, policy: Policy): string {
  let out = text;
  for (const d of policy.delimiters) {
    out = out.replaceAll(d, `%${d.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+\/?$/;

function checkInputs(
  base: string,
  key: string,
  style: string,
  policy: Policy,
  delimiter: Delimiter | undefined,
): void {
  if (base !== '' && !ORIGIN.test(base)) {
    throw new StyleUrlError(
      'invalid-base',
      `The base must be an origin such as "https://bucket.oss-cn-hangzhou.aliyuncs.com" (or ""), not "${base}".`,
    );
  }
  if (objectKeyProblem(key) !== undefined) {
    throw new StyleUrlError(
      'invalid-key',
      `"${key}" is not an OSS object key: 1–1023 UTF-8 bytes, not starting with "/" or "\\".`,
    );
  }
  if (!STYLE_NAME.test(style)) {
    throw new StyleUrlError('invalid-style', `"${style}" is not a style name: ${STYLE_NAME_RULE}.`);
  }
  if (policy.styles !== undefined && !policy.styles.includes(style)) {
    throw new StyleUrlError(
      'unknown-style',
      `The style "${style}" is not in the policy's catalogue (${policy.styles.join(', ') || 'empty'}).`,
    );
  }
  if (delimiter !== undefined && !policy.delimiters.includes(delimiter)) {
    throw new StyleUrlError(
      'delimiter-not-enabled',
      `The delimiter "${delimiter}" is not enabled (enabled: ${policy.delimiters.join(' ') || 'none'}); use query style or enable it.`,
    );
  }
}

/**
 * The URL works when every reading of it is allowed (other servers' readings included) and OSS
 * itself reads exactly this key with this style.
 */
function readsAsIntended(
  d: Decision,
  key: string,
  style: string,
  delimiter: Delimiter | undefined,
): boolean {
  if (!d.allow) return false;
  const literal = d.readings.filter(
    (r) => r.source === 'literal' && r.pathProcessing === undefined,
  );
  if (delimiter === undefined)
    return literal.length === 1 && literal[0]?.key === key && literal[0].style === style;
  // Without a catalogue the whole path stays a possible reading; it is fine as long as it is allowed too.
  return literal.some(
    (r) => r.key === key && r.delimiter === delimiter && r.delimiterStyle === style,
  );
}

/**
 * Escape the enabled delimiters at the end of an encoded key: a path ending in one is read as an
 * empty style (inline processing) too (docs/behaviour.md#other-processing-forms), and the SDKs send
 * them escaped.
 */
function encodeTrailingDelimiters(encoded: string, policy: Policy): string {
  let end = encoded.length;
  while (end > 0 && policy.delimiters.includes(encoded[end - 1] as Delimiter)) end--;
  return encoded.slice(0, end) + encodeDelimiters(encoded.slice(end), policy);
}

/** `.` and `..` segments (escaped or not): browsers and HTTP clients remove them before sending. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Build a URL that reads `key` through `style` (docs/behaviour.md#building-urls): query style
 * (`key?x-oss-process=style/NAME`) by default, delimiter style (`key!NAME`) with
 * `{ delimiter }`. The key is encoded as the official SDK does (`;`, `#`, `@` and a trailing
 * delimiter are sent escaped); when that would let a server split the path at a delimiter inside
 * the key or style, those delimiters are percent-escaped too. The result is checked with
 * {@link evaluate}: it is returned only if every reading of it, other servers' included, is
 * allowed to an anonymous user, and OSS reads exactly this key and style.
 *
 * @throws {StyleUrlError} for a bad base, key or style name, a style missing from the catalogue,
 * a delimiter the policy has not enabled, or a URL that cannot work (`not-allowed`: a key with
 * `.` or `..` segments, which clients rewrite before sending; a delimiter-style URL under a prefix
 * rule without a catalogue).
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'image/' }], delimiters: ['!'], styles: ['small'] });
 * const base = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
 * styleUrl(base, 'image/my cat.jpg', 'small', policy);
 * // 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/my%20cat.jpg?x-oss-process=style/small'
 * styleUrl(base, 'image/my cat.jpg', 'small', policy, { delimiter: '!' });
 * // 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/my%20cat.jpg!small'
 */
export function styleUrl(
  base: string,
  key: string,
  style: string,
  policy: Policy,
  options?: StyleUrlOptions,
): string {
  const delimiter = options?.delimiter;
  checkInputs(base, key, style, policy, delimiter);
  if (DOT_SEGMENT.test(key)) {
    throw new StyleUrlError(
      'not-allowed',
      `No URL can read "${key}": its "." or ".." segments are removed by browsers and HTTP clients before the request is sent (escaping does not help: %2E counts as a dot), so the link would read another key.`,
    );
  }
  const origin = base.endsWith('/') ? base.slice(0, -1) : base;
  const build = (k: string, s: string) =>
    delimiter === undefined
      ? `${origin}/${k}?x-oss-process=style/${s}`
      : `${origin}/${k}${delimiter}${s}`;
  let decision: Decision | undefined;
  for (const escapeDelimiters of [false, true]) {
    const k = escapeDelimiters
      ? encodeDelimiters(encodeObjectKey(key), policy)
      : encodeTrailingDelimiters(encodeObjectKey(key), policy);
    const s = escapeDelimiters && delimiter !== undefined ? encodeDelimiters(style, policy) : style;
    const url = build(k, s);
    decision = evaluate({ url }, policy);
    if (readsAsIntended(decision, key, style, delimiter)) return url;
  }
  const why =
    decision?.allow === false
      ? `${decision.code}: ${decision.message}${decision.hint ? ` ${decision.hint}` : ''}`
      : 'it would read another key or style';
  throw new StyleUrlError(
    'not-allowed',
    `No URL for "${key}" with style "${style}" would be served: ${why}`,
  );
}
