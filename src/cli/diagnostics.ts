/**
 * Problems and warnings in a file, printed the two ways the commands offer: for people
 * (`policy.json:12:7: rules[3].prefix: message [code]`, the form editors and compilers use) and
 * as GitHub Actions workflow commands (`::error file=policy.json,line=12,col=7::…`), which mark
 * the offending line in a pull request.
 */
import { UsageError } from './errors.js';
import type { Paint } from './output.js';

/** How diagnostics are printed. */
export type DiagnosticFormat = 'text' | 'github';

/** `--format`, checked. */
export function diagnosticFormat(
  value: string | undefined,
  json: boolean | undefined,
  command: string,
): DiagnosticFormat {
  if (value === undefined || value === 'text') return 'text';
  if (value !== 'github')
    throw new UsageError(`option --format needs text or github, not "${value}"`, command);
  if (json) throw new UsageError('--json and --format github cannot be combined', command);
  return 'github';
}

/** One problem or warning, placed in its file. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** The file as the user named it; `<stdin>` for standard input. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where inside the document, for people: `rules[3].prefix`; empty for the file itself. */
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

/** Workflow-command escaping: data (`%`, CR, LF) and property values (also `:` and `,`). */
const escapeData = (s: string) =>
  s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
const escapeProperty = (s: string) => escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** One diagnostic as a GitHub Actions annotation; standard input names no file. */
export function githubAnnotation(d: Diagnostic): string {
  const properties = [
    ...(d.file === '<stdin>' ? [] : [`file=${escapeProperty(d.file)}`]),
    `line=${d.line}`,
    `col=${d.column}`,
    `title=${escapeProperty(`oss-source-guard ${d.code}`)}`,
  ];
  return `::${d.severity} ${properties.join(',')}::${escapeData(`${d.at === '' ? '' : `${d.at}: `}${d.message}`)}`;
}

/** One diagnostic for people: `file:line:col: [warning: ]at: message [code]`. */
export function textDiagnostic(d: Diagnostic, paint: Paint): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const code = d.severity === 'error' ? paint.red(`[${d.code}]`) : `[${d.code}]`;
  const tag = d.severity === 'warning' ? `${paint.yellow('warning')}: ` : '';
  return `${where}: ${tag}${d.at === '' ? '' : `${d.at}: `}${d.message} ${code}`;
}

/** A diagnostic in the chosen format. */
export const formatDiagnostic = (d: Diagnostic, format: DiagnosticFormat, paint: Paint): string =>
  format === 'github' ? githubAnnotation(d) : textDiagnostic(d, paint);
