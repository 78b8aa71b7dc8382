/**
 * The decision (docs/behaviour.md#the-decision) and OSS's error response for a denial.
 * @module
 */
export {
  type Allow,
  type AllowReason,
  type Decision,
  type Denial,
  type DenyReason,
  type EvaluateOptions,
  evaluate,
  type ReadingDecision,
} from './evaluate.js';
export {
  type ErrorResponse,
  type ErrorResponseOptions,
  errorResponse,
  xmlEscape,
} from './response.js';
