/**
 * oss-source-guard: decide whether a request may read an object under Alibaba Cloud OSS
 * source image protection.
 * @packageDocumentation
 */
export {
  encodeObjectKey,
  StyleUrlError,
  type StyleUrlErrorCode,
  type StyleUrlOptions,
  styleUrl,
} from './build.js';
export {
  type Allow,
  type AllowReason,
  type Decision,
  type Denial,
  type DenyReason,
  type EvaluateOptions,
  evaluate,
  type ReadingDecision,
} from './decision.js';
export { isImageContentType, keyExtension } from './extension.js';
export { lintPolicy, type PolicyWarning, type PolicyWarningCode } from './lint.js';
export {
  type CompiledPolicy,
  compilePolicy,
  explainProtection,
  isProtected,
  type MatchOptions,
  matchProtection,
  type ProtectionExplanation,
  type ProtectionMatch,
  type RuleTest,
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
export { type HeadersLike, headerValue, headerValues, type RequestLike } from './request.js';
export {
  type ErrorResponse,
  type ErrorResponseOptions,
  errorResponse,
  xmlEscape,
} from './response.js';
export {
  type DetectOptions,
  detectSignature,
  isAnonymous,
  type SignatureInfo,
  type SignatureScheme,
} from './signature.js';
export {
  type Access,
  type Endpoint,
  type ParsedRequest,
  type ParsedUrl,
  type ProcessParam,
  parseRequestUrl,
  type QueryParam,
  type Reading,
  type UrlError,
  type UrlOptions,
} from './url.js';
