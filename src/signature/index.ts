/**
 * Signatures (docs/behaviour.md#signatures): detection of every scheme OSS accepts, in the header
 * or the query.
 * @module
 */
export { type DetectOptions, detectSignature, isAnonymous } from './detect.js';
export type { SignatureInfo } from './info.js';
export type { SignatureScheme } from './schemes.js';
