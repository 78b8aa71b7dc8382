/**
 * `validate <policy.json…>`: every problem of every policy file, with its line, column, JSON path
 * and code, then the lint's warnings (docs/behaviour.md#lint-warnings); `--strict` makes warnings
 * fail; `--format github` prints them as GitHub Actions annotations.
 */
import {
  lintPolicy,
  type Policy,
  type PolicyIssue,
  type PolicyWarning,
  validatePolicy,
} from '../index.js';
import { defineCommand, writeJson } from './args.js';
import { type Diagnostic, diagnosticFormat, formatDiagnostic } from './diagnostics.js';
import { InputError, UsageError } from './errors.js';
import { inputLabel, parseJson, policyDiagnostics, readText } from './files.js';
import { paintFor } from './output.js';

const HELP = `Usage: oss-source-guard validate [options] <policy.json...>

Check policy files against the policy format (docs/behaviour.md#the-policy) and report every
problem, one per line: "file:line:column: JSON path: message [code]". Valid policies are then
linted (docs/behaviour.md#lint-warnings): warnings about rules that probably do not do what was
meant, printed as
"file:line:column: warning: path: message [code]". "-" reads a policy from standard input.

Options:
  --strict          Warnings fail too (exit 1)
  --format FORMAT   text (default), or github: problems and warnings as GitHub Actions
                    annotations (::error file=…,line=…,col=…::…), which mark the line in a pull
                    request
  --json            Print {"files":[{file, ok, issues, warnings, policy?, error?}]}; each issue
                    and warning also has line and column (see docs/cli.md)
  -h, --help        Show this help

Exit status: 0 every file is a valid policy (without warnings, with --strict), 1 a file is not,
2 usage error, or a file could not be read or is not JSON.`;

type Located<T> = T & { readonly line: number; readonly column: number };

/** One file's result; `error` when it could not be read or parsed (exit 2). */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly issues: readonly Located<PolicyIssue>[];
  /** The lint's warnings; empty unless the policy is valid. */
  readonly warnings: readonly Located<PolicyWarning>[];
  readonly policy?: Policy;
  readonly error?: string;
  /** Not printed with --json: the same problems, placed for people and annotations. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errorPosition?: { readonly line: number; readonly column: number } | undefined;
}

function placed<T extends PolicyIssue | PolicyWarning>(
  items: readonly T[],
  diagnostics: readonly Diagnostic[],
): Located<T>[] {
  return items.map((item, i) => {
    const d = diagnostics[i] as Diagnostic;
    return { ...item, line: d.line, column: d.column };
  });
}

async function check(file: string): Promise<FileResult> {
  const label = inputLabel(file);
  try {
    const text = await readText(file);
    const result = validatePolicy(parseJson(text, label));
    if (!result.ok) {
      const diagnostics = policyDiagnostics(text, label, result.issues, 'error');
      return {
        file,
        ok: false,
        issues: placed(result.issues, diagnostics),
        warnings: [],
        diagnostics,
      };
    }
    const warnings = lintPolicy(result.policy);
    const diagnostics = policyDiagnostics(text, label, warnings, 'warning');
    return {
      file,
      ok: true,
      issues: [],
      warnings: placed(warnings, diagnostics),
      policy: result.policy,
      diagnostics,
    };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return {
      file,
      ok: false,
      issues: [],
      warnings: [],
      error: error.message,
      diagnostics: [],
      errorPosition: error.position,
    };
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
  summary: 'check policy files; every problem with its line, column, JSON path and code',
  help: HELP,
  options: {
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run({ values, positionals }) {
    const format = diagnosticFormat(values.format, values.json, 'validate');
    if (positionals.length === 0)
      throw new UsageError('validate needs a policy file (or - for standard input)', 'validate');
    if (positionals.filter((f) => f === '-').length > 1)
      throw new UsageError('standard input (-) can be read only once', 'validate');
    const results: FileResult[] = [];
    for (const file of positionals) results.push(await check(file));

    if (values.json)
      writeJson({
        files: results.map(({ diagnostics: _d, errorPosition: _p, ...r }) => r),
      });
    const out = paintFor(process.stdout);
    for (const r of results) {
      const label = inputLabel(r.file);
      if (r.error !== undefined) {
        process.stderr.write(`oss-source-guard: ${r.error}\n`);
        if (format === 'github') {
          const annotation = formatDiagnostic(
            {
              severity: 'error',
              file: label,
              line: r.errorPosition?.line ?? 1,
              column: r.errorPosition?.column ?? 1,
              at: '',
              code: 'unreadable',
              message: r.error,
            },
            format,
            out,
          );
          process.stdout.write(`${annotation}\n`);
        }
        continue;
      }
      if (values.json) continue;
      if (r.ok && r.policy)
        process.stdout.write(`${label}: ${out.green('valid')} (${summary(r.policy)})\n`);
      for (const d of r.diagnostics) process.stdout.write(`${formatDiagnostic(d, format, out)}\n`);
    }
    if (results.some((r) => r.error !== undefined)) return 2;
    if (!results.every((r) => r.ok)) return 1;
    return values.strict && results.some((r) => r.warnings.length > 0) ? 1 : 0;
  },
});
