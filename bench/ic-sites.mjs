// Which call sites of the library read strings through inline caches that went polymorphic or
// megamorphic in a server-like process: runs bench/request.bench.ts in the warm condition (one
// round) under V8's `--log-ic`, bundled from src/ with a source map, and lists every site in src/
// whose last IC state for a string method or `length` is polymorphic (2–4 string shapes seen,
// still inlined) or megamorphic (more, no longer inlined). Not part of `npm run bench`:
//
//   node bench/ic-sites.mjs            # every such site
//   node bench/ic-sites.mjs request    # only sites whose path contains "request"
//
// A megamorphic `s.charCodeAt(i)` or `s.length` in a loop is what makes the warm condition slow
// (see src/match/matcher.ts, "String reads"); polymorphic sites go megamorphic as soon as a fifth
// shape reaches them. The states are those of the inline caches, which unoptimized code uses and
// optimized code starts from: a site whose receiver TurboFan already knows to be a string (after
// `'' + s`, as src/match/matcher.ts reads its key's length) is compiled without the cache and is
// listed all the same.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const filter = process.argv[2] ?? '';
const out = mkdtempSync(join(tmpdir(), 'oss-source-guard-ic-'));
const STRING_NAMES = new Set([
  'charCodeAt',
  'codePointAt',
  'charAt',
  'length',
  'slice',
  'substring',
  'indexOf',
  'lastIndexOf',
  'includes',
  'startsWith',
  'endsWith',
  'toLowerCase',
  'split',
  'replace',
  'replaceAll',
  'trim',
  'isWellFormed',
]);

/** The source map's mappings, decoded: per generated line, [column, source, line] triples. */
function decodeMappings(map) {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let source = 0;
  let line = 0;
  return map.mappings.split(';').map((text) => {
    let generated = 0;
    const segments = [];
    for (const segment of text.split(',')) {
      if (segment === '') continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      generated += values[0];
      if (values.length >= 4) {
        source += values[1];
        line += values[2];
        segments.push([generated, source, line]);
      }
    }
    return segments;
  });
}

try {
  const outfile = join(out, 'request.bench.mjs');
  await build({
    entryPoints: [join(here, 'request.bench.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    external: ['bun:*'],
  });
  const run = spawnSync(
    process.execPath,
    ['--log-ic', `--logfile=${join(out, 'v8.log')}`, outfile],
    {
      cwd: out,
      env: { ...process.env, BENCH_CONDITION: 'warm', BENCH_ROUNDS: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (run.status !== 0) throw new Error(`the request bench failed: ${run.stderr}`);
  const log = readdirSync(out).find((f) => f.endsWith('.log'));
  const map = JSON.parse(readFileSync(`${outfile}.map`, 'utf8'));
  const lines = decodeMappings(map);
  const last = new Map();
  for (const entry of readFileSync(join(out, log), 'utf8').split('\n')) {
    const f = entry.split(',');
    if (!/IC$/.test(f[0] ?? '') || !STRING_NAMES.has(f[8])) continue;
    last.set(`${f[3]}:${f[4]}:${f[8]}`, {
      line: Number(f[3]),
      column: Number(f[4]),
      state: f[6],
      name: f[8],
    });
  }
  const rows = [];
  for (const e of last.values()) {
    if (e.state !== 'P' && e.state !== 'N') continue;
    let at;
    for (const s of lines[e.line - 1] ?? []) if (s[0] <= e.column - 1) at = s;
    if (at === undefined) continue;
    const file = map.sources[at[1]].replace(/^.*?\bsrc\//, 'src/');
    if (!file.startsWith('src/') || !file.includes(filter)) continue;
    const text = readFileSync(join(root, file), 'utf8').split('\n')[at[2]]?.trim() ?? '';
    rows.push([file, at[2] + 1, e.state === 'N' ? 'megamorphic' : 'polymorphic', e.name, text]);
  }
  rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  const seen = new Set();
  for (const [file, line, state, name, text] of rows) {
    const key = `${file}:${line}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    console.log(
      `${`${file}:${line}`.padEnd(32)} ${state.padEnd(12)} ${name.padEnd(13)} ${text.slice(0, 80)}`,
    );
  }
  const mega = rows.filter((r) => r[2] === 'megamorphic').length;
  console.log(`\n${seen.size} sites: ${mega} megamorphic, ${seen.size - mega} polymorphic`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
