/**
 * `oss-source-guard/verify` needs nothing from Node (SPEC S8): the built entry, bundled for the
 * browser, verifies V1 and V4 requests in a bare `vm` context that has ECMAScript and Web Crypto
 * and nothing else. The core entry carries none of it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { signV1Header, signV4Header } from './support/ali-oss.js';

const root = join(import.meta.dirname, '..');
const dist = (file: string) => join(root, 'dist', file);
const AT = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));

async function browserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [dist('verify.js')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'ossVerify',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // Only the package's own files went in: a `node:` import would have failed the browser build.
  for (const input of Object.keys(result.metafile.inputs)) expect(input).toMatch(/^dist\//);
  return result.outputFiles[0]?.text as string;
}

describe('oss-source-guard/verify in a runtime without Node built-ins', () => {
  it('verifies a V1 and a V4 request inside a bare vm context with only Web Crypto', async () => {
    const context = vm.createContext({ crypto: globalThis.crypto });
    expect(
      vm.runInContext(
        '[typeof TextEncoder, typeof Buffer, typeof URL, typeof process, typeof atob, typeof require, typeof setTimeout]',
        context,
      ),
    ).toEqual(Array(7).fill('undefined'));
    vm.runInContext(await browserBundle(), context);

    const signed = { accessKeyId: 'ak', secret: 'sk', at: AT, method: 'GET' };
    const requests = {
      v1: signV1Header({
        ...signed,
        key: '图片/a b+c.jpg',
        query: { 'x-oss-process': 'style/small' },
      }),
      v4: signV4Header({
        ...signed,
        key: '图片/a b+c.jpg',
        query: { 'x-oss-process': 'style/small' },
      }),
    };
    // Everything, the Date included, is made inside the context from JSON.
    const run = (request: unknown, secret: string) =>
      vm.runInContext(
        `ossVerify.verifySignature(${JSON.stringify(request)}, {
           getSecret: async (id) => (id === 'ak' ? ${JSON.stringify(secret)} : undefined),
           now: new Date(${AT.getTime()}),
         }).then(JSON.stringify)`,
        context,
      ) as Promise<string>;

    expect(JSON.parse(await run(requests.v1, 'sk'))).toEqual({
      valid: true,
      accessKeyId: 'ak',
      scheme: 'oss-v1',
      location: 'header',
    });
    expect(JSON.parse(await run(requests.v4, 'sk'))).toEqual({
      valid: true,
      accessKeyId: 'ak',
      scheme: 'oss-v4',
      location: 'header',
    });
    expect(JSON.parse(await run(requests.v4, 'other'))).toMatchObject({
      valid: false,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('the core entry (ESM with its chunks, and CJS) contains no verification code', () => {
    // An entry and every chunk it imports (the adapters share chunks with the verify entry).
    const collect = (file: string, seen = new Set<string>()): string => {
      if (seen.has(file)) return '';
      seen.add(file);
      const text = readFileSync(dist(file), 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)].map(
        (m) => m[1],
      );
      return text + imports.map((f) => collect(f as string, seen)).join('\n');
    };
    for (const core of [collect('index.js'), readFileSync(dist('index.cjs'), 'utf8')]) {
      expect(core).toContain('detectSignature');
      for (const marker of [
        'SignatureDoesNotMatch',
        'RequestTimeTooSkewed',
        'importKey',
        'verifySignature',
      ])
        expect(core).not.toContain(marker);
    }
    expect(collect('verify.js')).toContain('SignatureDoesNotMatch');
  });

  it('the CommonJS build verifies, and takes a policy made by the CommonJS core', async () => {
    const require = createRequire(import.meta.url);
    const core = require(dist('index.cjs'));
    const verify = require(dist('verify.cjs'));
    const policy = core.definePolicy({ extensions: ['jpg'] });
    const request = signV4Header({
      method: 'GET',
      key: 'a.jpg',
      accessKeyId: 'ak',
      secret: 'sk',
      at: AT,
    });
    const options = { getSecret: () => 'sk', now: AT };
    expect(await verify.verifyAndEvaluate(request, policy, options)).toMatchObject({
      allow: true,
      reason: 'signed',
    });
    expect(
      await verify.verifyAndEvaluate(request, policy, { ...options, getSecret: () => 'x' }),
    ).toMatchObject({ allow: false, reason: 'invalid-signature' });
  });
});
