/**
 * Run the built CLI (`dist/cli.js`, built by the global setup) as a child process, the way users
 * and CI run it, and capture its exit code and output.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

const built = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/**
 * A private copy of the CLI (it is one self-contained file): other tools working in the tree
 * (a bench, another suite) may rebuild `dist/` while these tests run.
 */
function privateCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-cli-'));
  const target = join(dir, 'cli.js');
  const until = Date.now() + 60_000;
  while (!existsSync(built)) {
    if (Date.now() > until) throw new Error('dist/cli.js is missing: run `npm run build`');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  copyFileSync(built, target);
  return target;
}

export const CLI = privateCopy();

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Text written to stdin, which is then closed; without it stdin is empty. */
  readonly input?: string | Buffer;
  /** A file descriptor to use as stdin instead (a directory, say). */
  readonly stdinFd?: number;
  /** Extra environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/**
 * Run `node dist/cli.js ...args`. Colour variables from the surrounding environment are removed
 * (a CI runner may set FORCE_COLOR). Every run is checked for a stack trace on stderr: the CLI
 * must never print one.
 */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env,
      stdio: [options.stdinFd ?? 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      expect(stderr, 'a stack trace on stderr').not.toMatch(/\n\s+at /);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) child.stdin.end(options.input ?? '');
  });
}

/** A fresh temporary directory with the given files (name → content). */
export function fixtureDir(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-cli-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'a-directory'));
  return dir;
}

/** Does text hold an ANSI escape sequence? */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what is looked for
export const hasAnsi = (text: string): boolean => /\x1b\[/.test(text);
