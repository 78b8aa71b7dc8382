/**
 * What `audit` says about keys besides their protection: keys that are not OSS object keys at all
 * (counted apart, never as protected), and keys a raw URL cannot reach under the policy
 * (docs/behaviour.md#lint-warnings
 * R2): dot segments, which browsers and HTTP clients remove before sending, and a trailing enabled
 * delimiter, which OSS also reads as inline processing of the key before it.
 */
import type { CompiledPolicy, MatchOptions, Policy } from '../index.js';
import { objectKeyProblem } from '../oss/names.js';

/** Why a listed line is not an OSS object key. */
export type InvalidKeyReason = 'leading-slash' | 'too-long' | 'not-unicode';

/** Why a key cannot be read through a raw (unescaped) URL under the policy. */
export type UnreachableReason = 'dot-segment' | 'trailing-delimiter';

/** For people: what each reason means. */
export const INVALID_REASON_TEXT: Readonly<Record<InvalidKeyReason, string>> = {
  'leading-slash': 'starts with "/" or "\\", which no OSS key can',
  'too-long': 'longer than 1023 UTF-8 bytes',
  'not-unicode': 'not valid Unicode',
};

export const UNREACHABLE_REASON_TEXT: Readonly<Record<UnreachableReason, string>> = {
  'dot-segment':
    'protected, with a "." or ".." segment: browsers and HTTP clients remove it before sending, so the style URL names another key',
  'trailing-delimiter':
    'ends in an enabled delimiter after a protected key: the raw URL also reads as inline processing of that key (send the delimiter escaped, as styleUrl does)',
};

/** Why a listed key is not an OSS object key, or undefined. */
export function invalidKey(key: string): InvalidKeyReason | undefined {
  const problem = objectKeyProblem(key);
  // An empty line is skipped by the listing reader, so `empty` cannot reach here.
  return problem === 'empty' ? undefined : problem;
}

const DELIMITER_CHARS = '!-/_';

/** Whether `key` has a `.` or `..` segment (`/` and `\` separate segments, as WHATWG URL reads). */
export function hasDotSegment(key: string): boolean {
  // Most keys have no segment that starts with a dot: one native search each.
  if (key.charCodeAt(0) !== 0x2e && !key.includes('/.') && !key.includes('\\.')) return false;
  let start = 0;
  for (let i = 0; i <= key.length; i++) {
    const c = key.charCodeAt(i);
    if (i === key.length || c === 0x2f || c === 0x5c) {
      const n = i - start;
      if ((n === 1 || n === 2) && key.charCodeAt(start) === 0x2e && key.charCodeAt(i - 1) === 0x2e)
        return true;
      start = i + 1;
    }
  }
  return false;
}

/**
 * The keys OSS also reads a raw path ending in `key` as, with an empty style
 * (docs/behaviour.md#other-processing-forms): for
 * each enabled delimiter in the final run of delimiter characters, the key before it.
 */
export function trailingDelimiterKeys(key: string, policy: Policy): string[] {
  const out: string[] = [];
  for (let i = key.length - 1; i > 0 && DELIMITER_CHARS.includes(key[i] as string); i--)
    if ((policy.delimiters as readonly string[]).includes(key[i] as string))
      out.push(key.slice(0, i));
  return out;
}

/**
 * Why a raw URL cannot reach `key` under the policy, or undefined. `isProtected` is the key's
 * protection, already known to the caller.
 */
export function unreachable(
  key: string,
  isProtected: boolean,
  policy: Policy,
  compiled: CompiledPolicy,
  options: MatchOptions | undefined,
): UnreachableReason | undefined {
  if (isProtected && hasDotSegment(key)) return 'dot-segment';
  const last = key.charCodeAt(key.length - 1);
  if (last !== 0x21 && last !== 0x2d && last !== 0x2f && last !== 0x5f) return undefined;
  for (const shorter of trailingDelimiterKeys(key, policy))
    if (compiled.isProtected(shorter, options)) return 'trailing-delimiter';
  return undefined;
}
