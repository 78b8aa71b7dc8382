/**
 * Operations other than GET and HEAD that read an object and return or store derived bytes
 * (docs/behaviour.md#derived-bytes-operations): processing by `POST` (persistent processing,
 * `sys/saveas`, SelectObject), and copies and symlinks (`PUT` with `x-oss-copy-source`, `PUT
 * ?symlink` with `x-oss-symlink-target`), which name their source in a header.
 * @module
 */
import { headerValues, type RequestLike } from '../request/access.js';
import { percentDecode } from '../request/decode.js';

/** Which read a non-GET operation makes. @internal */
export type Operation =
  /** Not a read: protection does not govern it. */
  | { readonly kind: 'none' }
  /** `POST` that may carry processing: its readings are inline processing. */
  | { readonly kind: 'post-processing' }
  /** `PUT` that reads another object of a bucket, named in a header. */
  | { readonly kind: 'source'; readonly via: 'copy-source' | 'symlink-target' };

const NONE: Operation = Object.freeze({ kind: 'none' });
const POST: Operation = Object.freeze({ kind: 'post-processing' });

/**
 * What a non-GET request may read, from its method and headers (and, for `POST`, the caller
 * checks the query). Fail closed: a `PUT` that names a source in either header is judged, and
 * `?symlink` is checked by the caller from the parsed query.
 * @internal
 */
export function operationOf(method: string, request: RequestLike): Operation {
  if (method === 'POST') return POST;
  if (method !== 'PUT') return NONE;
  if (headerValues(request, 'x-oss-copy-source').length > 0)
    return { kind: 'source', via: 'copy-source' };
  if (headerValues(request, 'x-oss-symlink-target').length > 0)
    return { kind: 'source', via: 'symlink-target' };
  return NONE;
}

/** A source read from a header: the bucket (when the value names one) and the key. @internal */
export type SourceRef =
  | { readonly ok: true; readonly bucket: string | undefined; readonly key: string }
  | { readonly ok: false; readonly message: string };

const BAD_COPY_SOURCE =
  'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.';
const BAD_SYMLINK = 'The x-oss-symlink-target header is not a valid object name.';

/**
 * The object a `PUT` reads. `x-oss-copy-source` is `/bucket/key` or `bucket/key`, percent-decoded
 * strictly (`+` is literal), optionally followed by `?versionId=…`; `x-oss-symlink-target` is a
 * key of the same bucket, decoded the same way. More than one value, or one that does not decode,
 * is refused (400 `InvalidArgument`).
 *
 * @example
 * sourceOf({ headers: { 'x-oss-copy-source': '/examplebucket/image/a%20b.jpg?versionId=1' } }, 'copy-source')
 * // { ok: true, bucket: 'examplebucket', key: 'image/a b.jpg' }
 * @internal
 */
export function sourceOf(request: RequestLike, via: 'copy-source' | 'symlink-target'): SourceRef {
  const values = headerValues(request, `x-oss-${via}`);
  const bad = via === 'copy-source' ? BAD_COPY_SOURCE : BAD_SYMLINK;
  if (values.length !== 1) return { ok: false, message: bad };
  const raw = values[0] as string;
  const question = raw.indexOf('?');
  const decoded = percentDecode(question === -1 ? raw : raw.slice(0, question));
  if (decoded === undefined || decoded === '') return { ok: false, message: bad };
  if (via === 'symlink-target') return { ok: true, bucket: undefined, key: decoded };
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return { ok: false, message: bad };
  return { ok: true, bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
