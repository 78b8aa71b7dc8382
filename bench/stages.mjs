// Where evaluate's time goes, stage by stage (bench/stages.ts): bundled from src/ with esbuild
// (the stages are internal functions, which dist/ does not export) and run in a fresh process.
// Not part of `npm run bench`.
//
//   node bench/stages.mjs
//   BENCH_ROUNDS=15 node bench/stages.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'oss-source-guard-stages-'));
try {
  const outfile = join(out, 'stages.mjs');
  await build({
    entryPoints: [join(here, 'stages.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
