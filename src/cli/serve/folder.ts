/**
 * `serve --root DIR`: a folder served read-only, one file per object key, with what a client of
 * OSS expects of a GET: `Range` (one range), `ETag` / `Last-Modified` and the conditional
 * headers, `Content-Type` from the extension. A key that cannot name a file of the folder (`.` or
 * `..` segments, empty segments, `\`, NUL, a symbolic link that leads outside) is answered
 * `404 NoSuchKey`: no path escapes the folder.
 */
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream';
import type { GatewayResponse } from './log.js';
import {
  INVALID_RANGE,
  METHOD_NOT_ALLOWED,
  NO_SUCH_KEY,
  PRECONDITION_FAILED,
  sendError,
} from './oss-error.js';

/** Content types by extension (lower case): the common web and image formats. */
const TYPES: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  bmp: 'image/bmp',
  gif: 'image/gif',
  heic: 'image/heic',
  ico: 'image/x-icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  png: 'image/png',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  webp: 'image/webp',
  css: 'text/css',
  csv: 'text/csv',
  htm: 'text/html',
  html: 'text/html',
  js: 'text/javascript',
  json: 'application/json',
  md: 'text/markdown',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  txt: 'text/plain',
  webm: 'video/webm',
  xml: 'application/xml',
  zip: 'application/zip',
};

/** The content type of a key by its extension; `undefined` when the extension is unknown. */
export function contentTypeOf(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  if (dot === -1 || dot < key.lastIndexOf('/')) return undefined;
  return TYPES[key.slice(dot + 1).toLowerCase()];
}

/** The file a key names inside `root` (a real path), or `undefined` when it names none. */
async function resolveKey(
  root: string,
  key: string,
): Promise<{ path: string; stats: Stats } | undefined> {
  if (key.includes('\0') || key.includes('\\')) return undefined;
  const segments = key.split('/');
  for (const s of segments) if (s === '' || s === '.' || s === '..') return undefined;
  try {
    // The real path: a symbolic link inside the folder must not lead out of it.
    const path = await realpath(join(root, ...segments));
    if (!path.startsWith(root + sep)) return undefined;
    const stats = await stat(path);
    return stats.isFile() ? { path, stats } : undefined;
  } catch {
    return undefined;
  }
}

/** `"…"` from size and modification time: the same file gives the same tag. */
const etagOf = (stats: Stats) =>
  `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;

/** Whether an `If-Match` / `If-None-Match` list holds `etag` (weak comparison unless `strong`). */
function listHolds(list: string, etag: string, strong: boolean): boolean {
  if (list.trim() === '*') return true;
  for (const raw of list.split(',')) {
    const tag = raw.trim();
    if (tag.startsWith('W/')) {
      if (!strong && tag.slice(2) === etag) return true;
    } else if (tag === etag) return true;
  }
  return false;
}

/** An HTTP date in milliseconds, or `undefined` when the header is absent or not a date. */
function dateOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

type Range = { readonly start: number; readonly end: number } | 'unsatisfiable' | undefined;

/**
 * One `bytes=` range (RFC 9110 §14.1.2). Several ranges, or a header that is not one, are ignored
 * (the whole object is sent, as RFC 9110 allows); a range past the end is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): Range {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return undefined;
  const [, first = '', last = ''] = m;
  if (first === '') {
    if (last === '') return undefined;
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/**
 * Answer a read of `key` from the folder `root` (a real path, no trailing separator): 200, 206,
 * 304, 412, 416, or `404 NoSuchKey`; `405` for anything but `GET` and `HEAD`.
 */
export async function serveKey(
  root: string,
  key: string | undefined,
  req: IncomingMessage,
  res: GatewayResponse,
  hostId: string,
): Promise<void> {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    res.requestId = sendError(res, METHOD_NOT_ALLOWED, method, hostId, { allow: 'GET, HEAD' });
    return;
  }
  const file = key === undefined ? undefined : await resolveKey(root, key);
  if (file === undefined) {
    res.requestId = sendError(res, NO_SUCH_KEY, method, hostId);
    return;
  }
  const { path, stats } = file;
  const etag = etagOf(stats);
  // HTTP dates have whole seconds.
  const modified = Math.floor(stats.mtimeMs / 1000) * 1000;
  const h = req.headers;
  const validators = { etag, 'last-modified': new Date(modified).toUTCString() };

  // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; If-None-Match, else If-Modified-Since.
  const ifMatch = h['if-match'];
  const unmodifiedSince = dateOf(h['if-unmodified-since']);
  if (
    ifMatch !== undefined
      ? !listHolds(ifMatch, etag, true)
      : unmodifiedSince !== undefined && modified > unmodifiedSince
  ) {
    res.requestId = sendError(res, PRECONDITION_FAILED, method, hostId);
    return;
  }
  const ifNoneMatch = h['if-none-match'];
  const modifiedSince = dateOf(h['if-modified-since']);
  if (
    ifNoneMatch !== undefined
      ? listHolds(ifNoneMatch, etag, false)
      : modifiedSince !== undefined && modified <= modifiedSince
  ) {
    res.writeHead(304, validators);
    res.end();
    return;
  }

  let range = parseRange(h.range, stats.size);
  const ifRange = typeof h['if-range'] === 'string' ? h['if-range'] : undefined;
  if (range !== undefined && ifRange !== undefined) {
    const fresh = /^\s*(?:W\/)?"/.test(ifRange)
      ? ifRange.trim() === etag
      : dateOf(ifRange) === modified;
    if (!fresh) range = undefined;
  }
  if (range === 'unsatisfiable') {
    res.requestId = sendError(res, INVALID_RANGE, method, hostId, {
      'content-range': `bytes */${stats.size}`,
    });
    return;
  }
  const headers: Record<string, string> = {
    ...validators,
    'accept-ranges': 'bytes',
    'content-type': contentTypeOf(key as string) ?? 'application/octet-stream',
  };
  const start = range?.start ?? 0;
  const end = range?.end ?? stats.size - 1;
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range !== undefined) headers['content-range'] = `bytes ${start}-${end}/${stats.size}`;
  res.writeHead(range === undefined ? 200 : 206, headers);
  if (method === 'HEAD' || end < start) {
    res.end();
    return;
  }
  pipeline(createReadStream(path, { start, end }), res, (error) => {
    if (error && !res.writableFinished) res.note ??= res.destroyed ? 'aborted' : 'read-error';
  });
}
