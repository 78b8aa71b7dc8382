/**
 * Policies (docs/behaviour.md#the-policy,
 * docs/behaviour.md#lint-warnings, docs/behaviour.md#oss-configuration-formats): the model,
 * validation, diagnostics, and OSS's configuration XML.
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
export {
  type OssXmlDocument,
  type OssXmlExport,
  type OssXmlExportWarning,
  type OssXmlExportWarningCode,
  type OssXmlImportResult,
  type OssXmlIssue,
  type OssXmlIssueCode,
  type OssXmlWarning,
  type OssXmlWarningCode,
  policyFromOssXml,
  policyToOssXml,
} from './oss-xml.js';
export { definePolicy, isPolicy, validatePolicy } from './validate.js';
