/**
 * oss-source-guard/verify: verify OSS V1 and V4 signatures (docs/behaviour.md#verification) with
 * Web Crypto only, and combine verification with the protection decision. A separate entry point,
 * so that the core stays free of it.
 * @packageDocumentation
 */
export { verifyAndEvaluate } from './decide.js';
export type {
  VerifiableScheme,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySuccess,
} from './result.js';
export { verifySignature } from './verify.js';
