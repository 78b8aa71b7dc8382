// Two builds of the library side by side in ONE process: the matcher and request scenarios that
// exist in both (isProtected ×6, parseRequestUrl, evaluate; bench/compare.ts), timed in
// interleaved rounds, with the per-round ratio head ÷ base and its median. It runs twice, once
// with each build first (first in the bundle, inputs built first: with identical builds on both
// sides, one fixed order showed the second build 1–18% slower on isProtected while this was
// written), and prints both medians and their geometric mean, the figure to report. Across two processes
// (two `npm run bench` runs) this machine's load moves figures by ±10% or more; within one
// process, in one round, both builds see the same load.
//
//   node bench/compare.mjs                         # 413befc (last flat layout) vs the working tree
//   node bench/compare.mjs --base 413befc --head 835c802
//   node bench/compare.mjs --mixed                 # strings a third flat, sliced, concatenated
//   node bench/compare.mjs --only evaluate         # scenarios whose name contains the text
//   BENCH_ROUNDS=21 node bench/compare.mjs
//
// A revision's src/ is read with `git archive` (read-only: no checkout, the index and the work
// tree are untouched) into a temporary directory; `worktree` (the default head) is src/ as it is
// on disk. esbuild bundles both copies and this file's scenarios into one script; each copy is
// its own set of modules, so neither shares a function (or an inline cache) with the other.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}
const baseRev = option('--base', '413befc');
const headRev = option('--head', 'worktree');
const mixed = process.argv.includes('--mixed');
const only = option('--only', '');
const rounds = Number(process.env.BENCH_ROUNDS) || 15;

const out = mkdtempSync(join(tmpdir(), 'oss-source-guard-compare-'));

/**
 * A directory of its own holding `src/` of a revision (or a copy of the working tree's), so that
 * even the same revision on both sides is two sets of modules.
 */
function sourceOf(rev, side) {
  const dir = join(out, `${side}-${rev.replace(/[^A-Za-z0-9._-]/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  if (rev === 'worktree') {
    cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
    return dir;
  }
  const archive = spawnSync('git', ['-C', root, 'archive', '--format=tar', rev, 'src'], {
    maxBuffer: 1 << 28,
  });
  if (archive.status !== 0) throw new Error(`git archive ${rev}: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
  return dir;
}

/** A short label: the revision, or `worktree` with the commit it starts from. */
function label(rev) {
  if (rev !== 'worktree') return rev;
  const head = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return `${head.stdout.trim()}+tree`;
}

/** Run the bundle once; stream its output, and return its BENCH-COMPARE result. */
function runOnce(outfile) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', outfile], {
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (status) => {
      const line = text.split('\n').find((l) => l.startsWith('BENCH-COMPARE '));
      resolve({ status, compare: line === undefined ? undefined : JSON.parse(line.slice(14)) });
    });
  });
}

try {
  const baseDir = sourceOf(baseRev, 'base');
  const headDir = sourceOf(headRev, 'head');
  // Both orders, each its own bundle and process: which build's modules come first in the
  // bundle, and whose inputs are built first, is the only difference. The figure is the geometric
  // mean of the two medians.
  const runs = [];
  for (const headFirst of [false, true]) {
    const imports = [
      `import * as base from ${JSON.stringify(join(baseDir, 'src', 'index.ts'))};`,
      `import * as head from ${JSON.stringify(join(headDir, 'src', 'index.ts'))};`,
    ];
    const entry = join(out, `entry-${headFirst ? 'head' : 'base'}-first.ts`);
    writeFileSync(
      entry,
      [
        ...(headFirst ? imports.reverse() : imports),
        `import { compare } from ${JSON.stringify(join(here, 'compare.ts'))};`,
        `compare(base, head, ${JSON.stringify({ base: label(baseRev), head: label(headRev) })}, ` +
          `${JSON.stringify({ rounds, mixed, only, headFirst })});`,
      ].join('\n'),
    );
    const outfile = entry.replace(/\.ts$/, '.mjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
    const result = await runOnce(outfile);
    if (result.status !== 0) {
      process.exitCode = result.status ?? 1;
      break;
    }
    runs.push(result.compare);
  }
  if (runs.length === 2) {
    const [first, second] = runs;
    console.log(
      `\n=== ${first.head} ÷ ${first.base}, both orders (geometric mean of the two medians)\n`,
    );
    for (const [name, x] of Object.entries(first.ratios)) {
      const y = second.ratios[name];
      console.log(
        `${name.padEnd(36)}${`${x.toFixed(2)}×`.padStart(9)}${`${y.toFixed(2)}×`.padStart(9)}` +
          `${`${Math.sqrt(x * y).toFixed(2)}×`.padStart(9)}`,
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
