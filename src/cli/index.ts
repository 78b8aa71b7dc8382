import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { definePolicy, validatePolicy } from '../policy.js';
import { EXAMPLE_POLICY } from './example-policy.js';

declare const __VERSION__: string;

const HELP = `Usage: oss-source-guard <command> [options]

Commands:
  validate [policy.json...]  Check policy files (without files: the embedded example policy)

Options:
  --json       Machine-readable output
  -h, --help   Show this help
  --version    Show the version`;

async function validateFiles(files: string[], json: boolean): Promise<number> {
  if (files.length === 0) {
    const policy = definePolicy(EXAMPLE_POLICY);
    process.stdout.write(
      json
        ? `${JSON.stringify({ file: '(embedded example)', ok: true, policy })}\n`
        : `(embedded example policy) valid\n${JSON.stringify(policy, null, 2)}\n`,
    );
    return 0;
  }
  let failed = false;
  for (const file of files) {
    const result = validatePolicy(JSON.parse(await readFile(file, 'utf8')));
    if (result.ok) process.stdout.write(`${file}: valid\n`);
    else {
      failed = true;
      for (const i of result.issues)
        process.stdout.write(`${file}: ${i.at}: ${i.message} [${i.code}]\n`);
    }
  }
  return failed ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  if (values.version) {
    process.stdout.write(`${__VERSION__}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (command === 'validate') return validateFiles(rest, values.json === true);
  process.stderr.write(`oss-source-guard: unknown command "${command}" (see --help)\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `oss-source-guard: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
