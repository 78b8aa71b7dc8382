/**
 * Policies (SPEC S2, S9): the model, validation, and diagnostics.
 * @module
 */
export { lintPolicy, type PolicyWarning, type PolicyWarningCode } from './lint.js';
export {
  formatPath,
  type Policy,
  PolicyError,
  type PolicyInput,
  type PolicyIssue,
  type PolicyIssueCode,
  type ProtectionRule,
  type ProtectionRuleInput,
  type ValidationResult,
} from './model.js';
export { definePolicy, isPolicy, validatePolicy } from './validate.js';
