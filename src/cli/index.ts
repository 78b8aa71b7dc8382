/**
 * The `oss-source-guard` command: dispatch, global `--help`/`--version`, and the error policy. A
 * usage or input error prints one line (and any details) on stderr and exits 2; nothing the user
 * can cause prints a stack trace.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Command } from './args.js';
import { audit } from './audit.js';
import { check, explain } from './check.js';
import { diff } from './diff.js';
import { describeSystemError, InputError, UsageError } from './errors.js';
import { EXIT_STATUS } from './exit.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { serve } from './serve.js';
import { validate } from './validate.js';

declare const __VERSION__: string;

const COMMANDS: readonly Command[] = [
  validate,
  importCommand,
  exportCommand,
  check,
  explain,
  audit,
  diff,
  serve,
];

const HELP = `Usage: oss-source-guard <command> [options]

Alibaba Cloud OSS source image protection, from the terminal: validate policies, import them from
(and export them to) a bucket's OSS configuration, see whether URLs stay readable once protection
is on, what a policy (change) protects in a bucket listing, and a gateway that enforces a policy
in front of a store (serve).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Options:
  -h, --help   Show this help ("oss-source-guard <command> --help" for a command)
  --version    Show the version

Every command takes --json for machine-readable output (docs/cli.md describes each shape).
Colour is used only on a terminal, and never when NO_COLOR is set.

${EXIT_STATUS}

Example:
  oss-source-guard check https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/photo.jpg`;

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (first === '--version') {
    process.stdout.write(`${__VERSION__}\n`);
    return 0;
  }
  if (first === 'help') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (rest.length > 0 && command === undefined)
      throw new UsageError(`unknown command "${rest[0]}"`);
    process.stdout.write(`${command?.help ?? HELP}\n`);
    return 0;
  }
  if (first.startsWith('-'))
    throw new UsageError(`unknown option ${first} (options go after the command)`);
  const command = COMMANDS.find((c) => c.name === first);
  if (command === undefined) throw new UsageError(`unknown command "${first}"`);
  return command.run(rest);
}

function fail(error: unknown): number {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? '--help' : `${error.command} --help`;
    process.stderr.write(`oss-source-guard: ${error.message} (see oss-source-guard ${help})\n`);
  } else if (error instanceof InputError) {
    process.stderr.write(`oss-source-guard: ${[error.message, ...error.details].join('\n')}\n`);
  } else {
    // A bug, not the user's doing: still one line, and a way to report it.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`oss-source-guard: internal error: ${message} (please report it)\n`);
  }
  return 2;
}

/**
 * Run one command line (`argv` without `node` and the script) in this process and resolve to its
 * exit status (0, 1 or 2; see `EXIT_STATUS`). Output goes to `process.stdout` and
 * `process.stderr`, input to `process.stdin`; it never rejects, since every error is printed by
 * the error policy above. The bin calls it; the in-process tests (`test/cli-inprocess.test.ts`)
 * call it against `src/`, so mutation testing reaches the CLI's logic.
 *
 * @example
 * const status = await run(['validate', 'policy.json']);
 * // prints `policy.json: valid`, status 0
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    return fail(error);
  }
}

/**
 * Whether this module is the script node was started with (`dist/cli.js` through the npm bin
 * link, or a bundle of it), rather than a module something imported. Node resolves the main
 * script's symbolic links, so the comparison does too.
 */
function isMainScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainScript()) {
  // A reader that goes away (`… | head`) is not an error worth a stack trace, nor is a full disk.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(
      `oss-source-guard: cannot write the output: ${describeSystemError(error)}\n`,
    );
    process.exit(2);
  });
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
