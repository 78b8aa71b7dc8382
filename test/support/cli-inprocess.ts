/**
 * Run the CLI in this process, against `src/` (`run` from `src/cli/index.ts`), and capture its
 * exit status and output: the same contract as `runCli` in `test/support/cli.ts`, which runs the
 * built `dist/cli.js` as a child process. In process, mutation testing reaches the CLI's logic
 * (no mutant reaches a child process), and a run costs milliseconds instead of a node start.
 *
 * The CLI writes to `process.stdout`/`process.stderr` and reads `process.stdin`, so a run swaps
 * those for the time it lasts: runs are queued one after another, never concurrent.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { run } from '../../src/cli/index.js';

// The bundler defines `__VERSION__` for the bin (tsup.config.ts); from src/ it is a global.
(globalThis as { __VERSION__?: string }).__VERSION__ = pkg.version;

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  /** Text on standard input; without it standard input is empty. */
  readonly input?: string;
  /** Extra environment for the run; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * `oss-source-guard ...args`, in process. As with the child-process runner, colour variables from
 * the surrounding environment are removed first (a CI runner may set FORCE_COLOR), and every run
 * is checked for a stack trace on stderr: the CLI must never print one.
 */
export function runInProcess(
  args: readonly string[],
  options: InProcessOptions = {},
): Promise<InProcessResult> {
  const result = queue.then(() => runNow(args, options));
  queue = result.catch(() => undefined);
  return result;
}

async function runNow(
  args: readonly string[],
  options: InProcessOptions,
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const writers = { stdout: process.stdout.write, stderr: process.stderr.write };
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  const env = { NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const setEnv = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = capture((t) => {
    stdout += t;
  }) as typeof process.stdout.write;
  process.stderr.write = capture((t) => {
    stderr += t;
  }) as typeof process.stderr.write;
  Object.defineProperty(process, 'stdin', {
    configurable: true,
    value: Readable.from([options.input ?? ''], { objectMode: false }),
  });
  setEnv(env);
  let code: number;
  try {
    code = await run(args);
  } finally {
    process.stdout.write = writers.stdout;
    process.stderr.write = writers.stderr;
    if (stdin !== undefined) Object.defineProperty(process, 'stdin', stdin);
    setEnv(saved);
  }
  expect(stderr, 'a stack trace on stderr').not.toMatch(/\n\s+at /);
  return { code, stdout, stderr };
}

/** A fresh temporary directory with the given files (name → content) and an empty `a-directory`. */
export function fixtureDir(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-cli-inprocess-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'a-directory'));
  return dir;
}
