/**
 * `oss-source-guard serve` end to end: the CLI (bundled from src/) as a child process in front of
 * a local origin (bench/origin.mjs, a `node:http` file server with Range support, as its own
 * process), real requests over loopback. Streams (50 MB with flat memory, request bodies),
 * Range and conditional requests, hop-by-hop headers, 502 and 504, the access log, SIGTERM
 * draining, verification, and `--root`.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUCKET,
  bundleCli,
  type Child,
  CREDENTIALS,
  forge,
  ossClient,
  ROOT,
  rawRequest,
  rss,
  startChild,
  targetOf,
  tempDir,
} from './support.js';

const MB = 1024 * 1024;
const dir = tempDir('serve');
const files = join(dir, 'files');
const small = randomBytes(64 * 1024);
let cli = '';
let origin: Child;
let upstream = '';
const children: Child[] = [];
let bigSha = '';

/** Start `serve` with `args`; stopped after the suite. */
async function serve(args: readonly string[]): Promise<Child> {
  const child = await startChild(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    lifetimeMs: 150_000,
  });
  children.push(child);
  return child;
}

/** Run the CLI to its end (for usage errors). */
function runCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Wait (at most 5 s) until `probe` returns something. */
async function until<T>(probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Bytes a process has written (sockets included): /proc/PID/io `wchar`. */
function bytesWritten(pid: number): number {
  const m = /^wchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return Number(m?.[1]);
}

/**
 * Download `path`, reading at about 40 MB/s (slower than the origin sends); with `pauseAt`,
 * stop reading for 1.5 s (longer than the gateway's --timeout: a slow reader is not a silent
 * upstream) once that many bytes have come, calling `paused` at its end.
 */
function download(
  port: number,
  path: string,
  pauseAt: number | undefined,
  paused: () => void,
): Promise<{ length: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let length = 0;
    let since = 0;
    let pausedOnce = false;
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.on('data', (c: Buffer) => {
          hash.update(c);
          length += c.length;
          since += c.length;
          if (pauseAt !== undefined && !pausedOnce && length >= pauseAt) {
            pausedOnce = true;
            res.pause();
            setTimeout(() => {
              paused();
              res.resume();
            }, 1500);
          } else if (since >= 512 * 1024) {
            since = 0;
            res.pause();
            setTimeout(() => res.resume(), 12);
          }
        });
        res.on('end', () => resolve({ length, sha256: hash.digest('hex') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The access-log lines (JSON) a child has written so far. */
const logOf = (child: Child) =>
  child
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  mkdirSync(join(files, 'image'), { recursive: true });
  mkdirSync(join(files, 'public'), { recursive: true });
  writeFileSync(join(files, 'image', 'a.jpg'), small);
  writeFileSync(join(files, 'public', 'readme.txt'), 'read me\n');
  // 50 MB of random bytes: nothing a proxy could compress or skip.
  const big = randomBytes(50 * MB);
  bigSha = sha256(big);
  writeFileSync(join(files, 'public', 'big.bin'), big);
  writeFileSync(
    join(dir, 'secrets.json'),
    JSON.stringify({ [CREDENTIALS.accessKeyId]: CREDENTIALS.secret }),
  );
  cli = await bundleCli();
  origin = await startChild(process.execPath, [join(ROOT, 'bench', 'origin.mjs'), files], {
    lifetimeMs: 150_000,
  });
  upstream = `http://127.0.0.1:${origin.port}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await origin?.stop();
});

describe('serve --upstream', () => {
  let gw: Child;
  beforeAll(async () => {
    gw = await serve([
      '--upstream',
      upstream,
      '--bucket',
      BUCKET,
      '--secrets',
      join(dir, 'secrets.json'),
      '--timeout',
      '1000',
      '--json',
    ]);
  });

  it('says what it serves on stderr', () => {
    expect(gw.stderr()).toContain('using the embedded example policy');
    expect(gw.stderr()).toMatch(
      new RegExp(
        `serving http://127\\.0\\.0\\.1:\\d+ → upstream ${upstream}/; .*signatures verified`,
      ),
    );
  });

  it('forwards style reads; denies originals and inline processing in OSS’s XML', async () => {
    const style = await rawRequest(gw.port, '/image/a.jpg?x-oss-process=style/small');
    expect(style.status).toBe(200);
    expect(style.headers.etag).toMatch(/^"/);
    expect(Buffer.from(style.body, 'utf8').length).toBeGreaterThan(0);
    const direct = await rawRequest(gw.port, '/image/a.jpg');
    expect(direct.status).toBe(403);
    expect(direct.headers['content-type']).toBe('application/xml');
    expect(direct.body).toContain('<Message>Forbidden access to the original image.</Message>');
    const inline = await rawRequest(gw.port, '/image/a.jpg?x-oss-process=image/resize,w_1');
    expect(inline.headers['x-oss-ec']).toBe('0040-00000031');
    const head = await rawRequest(gw.port, '/image/a.jpg', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([403, '']);
  });

  it('streams a 50 MB object with flat memory, pushing back on a slow reader', async () => {
    const pid = gw.process.pid as number;
    const originPid = origin.process.pid as number;
    await rawRequest(gw.port, '/public/readme.txt');
    const before = rss(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rss(pid));
    }, 20);
    const peaks: number[] = [];
    let duringPause = { originSent: 0, rss: 0 };
    try {
      for (const pause of [true, false]) {
        const sentBefore = bytesWritten(originPid);
        const got = await download(gw.port, '/public/big.bin', pause ? 4 * MB : undefined, () => {
          duringPause = { originSent: bytesWritten(originPid) - sentBefore, rss: rss(pid) };
        });
        expect(got).toEqual({ length: 50 * MB, sha256: bigSha });
        peaks.push(peak);
      }
    } finally {
      clearInterval(sampler);
    }
    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    const report = `RSS before ${mb(before)}, during the pause ${mb(duringPause.rss)}, peaks ${peaks.map(mb).join(', ')}; origin sent ${mb(duringPause.originSent)} during the pause`;
    // Backpressure: while the reader pauses after 4 MB, the gateway stops reading from the
    // origin; what the origin could send sits in the kernel's socket buffers, not in the gateway.
    // A gateway that buffered the object would have read all 50 MB.
    expect(duringPause.originSent, report).toBeLessThan(40 * MB);
    expect(duringPause.rss - before, report).toBeLessThan(30 * MB);
    // Flat: the second transfer does not add to the first (the rest is the allocator's slack).
    expect((peaks[1] as number) - (peaks[0] as number), report).toBeLessThan(10 * MB);
    expect((peaks[1] as number) - before, report).toBeLessThan(64 * MB);
    console.log(`serve, 50 MB through: ${report}`);
    const line = await until(() => logOf(gw).find((l) => l.url === '/public/big.bin'));
    expect(line).toMatchObject({ status: 200, bytes: 50 * MB, allow: true, upstreamStatus: 200 });
  });

  it('passes Range and conditional requests through', async () => {
    const style = '/image/a.jpg?x-oss-process=style/small';
    const range = await rawRequest(gw.port, style, {
      headers: { range: 'bytes=100-199' },
    });
    expect(range.status).toBe(206);
    expect(range.headers['content-range']).toBe(`bytes 100-199/${small.length}`);
    expect(range.headers['content-length']).toBe('100');
    const full = await rawRequest(gw.port, style);
    const etag = full.headers.etag as string;
    const lastModified = full.headers['last-modified'] as string;
    const cached = await rawRequest(gw.port, style, {
      headers: { 'if-none-match': etag },
    });
    expect([cached.status, cached.body, cached.headers.etag]).toEqual([304, '', etag]);
    const since = await rawRequest(gw.port, style, {
      headers: { 'if-modified-since': lastModified },
    });
    expect(since.status).toBe(304);
    const past = await rawRequest(gw.port, style, {
      headers: { range: `bytes=${small.length}-` },
    });
    expect(past.status).toBe(416);
  });

  it('forwards method, raw target, end-to-end headers and the body; drops hop-by-hop ones', async () => {
    const body = randomBytes(3 * MB);
    const r = await rawRequest(gw.port, '/__echo?a=1&b=%2F&c', {
      method: 'PUT',
      headers: {
        connection: 'keep-alive, x-hop',
        'x-hop': 'connection-scoped',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic eA==',
        'x-custom': 'kept',
        'if-none-match': '"abc"',
        'content-type': 'application/octet-stream',
        host: 'img.example.com',
      },
      body,
    });
    expect(r.status).toBe(200);
    const echo = JSON.parse(r.body) as {
      method: string;
      url: string;
      rawHeaders: string[];
      bodyLength: number;
      bodySha256: string;
    };
    expect(echo).toMatchObject({
      method: 'PUT',
      url: '/__echo?a=1&b=%2F&c',
      bodyLength: body.length,
      bodySha256: sha256(body),
    });
    const headers = new Map<string, string>();
    for (let i = 0; i < echo.rawHeaders.length; i += 2)
      headers.set((echo.rawHeaders[i] as string).toLowerCase(), echo.rawHeaders[i + 1] as string);
    expect(headers.get('host')).toBe(`127.0.0.1:${origin.port}`);
    expect(headers.get('x-custom')).toBe('kept');
    expect(headers.get('if-none-match')).toBe('"abc"');
    expect(headers.get('x-forwarded-host')).toBe('img.example.com');
    expect(headers.get('x-forwarded-for')).toBe('127.0.0.1');
    for (const hop of ['x-hop', 'te', 'proxy-authorization', 'keep-alive'])
      expect(headers.has(hop), hop).toBe(false);
    expect(r.headers['x-origin']).toBe('echo');
  });

  it('answers 504 in OSS’s XML shape when the upstream does not answer in time', async () => {
    const started = Date.now();
    const r = await rawRequest(gw.port, '/__hang');
    const elapsed = Date.now() - started;
    expect(r.status).toBe(504);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.body).toContain('<Code>GatewayTimeout</Code>');
    expect(r.body).toMatch(/<RequestId>[0-9A-F]{24}<\/RequestId>/);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    expect(await until(() => logOf(gw).find((l) => l.url === '/__hang'))).toMatchObject({
      status: 504,
      note: 'upstream-timeout',
    });
  });

  it('verifies signatures with --secrets: ali-oss URLs pass, forged ones do not', async () => {
    const url = ossClient(gw.port).signatureUrl('image/a.jpg', { expires: 300 });
    const ok = await rawRequest(gw.port, targetOf(url));
    expect(ok.status).toBe(200);
    const forged = await rawRequest(gw.port, forge(targetOf(url), 'Signature'));
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    const result = await ossClient(gw.port, { v4: true }).get('image/a.jpg');
    expect(Buffer.compare(result.content as Buffer, small)).toBe(0);
  });

  it('logs one JSON line per request', async () => {
    await rawRequest(gw.port, '/image/a.jpg?log=1');
    await rawRequest(gw.port, '/public/readme.txt?log=2');
    const lines = await until(() => {
      const found = logOf(gw).filter((l) => /[?&]log=\d/.test(String(l.url)));
      return found.length === 2 ? found : undefined;
    });
    expect(lines[0]).toMatchObject({
      remote: '127.0.0.1',
      method: 'GET',
      url: '/image/a.jpg?log=1',
      status: 403,
      allow: false,
      reason: 'original',
      code: 'AccessDenied',
      key: 'image/a.jpg',
    });
    expect(lines[0]?.requestId).toMatch(/^[0-9A-F]{24}$/);
    expect(lines[1]).toMatchObject({ status: 200, bytes: 8, allow: true, reason: 'not-protected' });
    expect(typeof lines[1]?.ms).toBe('number');
    expect(typeof lines[1]?.time).toBe('string');
  });
});

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('serve, failures and shutdown', () => {
  it('answers 502 in OSS’s XML shape when the upstream cannot be reached', async () => {
    const gw = await serve(['--upstream', `http://127.0.0.1:${await closedPort()}`]);
    const r = await rawRequest(gw.port, '/public/readme.txt');
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.body).toContain('<Code>BadGateway</Code>');
    expect(r.body).toContain('ECONNREFUSED');
    const head = await rawRequest(gw.port, '/public/readme.txt', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([502, '']);
  });

  it('SIGTERM lets requests in flight finish, then exits 0', async () => {
    const gw = await serve(['--upstream', upstream]);
    const started = Date.now();
    const inFlight = rawRequest(gw.port, '/__slow?ms=1500');
    await new Promise((r) => setTimeout(r, 300));
    gw.process.kill('SIGTERM');
    const r = await inFlight;
    expect([r.status, r.body]).toEqual([200, 'slow\n']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(await gw.exited).toBe(0);
    expect(gw.stderr()).toContain('SIGTERM: finishing 1 request in flight');
    expect(gw.stderr()).toMatch(/stopped\n$/);
    // The access line of the drained request was written before the exit.
    expect(gw.stdout()).toMatch(/GET \/__slow\?ms=1500 200 5B .* ALLOW not-protected/);
    await expect(rawRequest(gw.port, '/public/readme.txt')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('serve --root', () => {
  let gw: Child;
  const root = join(dir, 'root');
  beforeAll(async () => {
    mkdirSync(join(root, 'image'), { recursive: true });
    mkdirSync(join(root, 'public'), { recursive: true });
    writeFileSync(join(root, 'image', 'cat.jpg'), small);
    writeFileSync(join(root, 'public', 'notes.txt'), 'notes\n');
    writeFileSync(join(dir, 'outside.txt'), 'outside the folder\n');
    symlinkSync(dir, join(root, 'public', 'link'));
    gw = await serve(['--root', root]);
  });

  it('uses the embedded example policy without --policy', () => {
    expect(gw.stderr()).toContain('using the embedded example policy');
    expect(gw.stderr()).toContain(`→ folder ${root}`);
  });

  it('serves style reads of protected files and unprotected files, denies the rest', async () => {
    const style = await rawRequest(gw.port, '/image/cat.jpg?x-oss-process=style/small');
    expect(style.status).toBe(200);
    expect(style.headers['content-type']).toBe('image/jpeg');
    expect(style.headers['content-length']).toBe(String(small.length));
    expect((await rawRequest(gw.port, '/image/cat.jpg!thumb')).status).toBe(200);
    expect((await rawRequest(gw.port, '/public/notes.txt')).body).toBe('notes\n');
    const direct = await rawRequest(gw.port, '/image/cat.jpg');
    expect(direct.status).toBe(403);
    expect(direct.body).toContain('<Code>AccessDenied</Code>');
    const missing = await rawRequest(gw.port, '/public/none.txt');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<Code>NoSuchKey</Code>');
  });

  it('Range, conditional requests, HEAD; read-only', async () => {
    const r = await rawRequest(gw.port, '/public/notes.txt', { headers: { range: 'bytes=-3' } });
    expect([r.status, r.body, r.headers['content-range']]).toEqual([206, 'es\n', 'bytes 3-5/6']);
    const etag = r.headers.etag as string;
    const cached = await rawRequest(gw.port, '/public/notes.txt', {
      headers: { 'if-none-match': etag },
    });
    expect(cached.status).toBe(304);
    const stale = await rawRequest(gw.port, '/public/notes.txt', {
      headers: { 'if-match': '"other"' },
    });
    expect(stale.status).toBe(412);
    const ignored = await rawRequest(gw.port, '/public/notes.txt', {
      headers: { range: 'bytes=0-1', 'if-range': '"other"' },
    });
    expect([ignored.status, ignored.body]).toEqual([200, 'notes\n']);
    const head = await rawRequest(gw.port, '/public/notes.txt', { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '6']);
    const put = await rawRequest(gw.port, '/public/notes.txt', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.body).toContain('<Code>MethodNotAllowed</Code>');
  });

  it.each([
    '/public/../../outside.txt',
    '/public/%2e%2e/%2e%2e/outside.txt',
    '/public/..%2f..%2foutside.txt',
    '/public/link/outside.txt',
    '/public//notes.txt',
    '/public/./notes.txt',
    '/public%5cnotes.txt',
    '/public/notes.txt%00',
  ])('never leaves the folder: %s → 404', async (target) => {
    const r = await rawRequest(gw.port, target);
    // The guard may deny first (403); the folder never serves it.
    expect([403, 404], r.body).toContain(r.status);
    expect(r.body).not.toContain('outside the folder');
    if (r.status === 404) expect(r.body).toContain('<Code>NoSuchKey</Code>');
  });
});

describe('serve, usage', () => {
  it('--help describes the command', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: oss-source-guard serve --upstream URL/);
    expect(r.stdout).toContain('--root DIR');
    expect(r.stdout).toContain('--timeout MS');
    expect(r.stdout).toContain('Exit status: 0');
  });

  it.each([
    [[], /serve needs --upstream URL \(a proxy\) or --root DIR \(a folder\)/],
    [['--upstream', 'http://a', '--root', '.'], /give --upstream or --root, not both/],
    [['--upstream', 'ftp://a'], /--upstream needs an http or https URL/],
    [['--upstream', 'http://a/?x=1'], /without query/],
    [['--root', '.', '--port', '70000'], /--port needs 0–65535/],
    [['--root', '.', '--timeout', 'soon'], /--timeout needs a whole number/],
    [['--root', '.', '--bucket', 'Bad_Bucket'], /--bucket needs a bucket name/],
    [['--root', '.', 'extra'], /serve takes no arguments/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await runCli(['serve', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/\(see oss-source-guard serve --help\)\n$/);
  });

  it('input errors exit 2: a missing folder, a bad secrets file, an address in use', async () => {
    const missing = await runCli(['serve', '--root', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /cannot serve --root .*nope: no such file or directory \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'bad-secrets.json'), '["x"]');
    const secrets = await runCli([
      'serve',
      '--root',
      dir,
      '--secrets',
      join(dir, 'bad-secrets.json'),
    ]);
    expect(secrets.code).toBe(2);
    expect(secrets.stderr).toContain('a secrets file is a JSON object');
    const busy = await runCli(['serve', '--root', dir, '--port', String(origin.port)]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(
      /cannot listen on 127\.0\.0\.1:\d+: address already in use \(EADDRINUSE\)/,
    );
  });
});
