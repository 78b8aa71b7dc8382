/**
 * `import PROCESS.xml [--styles STYLES.xml]`: a bucket's OSS configuration
 * (docs/behaviour.md#oss-configuration-formats) as a policy
 * file on stdout; every problem and warning with its line and column in its XML file.
 */
import { type OssXmlIssue, type OssXmlWarning, policyFromOssXml } from '../index.js';
import { defineCommand, writeJson } from './args.js';
import { type Diagnostic, diagnosticFormat, formatDiagnostic } from './diagnostics.js';
import { UsageError } from './errors.js';
import { inputLabel, readText } from './files.js';
import { paintFor } from './output.js';

const HELP = `Usage: oss-source-guard import [options] <PROCESS.xml>

Turn a bucket's OSS configuration (docs/behaviour.md#oss-configuration-formats) into a policy
and print the policy JSON on stdout.
PROCESS.xml is the XML body of GET /?processConfiguration: SourceFileProtect,
SourceFileProtectSuffix (the protected extensions, or *), StyleDelimiters and
OssDomainSupportAtProcess (atProcessing). That API carries no prefix/suffix rules: add the
console's rules to the policy by hand. "-" reads standard input.

  oss-source-guard import process.xml --styles styles.xml > policy.json

Problems and warnings go to stderr, as "file:line:column: path: message [code]".

Options:
  --styles FILE     The XML body of GET /?style: its style names become the policy's catalogue
  --format FORMAT   text (default), or github: problems and warnings as GitHub Actions
                    annotations (::error file=…,line=…,col=…::…) on stderr
  --json            Print {"ok", "policy"?, "issues", "warnings"} on stdout instead; each issue
                    and warning has file, line and column (see docs/cli.md)
  -h, --help        Show this help

The XML is read strictly: no DTD, no entity but &lt; &gt; &amp; &quot; &apos; and numeric
references, at most 1 MiB and 16 levels deep.

Exit status: 0 the policy is printed, 1 the XML is not a configuration a policy can come from
(an unknown element, delimiter or extension, a missing SourceFileProtect, ...), 2 usage error, a
file cannot be read, or it is not XML this reader accepts (malformed, a DTD, too large).`;

type Placed<T> = T & { readonly file: string };

export const importCommand = defineCommand({
  name: 'import',
  summary: "turn a bucket's processConfiguration (and style list) XML into a policy",
  help: HELP,
  options: {
    styles: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const format = diagnosticFormat(values.format, values.json, 'import');
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'import needs the processConfiguration XML file (or - for standard input)'
          : `import reads one processConfiguration file, got ${positionals.length}`,
        'import',
      );
    const file = positionals[0] as string;
    const styles = values.styles;
    if (file === '-' && styles === '-')
      throw new UsageError('standard input (-) can be read only once', 'import');
    const processText = await readText(file);
    const stylesText = styles === undefined ? undefined : await readText(styles);
    const result = policyFromOssXml(processText, stylesText);

    const fileOf = (d: OssXmlIssue['document']) =>
      d === 'styleList' ? inputLabel(styles as string) : inputLabel(file);
    const place = <T extends OssXmlIssue | OssXmlWarning>(items: readonly T[]): Placed<T>[] =>
      items.map((i) => ({ file: fileOf(i.document), ...i }));
    const issues = result.ok ? [] : place(result.issues);
    const warnings = place(result.warnings);

    if (values.json)
      writeJson({
        ok: result.ok,
        ...(result.ok ? { policy: result.policy } : {}),
        issues,
        warnings,
      });
    else {
      const paint = paintFor(process.stderr);
      const diagnostics: Diagnostic[] = [
        ...issues.map((i) => ({ severity: 'error' as const, ...i })),
        ...warnings.map((w) => ({ severity: 'warning' as const, ...w })),
      ];
      for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, format, paint)}\n`);
      if (result.ok) process.stdout.write(`${JSON.stringify(result.policy, null, 2)}\n`);
    }
    if (result.ok) return 0;
    // Text that is not XML this reader accepts is an input error, as invalid JSON is for validate.
    return issues.some((i) => i.code.startsWith('xml-') || i.code === 'not-text') ? 2 : 1;
  },
});
