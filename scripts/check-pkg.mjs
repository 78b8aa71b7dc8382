#!/usr/bin/env node
/**
 * `npm run check:pkg`: the package as it would be published, checked quietly.
 *
 * 1. Packs the package with `--ignore-scripts` (this script runs from `prepack`, so packing must
 *    not run `prepack` again) and checks that the tarball holds every file that package.json
 *    names (`exports`, `main`, `module`, `types`, `bin`): a tarball without `dist/` fails here.
 * 2. Checks that the tarball holds what the CLI's help and errors point users at: every
 *    `docs/*.md` guide and `docs/example-policy.json` (every `docs/…` path named in `src/cli/`),
 *    and nothing of the generated API pages under `docs/api/`.
 * 3. Runs `attw` (Are the Types Wrong) on that tarball with the node16 profile and prints one line
 *    per resolution mode. The node10 profile is not a supported one (moduleResolution "node10"
 *    cannot see subpath exports such as oss-source-guard/verify), so its results are not printed.
 *
 * Exits non-zero, with every problem listed, when anything is wrong.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const fail = (lines) => {
  console.error(['check:pkg failed:', ...lines.map((l) => `  ${l}`)].join('\n'));
  process.exit(1);
};

/** Every file path package.json points at, without "./". */
function named(value, out = new Set()) {
  if (typeof value === 'string') out.add(value.replace(/^\.\//, ''));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) named(v, out);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-pack-'));
try {
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const files = new Set(packed.files.map((f) => f.path));
  const wanted = named([pkg.exports, pkg.main, pkg.module, pkg.types, pkg.bin]);
  const missing = [...wanted].filter((f) => !files.has(f));
  if (missing.length > 0)
    fail([
      `the tarball lacks ${missing.length} file(s) package.json names: ${missing.join(', ')}`,
      'run "npm run build" first (npm pack and npm publish do it through prepack)',
    ]);

  // The guides, and every docs/ path the CLI names (help text, errors, notes on stderr).
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  const cliDir = join(root, 'src', 'cli');
  const cliFiles = readdirSync(cliDir, { recursive: true }).filter((f) =>
    String(f).endsWith('.ts'),
  );
  const pointed = cliFiles.flatMap((f) =>
    [
      ...readFileSync(join(cliDir, String(f)), 'utf8').matchAll(/\bdocs\/[\w.-]+\.(?:md|json)\b/g),
    ].map((m) => m[0]),
  );
  const docsMissing = [...new Set([...docs, 'docs/example-policy.json', ...pointed])].filter(
    (f) => !files.has(f),
  );
  const apiPages = [...files].filter((f) => f.startsWith('docs/api/'));
  if (docsMissing.length > 0 || apiPages.length > 0)
    fail([
      ...(docsMissing.length > 0
        ? [`the tarball lacks the docs the CLI points at: ${docsMissing.join(', ')}`]
        : []),
      ...(apiPages.length > 0
        ? [`the tarball holds ${apiPages.length} generated docs/api/ file(s); only docs/*.md ship`]
        : []),
    ]);

  const attw = join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'attw.cmd' : 'attw',
  );
  let report;
  try {
    report = JSON.parse(
      execFileSync(attw, [join(dir, packed.filename), '--profile', 'node16', '--format', 'json'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  } catch (error) {
    // attw exits 1 when it finds problems; its JSON report is still on stdout.
    if (typeof error.stdout !== 'string' || error.stdout === '') throw error;
    report = JSON.parse(error.stdout);
  }
  const problems = Object.values(report.problems ?? {})
    .flat()
    .filter((p) => p.resolutionKind !== 'node10');
  if (problems.length > 0)
    fail(
      problems.map(
        (p) => `${p.kind}: ${p.entrypoint ?? ''} (${p.resolutionKind ?? 'every resolution'})`,
      ),
    );
  const entrypoints = Object.keys(report.analysis.entrypoints);
  console.log(
    `tarball: ${packed.filename}, ${packed.files.length} files, every file package.json names is in it, and the ${docs.length} guides and docs/example-policy.json the CLI points at`,
  );
  console.log(
    `types: ${entrypoints.length} entry points resolve under node16 (from ESM and from CJS) and bundler (attw, node16 profile; node10 is not supported)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
