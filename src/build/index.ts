/**
 * Building URLs that work under protection (docs/behaviour.md#building-urls).
 * @module
 */
export {
  encodeObjectKey,
  StyleUrlError,
  type StyleUrlErrorCode,
  type StyleUrlOptions,
  styleUrl,
} from './style-url.js';
