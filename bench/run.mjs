// Runs every bench/*.bench.ts (or those whose names contain an argument): esbuild bundles each
// into a temporary directory, then a fresh Node process runs it, so benches do not share a JIT.
// Imports of src/index.js are pointed at a snapshot of the built dist/ (copied once at the start,
// so a rebuild during the run cannot change what is measured): benches measure what ships.
//
// A bench whose first line is `// bench-conditions: cold warm` runs once per condition, each in
// its own process with BENCH_CONDITION set; the lines it prints as `BENCH-RESULT {json}` are
// collected, and the cold and warm figures of the same bench are compared at the end.
//
// BENCH_FROM_SRC=1 bundles src/index.ts itself instead of dist/ (a quicker loop while developing;
// the documented figures always come from dist/). BENCH_LIBRARY=<dir> takes the build from <dir>
// instead of dist/ (a private build, when dist/ is shared with other work in progress).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const fromSrc = process.env.BENCH_FROM_SRC === '1';
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();

const out = mkdtempSync(join(tmpdir(), 'oss-source-guard-bench-'));
const dist = join(out, 'dist');
const library = process.env.BENCH_LIBRARY || join(here, '..', 'dist');
if (!fromSrc) {
  if (!existsSync(join(library, 'index.js')))
    throw new Error(
      `${library}/index.js is missing: run \`npm run build\` first (npm run bench does)`,
    );
  cpSync(library, dist, { recursive: true });
}

const useDist = {
  name: 'use-dist',
  setup(b) {
    b.onResolve({ filter: /(^|\/)src\/index\.js$/ }, () => ({
      path: join(dist, 'index.js'),
      external: true,
    }));
  },
};

function conditionsOf(file) {
  const first = readFileSync(join(here, file), 'utf8').split('\n', 1)[0] ?? '';
  const m = /^\/\/ bench-conditions: (.+)$/.exec(first);
  return m ? m[1].trim().split(/\s+/) : [undefined];
}

/** Run one bundle; stream its output and collect its BENCH-RESULT lines. */
function run(outfile, condition) {
  return new Promise((resolve) => {
    const env = { ...process.env, BENCH_DIST: fromSrc ? join(here, '..', 'dist') : dist };
    if (condition !== undefined) env.BENCH_CONDITION = condition;
    // --expose-gc lets mitata collect garbage between benchmarks.
    const child = spawn(process.execPath, ['--expose-gc', outfile], {
      env,
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    const results = [];
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('BENCH-RESULT ')) results.push(JSON.parse(line.slice(13)));
        else process.stdout.write(`${line}\n`);
        nl = buffer.indexOf('\n');
      }
    });
    child.on('close', (status) => resolve({ status, results }));
  });
}

const collected = [];
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
      plugins: fromSrc ? [] : [useDist],
    });
    for (const condition of conditionsOf(file)) {
      if (condition !== undefined)
        console.log(`\n=== ${file}, ${condition} condition (own process)\n`);
      const { status, results } = await run(outfile, condition);
      collected.push(...results);
      if (status !== 0) {
        process.exitCode = status ?? 1;
        break;
      }
    }
    if (process.exitCode) break;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

// --- Cold against warm ----------------------------------------------------------------------------

const benches = [...new Set(collected.map((r) => r.bench))];
for (const bench of benches) {
  const cold = collected.find((r) => r.bench === bench && r.condition === 'cold');
  const warm = collected.find((r) => r.bench === bench && r.condition === 'warm');
  if (cold === undefined || warm === undefined) continue;
  const machine = warm.probe / cold.probe;
  console.log(`\n=== ${bench}: warm against cold (two processes)\n`);
  console.log(
    `machine probe warm / cold = ${machine.toFixed(2)}× (1.00 = the machine ran as fast in both; ` +
      'the last column divides by it)',
  );
  console.log(
    `${'figure'.padEnd(36)}${'cold ns'.padStart(10)}${'warm ns'.padStart(10)}${'warm/cold'.padStart(11)}${'adjusted'.padStart(10)}`,
  );
  for (const [name, c] of Object.entries(cold.figures)) {
    const w = warm.figures[name];
    if (w === undefined) continue;
    console.log(
      `${name.padEnd(36)}${c.toFixed(1).padStart(10)}${w.toFixed(1).padStart(10)}` +
        `${`${(w / c).toFixed(2)}×`.padStart(11)}${`${(w / c / machine).toFixed(2)}×`.padStart(10)}`,
    );
  }
}
