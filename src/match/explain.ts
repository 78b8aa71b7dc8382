/**
 * Every test docs/behaviour.md#matching-keys makes on a key, the plain way, for tools and logs.
 * @module
 */
import { compiled } from '../compile/index.js';
import type { Policy, ProtectionRule } from '../policy/model.js';
import { isImageContentType, keyExtension } from './extension.js';
import { affixMatches, foldR2 } from './fold.js';
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

/** Every test of docs/behaviour.md#matching-keys on a key, for people: see {@link explainProtection}. */
export interface ProtectionExplanation {
  readonly key: string;
  readonly rules: readonly RuleTest[];
  /** The key's extension as written (docs/behaviour.md#extensions), if it has one. */
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
 * Every test docs/behaviour.md#matching-keys makes on a key: each rule's prefix and suffix
 * (case-insensitive ones either way,
 * plain or folded, as docs/behaviour.md#letter-case says), the extension, `*`. Slower than
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
  const rules = matcher.policy.rules.map((rule, index): RuleTest => {
    const ci = rule.caseInsensitive;
    const prefixMatches =
      rule.prefix === undefined ? undefined : affixMatches(key, rule.prefix, ci, true);
    const suffixMatches =
      rule.suffix === undefined ? undefined : affixMatches(key, rule.suffix, ci, false);
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
  // Extensions compare in ASCII case, and the folded way too (`ſ`, `İ`, `ı`, then lower-casing).
  // The folded form alone answers both: listed extensions are lower-case ASCII, and an extension
  // that lower-cases to one is ASCII, where folding is ASCII lower-casing.
  return {
    key,
    rules,
    extension,
    extensionListed:
      extension !== undefined && !wildcard && matcher.policy.extensions.includes(foldR2(extension)),
    wildcard,
    wildcardApplies: wildcard && isImageContentType(options?.contentType),
    match: matcher.match(key, options),
  };
}
