/**
 * The CLI's `audit` on a generated listing of 1,000,000 keys (SPEC issue 5 acceptance: peak memory
 * under 150 MB, throughput reported in docs/benchmarks.md). Runs the built `dist/cli.js` as a child
 * process, as users do, on a plain key list and on `ossutil ls` output, with the example policy and
 * with ten rules plus eight extensions. Run with `npm run bench -- audit` (builds first);
 * `AUDIT_KEYS=N` changes the listing size. The listings go to the OS temporary directory and are
 * deleted afterwards.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { makeCorpus, mulberry32 } from './corpus.js';
import { IMAGE_EXTENSIONS, TEN_RULES as TEN_RULES_INPUT } from './policies.js';

const KEYS = Number(process.env.AUDIT_KEYS ?? 1_000_000);
const LIMIT_MB = 150;
const SEED = 0x5eed;
// bench/run.mjs passes its snapshot of dist/ (immune to a rebuild during the run).
const built = join(process.env.BENCH_DIST ?? join(process.cwd(), 'dist'), 'cli.js');
if (!existsSync(built)) throw new Error('dist/cli.js is missing: run `npm run build` first');

// The child reports its own peak RSS (getrusage ru_maxrss, what `/usr/bin/time -v` prints) on exit.
const PEAK =
  'data:text/javascript,' +
  encodeURIComponent(
    "process.on('exit', () => process.stderr.write('\\npeak-rss-kb=' + process.resourceUsage().maxRSS + '\\n'));",
  );

// The matcher bench's ten rules, case-insensitive, and its eight extensions.
const TEN_RULES = { rules: TEN_RULES_INPUT, caseInsensitive: true, extensions: IMAGE_EXTENSIONS };

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let buffer = '';
  for (const line of lines) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function* ossutil(keys: readonly string[]): Generator<string> {
  const rng = mulberry32(SEED);
  yield 'LastModifiedTime                   Size(B)  StorageClass   ETAG                                  ObjectName';
  for (const key of keys) {
    const size = Math.floor(rng() * 5_000_000);
    const etag = Math.floor(rng() * 2 ** 32)
      .toString(16)
      .toUpperCase()
      .padStart(32, '0');
    yield `2024-05-01 10:00:00 +0800 CST ${String(size).padStart(12)}     Standard   ${etag}      oss://examplebucket/${key}`;
  }
  yield `Object Number is: ${keys.length}`;
  yield '';
  yield '12.345678(s) elapsed';
}

interface Run {
  readonly listing: string;
  readonly policy: string;
  readonly keys: number;
  readonly seconds: number;
  readonly keysPerSecond: number;
  readonly peakMb: number;
}

function audit(listing: string, policyName: string, policy: string, file: string): Run {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', PEAK, cli, 'audit', '--policy', policy, '--json', file],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`audit failed (${child.status}): ${child.stderr}`);
  const report = JSON.parse(child.stdout);
  const peak = /peak-rss-kb=(\d+)/.exec(child.stderr);
  if (!peak) throw new Error(`no peak RSS reported: ${child.stderr}`);
  return {
    listing,
    policy: policyName,
    keys: report.total,
    seconds,
    keysPerSecond: report.timing.keysPerSecond,
    peakMb: Number(peak[1]) / 1024,
  };
}

const dir = mkdtempSync(join(os.tmpdir(), 'oss-source-guard-audit-'));
// dist/cli.js is one self-contained file; a copy is immune to a rebuild during the run.
const cli = join(dir, 'cli.js');
copyFileSync(built, cli);
try {
  // Keys with a line break cannot be listed one per line (nor by ossutil), so none are generated.
  const keys = makeCorpus(SEED, KEYS).filter((k) => !/[\r\n]/.test(k));
  const plain = join(dir, 'keys.txt');
  const listing = join(dir, 'ossutil.txt');
  const tenRules = join(dir, 'ten-rules.json');
  await writeLines(plain, keys);
  await writeLines(listing, ossutil(keys));
  writeFileSync(tenRules, JSON.stringify(TEN_RULES));

  const runs: Run[] = [];
  for (const [name, policy] of [
    ['example policy', join(process.cwd(), 'docs', 'example-policy.json')],
    ['10 rules + 8 extensions', tenRules],
  ] as const) {
    runs.push(audit('one key per line', name, policy, plain));
    runs.push(audit('ossutil ls', name, policy, listing));
  }
  console.log(
    `audit of ${keys.length.toLocaleString('en-US')} keys — node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores\n`,
  );
  console.log('| listing | policy | wall time | keys/s (audit loop) | peak RSS |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of runs)
    console.log(
      `| ${r.listing} | ${r.policy} | ${r.seconds.toFixed(2)} s | ${r.keysPerSecond.toLocaleString('en-US')} | ${r.peakMb.toFixed(1)} MB |`,
    );
  const worst = Math.max(...runs.map((r) => r.peakMb));
  if (worst >= LIMIT_MB) {
    console.error(`peak RSS ${worst.toFixed(1)} MB is over the ${LIMIT_MB} MB limit`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
