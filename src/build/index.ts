/**
 * Building URLs that work under protection (SPEC S7).
 * @module
 */
export {
  encodeObjectKey,
  StyleUrlError,
  type StyleUrlErrorCode,
  type StyleUrlOptions,
  styleUrl,
} from './style-url.js';
