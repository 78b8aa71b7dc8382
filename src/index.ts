/**
 * oss-source-guard: decide whether a request may read an object under Alibaba Cloud OSS
 * source image protection.
 * @packageDocumentation
 */
export { isImageContentType, keyExtension } from './extension.js';
export {
  type CompiledPolicy,
  compilePolicy,
  isProtected,
  type MatchOptions,
  matchProtection,
  type ProtectionMatch,
} from './match.js';
export {
  DELIMITERS,
  type Delimiter,
  definePolicy,
  formatPath,
  isPolicy,
  LIMITS,
  type Policy,
  PolicyError,
  type PolicyInput,
  type PolicyIssue,
  type PolicyIssueCode,
  type ProtectionRule,
  type ProtectionRuleInput,
  type ValidationResult,
  validatePolicy,
} from './policy.js';
