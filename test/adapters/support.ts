/**
 * What the adapter, runtime and `serve` tests share: the examples' policy, raw requests over
 * loopback, child processes that stop by themselves, examples bundled from the sources (so a
 * concurrent rebuild of `dist/` cannot change what runs), and ali-oss signing against a local
 * server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OSS from 'ali-oss';
import { build } from 'esbuild';
import { afterAll } from 'vitest';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'node_modules', '.bin');

/** The policy every example uses (a test checks the examples still say so). */
export const POLICY = {
  rules: [{ prefix: 'image/' }],
  extensions: ['jpg', 'jpeg', 'png'],
  delimiters: ['!'],
  styles: ['small', 'thumb'],
} as const;

export const BUCKET = 'examplebucket';
export const CREDENTIALS = { accessKeyId: 'LTAI5tAdapterTestKey', secret: 'adapter+Secret/=9' };
export const getSecret = (id: string) =>
  id === CREDENTIALS.accessKeyId ? CREDENTIALS.secret : undefined;

/**
 * Targets and what OSS-style protection answers for them under {@link POLICY} (SPEC R2 for the
 * dot-segment and `;` rows). `status` 0 means "reaches the origin".
 */
export const TARGETS: readonly {
  readonly target: string;
  readonly status: number;
  readonly ec?: string;
  readonly why: string;
}[] = [
  { target: '/image/a.jpg?x-oss-process=style/small', status: 0, why: 'query style' },
  { target: '/image/a.jpg!small', status: 0, why: 'delimiter style' },
  { target: '/public/readme.txt', status: 0, why: 'not protected' },
  { target: '/image/a.jpg', status: 403, why: 'direct read' },
  { target: '/photo.PNG', status: 403, why: 'direct read, extension' },
  {
    target: '/image/a.jpg?x-oss-process=image/resize,w_100',
    status: 403,
    ec: '0040-00000031',
    why: 'inline processing',
  },
  { target: '/secret/../image/a.gif', status: 403, why: 'dot segments (R2 reading W)' },
  { target: '/x/%2e%2e/image/a.gif', status: 403, why: 'escaped dot segments (R2 reading N)' },
  { target: '/image;v=1/a.gif', status: 403, why: '";" path parameter (R2 reading P)' },
  { target: '/a.jpg;v=1', status: 403, why: '";" after the extension (R2 reading P)' },
];

/** A response as received: status, headers, body. */
export interface Received {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Send `target` exactly as given (no normalisation: `..`, `;`, escapes reach the server as
 * written) and read the whole answer.
 */
export function rawRequest(
  port: number,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: target,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer for ${target}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A local server answering `origin <method> <target>` for anything; stop with `close()`. */
export async function echoOrigin(): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-origin': 'yes' });
    res.end(`origin ${req.method} ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A started child process, its output so far, and a way to stop it. */
export interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code (null when killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the child has exited. */
  readonly exited: Promise<number | null>;
}

/**
 * Spawn a server and wait (at most `timeoutMs`) for a line naming `http://127.0.0.1:PORT` on its
 * stdout or stderr. Every child is killed after `lifetimeMs` whatever happens, so no test leaves
 * one behind.
 */
export function startChild(
  command: string,
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    timeoutMs?: number;
    lifetimeMs?: number;
  } = {},
): Promise<Child> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  const kill = setTimeout(() => child.kill('SIGKILL'), options.lifetimeMs ?? 120_000);
  kill.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exited;
    clearTimeout(force);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not start:\n${out}\n${err}`));
    }, options.timeoutMs ?? 30_000);
    const look = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out + err);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      child.stderr?.off('data', look);
      resolve({
        process: child,
        port: Number(m[1]),
        stdout: () => out,
        stderr: () => err,
        stop,
        exited,
      });
    };
    child.stdout?.on('data', (d: string) => {
      out += d;
    });
    child.stderr?.on('data', (d: string) => {
      err += d;
    });
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before listening:\n${out}\n${err}`));
    });
  });
}

// Every folder a test file makes (the serve test's holds 50 MB) is removed after its tests.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fresh = (dir: string) => {
  made.push(dir);
  return dir;
};

/** A fresh directory under the system's temporary folder, removed when the tests end. */
export const tempDir = (prefix: string) =>
  fresh(mkdtempSync(join(tmpdir(), `oss-source-guard-${prefix}-`)));

// Bundles whose bare imports (express, hono) must resolve live under node_modules/.cache.
const CACHE = join(ROOT, 'node_modules', '.cache', 'oss-source-guard-tests');

/** The example `name` (a file of examples/) as it reads, byte for byte. */
export const exampleText = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');

/**
 * Bundle `examples/<name>` with esbuild, its `oss-source-guard/*` imports taken from `src/`.
 * `neutral`: one self-contained ES module (Workers, Deno, Bun); `node`: other packages stay
 * imports, resolved from the project's node_modules.
 */
export async function bundleExample(name: string, platform: 'neutral' | 'node'): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const outfile = join(fresh(mkdtempSync(join(CACHE, 'bundle-'))), name.replace(/\.\w+$/, '.mjs'));
  await build({
    entryPoints: [join(ROOT, 'examples', name)],
    outfile,
    bundle: true,
    format: 'esm',
    platform,
    target: 'es2022',
    ...(platform === 'node' ? { packages: 'external' as const } : {}),
    alias: {
      'oss-source-guard/fetch': join(ROOT, 'src/adapters/fetch.ts'),
      'oss-source-guard/hono': join(ROOT, 'src/adapters/hono.ts'),
      'oss-source-guard/node': join(ROOT, 'src/adapters/node.ts'),
    },
    logLevel: 'error',
  });
  return outfile;
}

/** An ali-oss client for the local server on `port` (a custom domain: `cname`). */
export function ossClient(port: number, options: { secret?: string; v4?: boolean } = {}): OSS {
  return new OSS({
    region: 'oss-cn-hangzhou',
    bucket: BUCKET,
    accessKeyId: CREDENTIALS.accessKeyId,
    accessKeySecret: options.secret ?? CREDENTIALS.secret,
    endpoint: `http://localhost:${port}`,
    cname: true,
    authorizationV4: options.v4 ?? false,
    // ali-oss shares one keep-alive agent between clients; each test client gets its own.
    agent: new http.Agent({ keepAlive: false }),
    timeout: 15_000,
  } as OSS.Options);
}

/** The request target of a signed URL (what reaches the server). */
export const targetOf = (url: string): string => {
  const m = /^https?:\/\/[^/]+(\/.*)$/.exec(url);
  if (m === null) throw new Error(`not a URL: ${url}`);
  return m[1] as string;
};

/** Change the first character of a query parameter's value: a forged signature, same form. */
export function forge(target: string, name: string): string {
  const re = new RegExp(`([?&]${name}=)([^&]*)`);
  return target.replace(re, (_all, head: string, value: string) => {
    const first = value[0] === 'a' ? 'b' : 'a';
    return `${head}${first}${value.slice(1)}`;
  });
}

/**
 * The CLI bundled from src/ with esbuild, as tsup builds dist/cli.js (one ESM file, node
 * built-ins only), into a private folder.
 */
export async function bundleCli(): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const outfile = join(fresh(mkdtempSync(join(CACHE, 'cli-'))), 'cli.mjs');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [join(ROOT, 'src/cli/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { __VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'error',
  });
  return outfile;
}

/** The resident set size of a process, in bytes (Linux: /proc/PID/status). */
export function rss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
