/**
 * `validate <policy.json…>`: every problem of every policy file, with its JSON path and code,
 * then the lint's warnings (SPEC S9); `--strict` makes warnings fail.
 */
import {
  lintPolicy,
  type Policy,
  type PolicyIssue,
  type PolicyWarning,
  validatePolicy,
} from '../index.js';
import { defineCommand, writeJson } from './args.js';
import { InputError, UsageError } from './errors.js';
import { inputLabel, parseJson, readText } from './files.js';
import { paintFor } from './output.js';

const HELP = `Usage: oss-source-guard validate [options] <policy.json...>

Check policy files against the policy format (SPEC S2) and report every problem: file, JSON path,
message and code. Valid policies are then linted (SPEC S9): warnings about rules that probably do
not do what was meant, printed as "file: warning: path: message [code]". "-" reads a policy from
standard input.

Options:
  --strict     Warnings fail too (exit 1)
  --json       Print {"files":[{file, ok, issues, warnings, policy?, error?}]} (see docs/cli.md)
  -h, --help   Show this help

Exit status: 0 every file is a valid policy (without warnings, with --strict), 1 a file is not,
2 usage error, or a file could not be read or is not JSON.`;

/** One file's result; `error` when it could not be read or parsed (exit 2). */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly issues: readonly PolicyIssue[];
  /** The lint's warnings; empty unless the policy is valid. */
  readonly warnings: readonly PolicyWarning[];
  readonly policy?: Policy;
  readonly error?: string;
}

async function check(file: string): Promise<FileResult> {
  try {
    const result = validatePolicy(parseJson(await readText(file), inputLabel(file)));
    return result.ok
      ? { file, ok: true, issues: [], warnings: lintPolicy(result.policy), policy: result.policy }
      : { file, ok: false, issues: result.issues, warnings: [] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { file, ok: false, issues: [], warnings: [], error: error.message };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(policy: Policy): string {
  const extensions =
    policy.extensions[0] === '*' ? 'extensions *' : plural(policy.extensions.length, 'extension');
  const styles =
    policy.styles === undefined ? 'no style catalogue' : plural(policy.styles.length, 'style');
  return `${plural(policy.rules.length, 'rule')}, ${extensions}, ${plural(policy.delimiters.length, 'delimiter')}, ${styles}`;
}

export const validate = defineCommand({
  name: 'validate',
  summary: 'check policy files; every problem with its JSON path and code',
  help: HELP,
  options: { json: { type: 'boolean' }, strict: { type: 'boolean' } },
  async run({ values, positionals }) {
    if (positionals.length === 0)
      throw new UsageError('validate needs a policy file (or - for standard input)', 'validate');
    if (positionals.filter((f) => f === '-').length > 1)
      throw new UsageError('standard input (-) can be read only once', 'validate');
    const results: FileResult[] = [];
    for (const file of positionals) results.push(await check(file));

    if (values.json) writeJson({ files: results });
    const out = paintFor(process.stdout);
    for (const r of results) {
      const label = inputLabel(r.file);
      if (r.error !== undefined) process.stderr.write(`oss-source-guard: ${r.error}\n`);
      else if (values.json) continue;
      else if (r.ok && r.policy) {
        process.stdout.write(`${label}: ${out.green('valid')} (${summary(r.policy)})\n`);
        for (const w of r.warnings)
          process.stdout.write(
            `${label}: ${out.yellow('warning')}: ${w.at}: ${w.message} [${w.code}]\n`,
          );
      } else
        for (const i of r.issues)
          process.stdout.write(`${label}: ${i.at}: ${i.message} ${out.red(`[${i.code}]`)}\n`);
    }
    if (results.some((r) => r.error !== undefined)) return 2;
    if (!results.every((r) => r.ok)) return 1;
    return values.strict && results.some((r) => r.warnings.length > 0) ? 1 : 0;
  },
});
