#!/usr/bin/env node
/**
 * A plain `node:http` file server on 127.0.0.1: the origin that `serve` is measured and tested
 * against (bench/serve-load.mjs, test/adapters/serve.test.ts). Run as its own process:
 *
 *   node bench/origin.mjs DIR [PORT] [DELAY_MS]
 *
 * It prints `origin listening on http://127.0.0.1:PORT` on stdout once it listens.
 * - GET and HEAD of `/<path>` send DIR/<path>, with one `Range` (206, 416), `ETag`,
 *   `Last-Modified`, `If-None-Match` and `If-Modified-Since` (304); after DELAY_MS (default 0),
 *   to model a store across a network.
 * - `/__echo` answers with what it received as JSON: method, raw target, raw headers, and the
 *   length and SHA-256 of the request body (streamed, not kept).
 * - `/__hang` reads the request and never answers (for timeouts).
 * - `/__slow?ms=N` answers `slow` after N ms (for requests in flight at shutdown).
 * Stops on SIGTERM, or when its parent's stdin closes.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

const root = normalize(process.argv[2] ?? '.');
const port = Number(process.argv[3] ?? 0);
const delay = Number(process.argv[4] ?? 0);

function send(req, res, path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    stats = undefined;
  }
  if (!stats?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const lastModified = new Date(Math.floor(stats.mtimeMs / 1000) * 1000);
  const headers = {
    etag,
    'last-modified': lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
  };
  const inm = req.headers['if-none-match'];
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  if (inm !== undefined ? inm === etag : !Number.isNaN(ims) && lastModified.getTime() <= ims) {
    res.writeHead(304, headers).end();
    return;
  }
  let start = 0;
  let end = stats.size - 1;
  let status = 200;
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (m !== null && (m[1] !== '' || m[2] !== '')) {
    if (m[1] === '') start = Math.max(0, stats.size - Number(m[2]));
    else {
      start = Number(m[1]);
      if (m[2] !== '') end = Math.min(end, Number(m[2]));
    }
    if (start >= stats.size || start > end) {
      res.writeHead(416, { 'content-range': `bytes */${stats.size}` }).end();
      return;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${stats.size}`;
  }
  headers['content-length'] = String(end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path, { start, end })
    .on('error', () => res.destroy())
    .pipe(res);
}

const server = createServer((req, res) => {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const pathname = q === -1 ? target : target.slice(0, q);
  if (pathname === '/__echo') {
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk) => {
      length += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      const body = JSON.stringify({
        method: req.method,
        url: target,
        rawHeaders: req.rawHeaders,
        bodyLength: length,
        bodySha256: hash.digest('hex'),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'echo' }).end(body);
    });
    return;
  }
  if (pathname === '/__hang') {
    req.resume();
    return;
  }
  if (pathname === '/__slow') {
    const ms = Number(new URLSearchParams(target.slice(q + 1)).get('ms') ?? 1000);
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('slow\n'), ms);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let key;
  try {
    key = decodeURIComponent(pathname.slice(1));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const path = normalize(join(root, key));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(404).end();
    return;
  }
  if (delay > 0) setTimeout(send, delay, req, res, path);
  else send(req, res, path);
});

server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`origin listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
// A parent that goes away (a killed test run) takes the origin with it.
process.stdin.on('end', stop).on('error', stop).resume();
