// Runs every bench/*.bench.ts (or those whose names contain an argument): esbuild bundles each
// into a temporary directory, then a fresh Node process runs it, so benches do not share a JIT.
// Imports of src/index.js are pointed at the built dist/index.js: benches measure what ships.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = pathToFileURL(join(here, '..', 'dist', 'index.js')).href;
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();

const useDist = {
  name: 'use-dist',
  setup(b) {
    b.onResolve({ filter: /(^|\/)src\/index\.js$/ }, () => ({ path: dist, external: true }));
  },
};

const out = mkdtempSync(join(tmpdir(), 'oss-source-guard-bench-'));
try {
  for (const file of files) {
    const outfile = join(out, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join(here, file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      // mitata imports `bun:jsc` only when it runs under Bun.
      external: ['bun:*'],
      plugins: [useDist],
    });
    // --expose-gc lets mitata collect garbage between benchmarks.
    const { status } = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
    if (status !== 0) {
      process.exitCode = status ?? 1;
      break;
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
