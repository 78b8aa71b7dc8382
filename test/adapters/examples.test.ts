/**
 * The examples under examples/ are the snippets of docs/adapters.md: each doc section holds its
 * file byte for byte, and each Node example runs here as its own process (Express, Hono on Node,
 * plain node:http), bundled from src/. The Worker, Deno and Bun examples run in runtimes.test.ts;
 * the doc's `serve` commands run at the end of this file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleCli,
  bundleExample,
  type Child,
  CREDENTIALS,
  exampleText,
  forge,
  ossClient,
  POLICY,
  ROOT,
  rawRequest,
  startChild,
  targetOf,
  tempDir,
} from './support.js';

const DOC = readFileSync(join(ROOT, 'docs', 'adapters.md'), 'utf8');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((f) => /\.m?js$/.test(f));

/** The fenced blocks of the doc that follow a `<!-- examples/NAME -->` marker. */
function docSnippets(): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- (examples\/[\w.-]+) -->\n```\w*\n([\s\S]*?)```\n/g;
  for (const m of DOC.matchAll(re)) out.set(m[1] as string, m[2] as string);
  return out;
}

describe('docs/adapters.md and examples/', () => {
  it('shows every example byte for byte, and nothing that is not one', () => {
    const snippets = docSnippets();
    expect([...snippets.keys()].sort()).toEqual(EXAMPLES.map((f) => `examples/${f}`).sort());
    for (const file of EXAMPLES)
      expect(snippets.get(`examples/${file}`), file).toBe(exampleText(file));
  });

  it('every example uses the policy these tests check', () => {
    const policy = [
      "rules: [{ prefix: 'image/' }],",
      "extensions: ['jpg', 'jpeg', 'png'],",
      "delimiters: ['!'],",
      "styles: ['small', 'thumb'],",
    ];
    expect(POLICY.extensions).toEqual(['jpg', 'jpeg', 'png']);
    for (const file of EXAMPLES)
      for (const line of policy) expect(exampleText(file), file).toContain(line);
  });
});

const files = tempDir('examples');
const small = Buffer.from('the bytes of a.jpg');
const env = {
  PORT: '0',
  ROOT: files,
  OSS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  OSS_ACCESS_KEY_SECRET: CREDENTIALS.secret,
};

beforeAll(() => {
  mkdirSync(join(files, 'image'), { recursive: true });
  writeFileSync(join(files, 'image', 'a.jpg'), small);
  writeFileSync(join(files, 'readme.txt'), 'read me\n');
});

/** What every Node example must answer. */
async function expectProtection(port: number, origin: (target: string, body: string) => void) {
  const style = '/image/a.jpg?x-oss-process=style/small';
  const ok = await rawRequest(port, style);
  expect(ok.status).toBe(200);
  origin(style, ok.body);
  for (const [target, ec] of [
    ['/image/a.jpg', undefined],
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
}

const NODE_EXAMPLES = [
  {
    name: 'node-http.mjs',
    origin: (t: string, body: string) => expect(body).toBe(`the object behind ${t}\n`),
    verifies: true,
    logs: false,
  },
  {
    name: 'express.mjs',
    origin: (_t: string, body: string) => expect(body).toBe(small.toString()),
    verifies: true,
    logs: true,
  },
  {
    name: 'hono-node.mjs',
    origin: (_t: string, body: string) => expect(body).toBe(small.toString()),
    verifies: false,
    logs: false,
  },
];

describe.each(NODE_EXAMPLES)('examples/$name, run with node', (example) => {
  let child: Child;
  beforeAll(async () => {
    child = await startChild(process.execPath, [await bundleExample(example.name, 'node')], {
      env,
      lifetimeMs: 60_000,
    });
  });
  afterAll(() => child.stop());

  it('lets styles through and answers OSS’s 403 otherwise', async () => {
    await expectProtection(child.port, example.origin);
  });

  if (example.verifies)
    it('verifies ali-oss signatures', async () => {
      const url = targetOf(ossClient(child.port).signatureUrl('image/a.jpg', { expires: 300 }));
      const ok = await rawRequest(child.port, url);
      expect(ok.status).toBe(200);
      const forged = await rawRequest(child.port, forge(url, 'Signature'));
      expect(forged.status).toBe(403);
      expect(forged.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

  if (example.logs)
    it('logs denials through onDecision', async () => {
      await rawRequest(child.port, '/image/a.jpg?logged');
      await new Promise((r) => setTimeout(r, 100));
      expect(child.stdout()).toContain('denied /image/a.jpg?logged: original');
    });
});

describe('the serve section of docs/adapters.md', () => {
  it('runs its commands as written (with --port 0), from a folder that has ./photos', async () => {
    const block = /<!-- run: serve -->\n```sh\n([\s\S]*?)```/.exec(DOC)?.[1];
    expect(block, 'a `<!-- run: serve -->` block').toBeDefined();
    const commands = (block as string)
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l.startsWith('npx oss-source-guard serve'));
    expect(commands.length).toBeGreaterThan(0);
    const cwd = tempDir('doc-serve');
    mkdirSync(join(cwd, 'photos', 'image'), { recursive: true });
    writeFileSync(join(cwd, 'photos', 'image', 'cat.jpg'), small);
    const cli = await bundleCli();
    for (const command of commands) {
      const args = command.replace(/^npx oss-source-guard /, '').split(/\s+/);
      const child = await startChild(process.execPath, [cli, ...args, '--port', '0'], {
        cwd,
        lifetimeMs: 30_000,
      });
      try {
        const style = await rawRequest(child.port, '/image/cat.jpg?x-oss-process=style/small');
        expect([style.status, style.body]).toEqual([200, small.toString()]);
        expect((await rawRequest(child.port, '/image/cat.jpg')).status).toBe(403);
      } finally {
        expect(await child.stop()).toBe(0);
      }
    }
  });
});
