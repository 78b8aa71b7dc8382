/**
 * The Fetch guard in the runtimes it claims: bundled with esbuild (from src/, so a concurrent
 * rebuild of dist/ changes nothing here) and run inside workerd (miniflare's binary), Deno and
 * Bun (the npm packages' binaries), offline, each started by this test with a time limit.
 *
 * Two things run in each: the example of that runtime, serving over loopback in front of a local
 * origin; and a probe that runs the guard with `verify` (Web Crypto in that runtime) on URLs
 * signed by ali-oss, whose answers must equal Node's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUCKET,
  bundleExample,
  CREDENTIALS,
  echoOrigin,
  forge,
  ossClient,
  POLICY,
  ROOT,
  rawRequest,
  startChild,
  tempDir,
} from './support.js';

const first = (...paths: string[]) => {
  const found = paths.map((p) => join(ROOT, 'node_modules', p)).find((p) => existsSync(p));
  if (found === undefined) throw new Error(`none of ${paths.join(', ')} is installed: run npm ci`);
  return found;
};
const DENO = first('deno/deno', '@deno/linux-x64-glibc/deno', '.bin/deno');
const BUN = first('bun/bin/bun.exe', '@oven/bun-linux-x64/bin/bun', '.bin/bun');

const work = tempDir('runtimes');
const DENO_ENV = {
  DENO_DIR: join(work, 'deno-dir'),
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
};
const BUN_ENV = { BUN_INSTALL_CACHE_DIR: join(work, 'bun-cache'), DO_NOT_TRACK: '1' };

// ---------------------------------------------------------------------------------------------
// The probe: the guard with verify, on a list of URLs; the same code in every runtime.

const PROBE = `
import { createFetchGuard } from 'oss-source-guard/fetch';

export async function probe(cases, secret) {
  const seen = [];
  const guard = createFetchGuard(${JSON.stringify(POLICY)}, {
    bucket: ${JSON.stringify(BUCKET)},
    verify: { getSecret: (id) => (id === ${JSON.stringify(CREDENTIALS.accessKeyId)} ? secret : undefined) },
    requestId: () => 'PROBE',
    onDecision: (d) => seen.push(d),
  });
  const out = [];
  for (const c of cases) {
    const r = await guard(new Request(c.url, { method: c.method }));
    const d = seen.at(-1);
    out.push({
      allow: r === undefined,
      reason: d.reason,
      verified: d.signature === undefined ? null : d.signature.verified,
      status: r === undefined ? null : r.status,
      ec: r === undefined ? null : r.headers.get('x-oss-ec'),
      body: r === undefined ? null : await r.text(),
    });
  }
  return out;
}
`;

const MAINS = {
  node: `export { probe } from './probe.js';`,
  worker: `import { probe } from './probe.js';
export default {
  async fetch(request, env) {
    const cases = await request.json();
    return Response.json(await probe(cases, env.SECRET));
  },
};`,
  deno: `import { probe } from './probe.js';
console.log(JSON.stringify(await probe(JSON.parse(Deno.env.get('CASES')), Deno.env.get('SECRET'))));`,
  bun: `import { probe } from './probe.js';
console.log(JSON.stringify(await probe(JSON.parse(process.env.CASES), process.env.SECRET)));`,
} as const;

/** The probe bundled for one runtime: a single self-contained ES module. */
async function bundleProbe(main: keyof typeof MAINS): Promise<string> {
  const dir = join(work, `probe-${main}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'probe.js'), PROBE);
  writeFileSync(join(dir, 'main.js'), MAINS[main]);
  const outfile = join(dir, 'bundle.mjs');
  await build({
    entryPoints: [join(dir, 'main.js')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    alias: { 'oss-source-guard/fetch': join(ROOT, 'src/adapters/fetch.ts') },
    logLevel: 'error',
  });
  return outfile;
}

interface Case {
  readonly url: string;
  readonly method: string;
}
type Result = {
  allow: boolean;
  reason: string;
  verified: boolean | null;
  status: number | null;
  ec: string | null;
  body: string | null;
};

let cases: Case[] = [];
let expected: Result[] = [];

/** Run a probe bundle with a runtime binary; its one line of stdout is the JSON result. */
function runProbe(command: string, args: string[], env: Record<string, string>): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env, CASES: JSON.stringify(cases), SECRET: CREDENTIALS.secret },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} exited ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) as string));
    });
  });
}

beforeAll(async () => {
  const client = ossClient(8080);
  const v1 = client.signatureUrl('image/a.jpg', { expires: 600 });
  const v4 = await client.signatureUrlV4('GET', 600, undefined, 'image/a.jpg');
  const v1Style = client.signatureUrl('image/a.jpg', { expires: 600, process: 'image/resize,w_9' });
  const base = 'http://localhost:8080';
  cases = [
    { url: v1, method: 'GET' },
    { url: v4, method: 'GET' },
    { url: v1Style, method: 'GET' },
    { url: forge(v1, 'Signature'), method: 'GET' },
    { url: forge(v4, 'x-oss-signature'), method: 'GET' },
    { url: `${base}/image/a.jpg`, method: 'GET' },
    { url: `${base}/image/a.jpg`, method: 'HEAD' },
    { url: `${base}/image/a.jpg?x-oss-process=image/resize,w_9`, method: 'GET' },
    { url: `${base}/image/a.jpg?x-oss-process=style/small`, method: 'GET' },
    { url: `${base}/secret/../image/a.gif`, method: 'GET' },
  ];
  // Node's answers are the reference.
  const { probe } = (await import(await bundleProbe('node'))) as {
    probe(c: Case[], secret: string): Promise<Result[]>;
  };
  expected = await probe(cases, CREDENTIALS.secret);
  expect(expected.map((r) => [r.allow, r.reason, r.verified])).toEqual([
    [true, 'signed', true],
    [true, 'signed', true],
    [true, 'signed', true],
    [false, 'invalid-signature', false],
    [false, 'invalid-signature', false],
    [false, 'original', false],
    [false, 'original', false],
    [false, 'inline-processing', false],
    [true, 'style', false],
    [false, 'original', false],
  ]);
  expect(expected[3]?.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  expect(expected[6]?.body).toBe('');
}, 60_000);

/** Requests to an example serving on `port` in front of the echo origin. */
async function checkExample(port: number) {
  const style = await rawRequest(port, '/image/a.jpg?x-oss-process=style/small');
  expect(style.status).toBe(200);
  expect(style.body).toBe('origin GET /image/a.jpg?x-oss-process=style/small');
  const delimiter = await rawRequest(port, '/image/a.jpg!thumb');
  expect(delimiter.body).toBe('origin GET /image/a.jpg!thumb');
  for (const [target, ec] of [
    ['/image/a.jpg', undefined],
    ['/secret/../image/a.gif', undefined],
    ['/image/a.jpg?x-oss-process=image/resize,w_9', '0040-00000031'],
  ] as const) {
    const r = await rawRequest(port, target);
    expect(r.status, target).toBe(403);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.headers['x-oss-ec']).toBe(ec);
    expect(r.body).toContain('<Code>AccessDenied</Code>');
  }
  const head = await rawRequest(port, '/image/a.jpg', { method: 'HEAD' });
  expect([head.status, head.body]).toEqual([403, '']);
  expect(head.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
}

describe('workerd (miniflare)', () => {
  it('runs the Worker example: styles reach the origin, the rest gets OSS’s 403', async () => {
    const script = await bundleExample('worker.js', 'neutral');
    const seen: string[] = [];
    const mf = new Miniflare({
      modules: true,
      script: readFileSync(script, 'utf8'),
      cf: false,
      compatibilityDate: '2026-07-30',
      bindings: { ORIGIN: 'http://origin.example' },
      outboundService: (request: { method: string; url: string }) => {
        seen.push(`${request.method} ${request.url}`);
        return new Response(`origin ${new URL(request.url).pathname}`);
      },
    });
    try {
      const style = await mf.dispatchFetch(
        'http://localhost/image/a.jpg?x-oss-process=style/small',
      );
      expect([style.status, await style.text()]).toEqual([200, 'origin /image/a.jpg']);
      expect(seen).toEqual(['GET http://origin.example/image/a.jpg?x-oss-process=style/small']);
      const direct = await mf.dispatchFetch('http://localhost/image/a.jpg');
      expect(direct.status).toBe(403);
      expect(direct.headers.get('content-type')).toBe('application/xml');
      expect(await direct.text()).toContain(
        '<Message>Forbidden access to the original image.</Message>',
      );
      const inline = await mf.dispatchFetch(
        'http://localhost/image/a.jpg?x-oss-process=image/crop',
      );
      expect(inline.headers.get('x-oss-ec')).toBe('0040-00000031');
      await inline.arrayBuffer();
      const head = await mf.dispatchFetch('http://localhost/image/a.jpg', { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([403, '']);
      expect(seen).toHaveLength(1);
    } finally {
      await mf.dispose();
    }
  });

  it('verifies signatures with Web Crypto inside workerd, as Node does', async () => {
    const mf = new Miniflare({
      modules: true,
      script: readFileSync(await bundleProbe('worker'), 'utf8'),
      cf: false,
      compatibilityDate: '2026-07-30',
      bindings: { SECRET: CREDENTIALS.secret },
    });
    try {
      const r = await mf.dispatchFetch('http://localhost/', {
        method: 'POST',
        body: JSON.stringify(cases),
      });
      expect(await r.json()).toEqual(expected);
    } finally {
      await mf.dispose();
    }
  });
});

describe('Deno and Bun', () => {
  let origin: Awaited<ReturnType<typeof echoOrigin>>;
  beforeAll(async () => {
    origin = await echoOrigin();
  });
  afterAll(() => origin.close());

  it('Deno runs its example in front of a local origin', async () => {
    const child = await startChild(
      DENO,
      [
        'run',
        '--allow-net',
        '--allow-env',
        '--no-remote',
        await bundleExample('deno.js', 'neutral'),
      ],
      { env: { ...DENO_ENV, PORT: '0', ORIGIN: origin.url }, lifetimeMs: 60_000 },
    );
    try {
      await checkExample(child.port);
    } finally {
      await child.stop();
    }
  });

  it('Deno verifies signatures as Node does', async () => {
    const script = await bundleProbe('deno');
    expect(await runProbe(DENO, ['run', '--allow-env', '--no-remote', script], DENO_ENV)).toEqual(
      expected,
    );
  });

  it('Bun runs its example in front of a local origin', async () => {
    const child = await startChild(BUN, [await bundleExample('bun.js', 'neutral')], {
      env: { ...BUN_ENV, PORT: '0', ORIGIN: origin.url },
      lifetimeMs: 60_000,
    });
    try {
      await checkExample(child.port);
    } finally {
      await child.stop();
    }
  });

  it('Bun verifies signatures as Node does', async () => {
    expect(await runProbe(BUN, [await bundleProbe('bun')], BUN_ENV)).toEqual(expected);
  });
});
