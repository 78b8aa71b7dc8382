/**
 * oss-source-guard: decide whether a request may read an object under Alibaba Cloud OSS
 * source image protection.
 *
 * The stages, in the order a request meets them: `policy/`, `match/`, `request/`, `signature/`,
 * `decision/`, `build/`; `verify/` is its own entry point. What each decides: docs/behaviour.md.
 * @packageDocumentation
 */
export * from './build/index.js';
export * from './decision/index.js';
export * from './match/index.js';
export { LIMITS } from './oss/limits.js';
export { DELIMITERS, type Delimiter } from './oss/names.js';
export * from './policy/index.js';
export * from './request/index.js';
export * from './signature/index.js';
