/**
 * Every test S3 makes on a key, the plain way, for tools and logs.
 * @module
 */
import { compiled } from '../compile/index.js';
import type { Policy, ProtectionRule } from '../policy/model.js';
import { isImageContentType, keyExtension } from './extension.js';
import type { MatchOptions, ProtectionMatch } from './matcher.js';

/** One rule's test against a key, for explanations. */
export interface RuleTest {
  readonly index: number;
  readonly rule: ProtectionRule;
  /** `undefined` when the rule has no prefix. */
  readonly prefixMatches: boolean | undefined;
  readonly suffixMatches: boolean | undefined;
  readonly matches: boolean;
}

/** Every test S3 makes on a key, for people: see {@link explainProtection}. */
export interface ProtectionExplanation {
  readonly key: string;
  readonly rules: readonly RuleTest[];
  /** The key's extension as written (S3.2), if it has one. */
  readonly extension: string | undefined;
  /** Whether that extension is in the list (any letter case). */
  readonly extensionListed: boolean;
  /** The policy protects every image (`["*"]`), and whether that applies to this content type. */
  readonly wildcard: boolean;
  readonly wildcardApplies: boolean;
  /** The verdict, the same as {@link matchProtection}'s. */
  readonly match: ProtectionMatch | undefined;
}

/**
 * Every test S3 makes on a key: each rule's prefix and suffix, the extension, `*`. Slower than
 * {@link matchProtection} (it runs every test, the plain way); meant for tools and logs.
 *
 * @example
 * explainProtection('Images/a.png', definePolicy({ rules: [{ prefix: 'images/' }] })).rules[0]
 * // { index: 0, prefixMatches: false, suffixMatches: undefined, matches: false, … }
 */
export function explainProtection(
  key: string,
  policy: Policy,
  options?: MatchOptions,
): ProtectionExplanation {
  const { matcher } = compiled(policy);
  const lowered = key.toLowerCase();
  const rules = matcher.policy.rules.map((rule, index): RuleTest => {
    const k = rule.caseInsensitive ? lowered : key;
    const fold = (s: string) => (rule.caseInsensitive ? s.toLowerCase() : s);
    const prefixMatches = rule.prefix === undefined ? undefined : k.startsWith(fold(rule.prefix));
    const suffixMatches = rule.suffix === undefined ? undefined : k.endsWith(fold(rule.suffix));
    return {
      index,
      rule,
      prefixMatches,
      suffixMatches,
      matches: prefixMatches !== false && suffixMatches !== false,
    };
  });
  const extension = keyExtension(key);
  const wildcard = matcher.policy.extensions[0] === '*';
  return {
    key,
    rules,
    extension,
    extensionListed:
      extension !== undefined &&
      !wildcard &&
      matcher.policy.extensions.includes(asciiLower(extension)),
    wildcard,
    wildcardApplies: wildcard && isImageContentType(options?.contentType),
    match: matcher.match(key, options),
  };
}

const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
