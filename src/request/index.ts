/**
 * Reading a request (docs/behaviour.md#reading-a-request): the request's parts, its target, host,
 * query and readings.
 * @module
 */
export { type HeadersLike, headerValue, headerValues, type RequestLike } from './access.js';
export type { Endpoint, UrlOptions } from './host.js';
export {
  type ParsedRequest,
  type ParsedUrl,
  parseRequestUrl,
  type UrlError,
} from './parse.js';
export type { ProcessParam, QueryParam } from './query.js';
export type { Access, Reading, ReadingSource } from './readings.js';
export type { Watermarks } from './watermark.js';
