/**
 * Release hygiene: `npm pack` from a fresh clone ships `dist/`, and the tarball works when
 * installed: ESM, CommonJS, type declarations under `node16` and `bundler` module resolution, and
 * the `oss-source-guard` bin.
 *
 * What "a fresh clone" means here, honestly: `git clone` of this repository would hold the last
 * commit only, not the working tree under test, so the test copies what a clone of the tree
 * would hold once committed: the files git tracks plus the new files it does not ignore
 * (`git ls-files --cached --others --exclude-standard`). `dist/` is ignored, so the copy has none,
 * and the test checks that, and that packing the copy without its scripts gives a tarball without
 * `dist/` (the bug a release from a clean checkout had). The copy's `node_modules` is a link to
 * this checkout's: the dev dependencies a clone gets from `npm ci`, which CI runs first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

const root = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'oss-source-guard-release-'));
const clone = join(work, 'clone');
const out = join(work, 'out');
const scratch = join(work, 'scratch');
let tarball = '';
let tarFiles: string[] = [];

const run = (command: string, args: string[], cwd: string) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

beforeAll(() => {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8' },
  )
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(root, f)));
  for (const file of listed) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(root, file), join(clone, file));
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'junction');
  mkdirSync(out);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.sequential('npm pack from a fresh clone', () => {
  it('the clone has no dist/, and without its scripts npm would pack none', () => {
    expect(existsSync(join(clone, 'package.json'))).toBe(true);
    expect(existsSync(join(clone, 'src', 'index.ts'))).toBe(true);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const dry = run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], clone);
    expect(dry.status).toBe(0);
    const files: string[] = JSON.parse(dry.stdout)[0].files.map((f: { path: string }) => f.path);
    expect(files.filter((f) => f.startsWith('dist/'))).toEqual([]);
  });

  it('check:pkg refuses a tarball without dist/, and says how to fix it', () => {
    const r = run(process.execPath, ['scripts/check-pkg.mjs'], clone);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /the tarball lacks \d+ file\(s\) package\.json names: .*dist\/index\.js/,
    );
    expect(r.stderr).toMatch(/run "npm run build" first/);
  });

  it('npm pack (no build run first) builds through prepack and ships dist/', {
    timeout: 600_000,
  }, () => {
    const r = run(npm, ['pack', '--pack-destination', out], clone);
    expect(r.status, r.stderr).toBe(0);
    // prepack ran the package checks, quietly: no attw table, no node10 noise.
    expect(r.stdout).toMatch(/every file package\.json names is in it/);
    expect(r.stdout).not.toMatch(/💀|Resolution failed|\(ignored\)/);
    const [name] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(name).toBe(`oss-source-guard-${pkg.version}.tgz`);
    tarball = join(out, name as string);
    tarFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/verify.js',
      'dist/verify.cjs',
      'dist/verify.d.ts',
      'dist/verify.d.cts',
      'dist/cli.js',
      'dist/policy.schema.json',
    ])
      expect(tarFiles, f).toContain(f);
    expect(tarFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });
});

const ESM = `import { definePolicy, evaluate, policyFromOssXml, policyToOssXml } from 'oss-source-guard';
import { verifyAndEvaluate } from 'oss-source-guard/verify';
import schema from 'oss-source-guard/policy.schema.json' with { type: 'json' };
const policy = definePolicy({ rules: [{ prefix: 'image/' }], styles: ['small'] });
const host = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const signed = await verifyAndEvaluate(
  { url: host + '/image/a.jpg?OSSAccessKeyId=ak&Expires=9999999999&Signature=forged' },
  policy,
  { getSecret: () => 'sk', now: new Date() },
);
console.log(JSON.stringify({
  original: evaluate({ url: host + '/image/a.jpg' }, policy).reason,
  style: evaluate({ url: host + '/image/a.jpg?x-oss-process=style/small' }, policy).reason,
  forged: signed.reason,
  imported: policyFromOssXml(policyToOssXml(definePolicy({ extensions: ['jpg'] })).xml).ok,
  schema: schema.type,
}));
`;

const CJS = `const { definePolicy, evaluate } = require('oss-source-guard');
const { verifySignature } = require('oss-source-guard/verify');
const schema = require('oss-source-guard/policy.schema.json');
const policy = definePolicy({ extensions: ['jpg'] });
const headers = { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' };
console.log(JSON.stringify({
  original: evaluate({ url: '/a.jpg', headers }, policy).reason,
  style: evaluate({ url: '/a.jpg?x-oss-process=style/small', headers }, policy).reason,
  verify: typeof verifySignature,
  schema: schema.type,
}));
`;

/** Uses the declarations; `@ts-expect-error` lines fail the check if the types were `any`. */
const TYPES_ESM = `import { type Decision, definePolicy, evaluate, policyFromOssXml } from 'oss-source-guard';
import { type VerifyOptions, verifyAndEvaluate } from 'oss-source-guard/verify';
const policy = definePolicy({ extensions: ['jpg'] });
const decision: Decision = evaluate({ url: '/a.jpg' }, policy);
export const allowed: boolean = decision.allow;
const imported = policyFromOssXml('<BucketProcessConfiguration/>');
export const line: number = imported.ok ? 0 : (imported.issues[0]?.line ?? 0);
export const options: VerifyOptions = { getSecret: () => 'sk', now: new Date() };
export const verify: typeof verifyAndEvaluate = verifyAndEvaluate;
// @ts-expect-error "bogus" is no policy field: the types are real
definePolicy({ bogus: true });
// @ts-expect-error a decision's allow is a boolean
export const wrong: string = decision.allow;
`;

const TYPES_CJS = `import guard = require('oss-source-guard');
import verify = require('oss-source-guard/verify');
export const policy = guard.definePolicy({ extensions: ['png'] });
export const check: typeof verify.verifySignature = verify.verifySignature;
// @ts-expect-error "bogus" is no policy field: the types are real
guard.definePolicy({ bogus: true });
`;

const tsconfig = (module: string, resolution: string, files: string[]) =>
  JSON.stringify({
    compilerOptions: {
      module,
      moduleResolution: resolution,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    },
    files,
  });

describe.sequential('the tarball, installed in a scratch project', () => {
  beforeAll(() => {
    if (tarball === '') throw new Error('npm pack did not run');
    mkdirSync(scratch);
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, type: 'module' }),
    );
    const r = run(npm, ['install', tarball, '--offline', '--no-audit', '--no-fund'], scratch);
    if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
    writeFileSync(join(scratch, 'esm.mjs'), ESM);
    writeFileSync(join(scratch, 'cjs.cjs'), CJS);
    writeFileSync(join(scratch, 'types.ts'), TYPES_ESM);
    writeFileSync(join(scratch, 'types.cts'), TYPES_CJS);
    writeFileSync(
      join(scratch, 'tsconfig.node16.json'),
      tsconfig('node16', 'node16', ['types.ts', 'types.cts']),
    );
    writeFileSync(
      join(scratch, 'tsconfig.bundler.json'),
      tsconfig('esnext', 'bundler', ['types.ts']),
    );
  }, 120_000);

  it('ESM: import, the verify subpath and the JSON schema', () => {
    const r = run(process.execPath, ['esm.mjs'], scratch);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      original: 'original',
      style: 'style',
      forged: 'invalid-signature',
      imported: true,
      schema: 'object',
    });
  });

  it('CommonJS: require, the verify subpath and the JSON schema', () => {
    const r = run(process.execPath, ['cjs.cjs'], scratch);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      original: 'original',
      style: 'style',
      verify: 'function',
      schema: 'object',
    });
  });

  it('types: tsc with moduleResolution node16 (ESM and CJS files)', { timeout: 300_000 }, () => {
    const r = run(process.execPath, [tsc, '-p', 'tsconfig.node16.json'], scratch);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('types: tsc with moduleResolution bundler', { timeout: 300_000 }, () => {
    const r = run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], scratch);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('the bin: node_modules/.bin/oss-source-guard runs, with its shebang', () => {
    const bin = join(scratch, 'node_modules', '.bin', 'oss-source-guard');
    const version = run(bin, ['--version'], scratch);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const check = run(
      bin,
      ['check', 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/photo.jpg'],
      scratch,
    );
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^DENY +403 AccessDenied/);
  });
});
