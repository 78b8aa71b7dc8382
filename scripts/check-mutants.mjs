#!/usr/bin/env node
// Re-checks the survivors of one source file from a Stryker report against chosen test files,
// without a Stryker run: each surviving (or uncovered) mutant is written into the file in turn,
// the tests run against src/ with vitest.stryker.config.ts, and the file is restored. A kill test
// written for a survivor can be seen to kill it in seconds; a Stryker run of the group is still
// what records the score (docs/testing.md). Run it only in a checkout nobody else is testing in.
//
//   node scripts/check-mutants.mjs src/request/query.ts test/mutation/request-query.test.ts [...]
//
// Environment: MUTATION_REPORT (default reports/mutation/mutation.json), LINES=a-b (only the
// survivors on those lines), FC_NUM_RUNS (default 25), VITEST_CONFIG (default
// vitest.stryker.config.ts), TIMEOUT_MS (default 60000: a run that takes longer is stopped and
// counted as a timeout, detected, as Stryker counts it). It refuses a file whose text differs
// from the report's.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [file, ...tests] = process.argv.slice(2);
if (file === undefined || tests.length === 0) {
  console.error('usage: node scripts/check-mutants.mjs SRC_FILE TEST_FILE [TEST_FILE ...]');
  process.exit(2);
}
const reportPath = process.env.MUTATION_REPORT ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const entry = Object.entries(report.files).find(([f]) => f === file || f.endsWith(`/${file}`));
if (entry === undefined) {
  console.error(`${file} is not in ${reportPath}`);
  process.exit(2);
}
const original = readFileSync(file, 'utf8');
if (original !== entry[1].source) {
  console.error(`${file} differs from the source in ${reportPath}: its mutants would not apply`);
  process.exit(2);
}
const lineStarts = [0];
for (let i = 0; i < original.length; i++) if (original[i] === '\n') lineStarts.push(i + 1);
const offset = (p) => lineStarts[p.line - 1] + p.column - 1;
const [from, to] = (process.env.LINES ?? '1-1000000000').split('-').map(Number);
const lines = original.split('\n');
/**
 * Run the tests in their own process group, so that a mutant that loops forever can be stopped
 * with every worker vitest started. Resolves `alive` (all passed), `killed` or `timeout`.
 */
function runTests(files) {
  const timeout = Number(process.env.TIMEOUT_MS ?? 60_000);
  const config = process.env.VITEST_CONFIG ?? 'vitest.stryker.config.ts';
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', config, '--bail', '1', ...files],
      {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, FC_NUM_RUNS: process.env.FC_NUM_RUNS ?? '25' },
      },
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, timeout);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve('timeout');
      // A run stopped by a signal from outside is no kill.
      else if (code === null) reject(new Error('vitest was stopped from outside'));
      else resolve(code === 0 ? 'alive' : 'killed');
    });
  });
}

let killed = 0;
let timeouts = 0;
let alive = 0;
// Restored on every exit path, Ctrl-C included.
const restore = () => writeFileSync(file, original);
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});
try {
  for (const m of entry[1].mutants) {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
    const { start, end } = m.location;
    if (start.line < from || start.line > to) continue;
    writeFileSync(
      file,
      original.slice(0, offset(start)) + m.replacement + original.slice(offset(end)),
    );
    const outcome = await runTests(tests);
    if (outcome === 'alive') alive++;
    else killed++;
    if (outcome === 'timeout') timeouts++;
    const where = `${file}:${start.line}:${start.column}`;
    const text = lines[start.line - 1].trim().slice(0, 90);
    console.log(
      `${outcome.padEnd(7)} ${where} ${m.mutatorName} ${JSON.stringify(m.replacement).slice(0, 50)} | ${text}`,
    );
  }
} finally {
  restore();
}
console.log(`killed ${killed} (${timeouts} by timeout), alive ${alive}`);
