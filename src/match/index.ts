/**
 * Is an object key protected? (docs/behaviour.md#matching-keys) The public functions; each compiles
 * its policy once (see {@link compilePolicy}) and then costs one check.
 * @module
 */
import { compiled } from '../compile/index.js';
import type { Policy } from '../policy/model.js';
import type { CompiledPolicy, MatchOptions, ProtectionMatch } from './matcher.js';

export { explainProtection, type ProtectionExplanation, type RuleTest } from './explain.js';
export { isImageContentType, keyExtension } from './extension.js';
export type { CompiledPolicy, MatchOptions, ProtectionMatch } from './matcher.js';

/**
 * Prepare a policy for the hot path. The free functions {@link isProtected} and
 * {@link matchProtection} call this and cache the result per policy, so calling them costs the
 * same; use the compiled form when you want the preparation visible.
 *
 * A look-alike policy object (parsed JSON, or one made by another copy of this package) is
 * validated first and throws {@link PolicyError} when invalid.
 *
 * @example
 * const compiled = compilePolicy(definePolicy({ rules: [{ prefix: 'image/' }] }));
 * compiled.isProtected('image/a.jpg') // true
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  return compiled(policy).matcher;
}

/**
 * Whether an object key is protected by a policy (docs/behaviour.md#matching-keys): a rule matches
 * (prefix and suffix, case-insensitively when the rule says so), the key's extension is listed (any
 * letter case), or the policy protects every image (`["*"]`).
 *
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'image/' }], extensions: ['jpg'] });
 * isProtected('image/cat.gif', policy) // true: rule 0
 * isProtected('docs/CAT.JPG', policy)  // true: extension jpg
 * isProtected('docs/cat.gif', policy)  // false
 */
export function isProtected(key: string, policy: Policy, options?: MatchOptions): boolean {
  // Only a string names an object (callers from JavaScript may pass anything): never throw.
  if (typeof key !== 'string') return false;
  return compilePolicy(policy).isProtected(key, options);
}

/**
 * Why a key is protected: the first matching rule (with its index), else the protected
 * extension, else `*`; `undefined` when the key is not protected.
 *
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'raw/', suffix: '.tif' }], extensions: ['png'] });
 * matchProtection('raw/a.tif', policy) // { kind: 'rule', index: 0, rule: { prefix: 'raw/', suffix: '.tif', … } }
 * matchProtection('b.PNG', policy)     // { kind: 'extension', extension: 'png' }
 */
export function matchProtection(
  key: string,
  policy: Policy,
  options?: MatchOptions,
): ProtectionMatch | undefined {
  if (typeof key !== 'string') return undefined;
  return compilePolicy(policy).match(key, options);
}
