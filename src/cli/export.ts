/**
 * `export POLICY.json`: the body of `PUT /?processConfiguration` for a policy
 * (docs/behaviour.md#oss-configuration-formats) on
 * stdout; what that API cannot carry (rules, `caseInsensitive`, the catalogue) is a warning.
 */
import { writeFile } from 'node:fs/promises';
import { policyToOssXml } from '../index.js';
import { defineCommand, writeJson } from './args.js';
import { diagnosticFormat, formatDiagnostic } from './diagnostics.js';
import { describeSystemError, InputError, UsageError } from './errors.js';
import { inputLabel, loadPolicy, policyDiagnostics, readText } from './files.js';
import { paintFor } from './output.js';

const HELP = `Usage: oss-source-guard export [options] <policy.json>

Print the XML body of PUT /?processConfiguration for a policy on stdout
(docs/behaviour.md#oss-configuration-formats):
CompliedHost Both, SourceFileProtect (Enabled when the policy protects anything), the
extensions as SourceFileProtectSuffix, the delimiters as StyleDelimiters, atProcessing as
OssDomainSupportAtProcess. What that API cannot carry is a warning on stderr: the rules (set them
in the OSS console), the policy's caseInsensitive, the style catalogue. "-" reads standard input.

  oss-source-guard export policy.json --styles styles.xml > process.xml

Options:
  --styles FILE     Also write the catalogue to FILE as a style list (the GET /?style shape,
                    names only), which "import --styles" reads back; OSS creates each style with
                    its content (PutStyle)
  --format FORMAT   text (default), or github: warnings as GitHub Actions annotations on stderr
  --json            Print {"xml", "styleListXml", "warnings"} on stdout instead (see docs/cli.md)
  -h, --help        Show this help

Exit status: 0 the XML is printed (warnings do not fail), 2 usage error, or the policy cannot be
read, is not JSON or is not a valid policy.`;

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'print a policy as the processConfiguration XML OSS takes',
  help: HELP,
  options: {
    styles: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const format = diagnosticFormat(values.format, values.json, 'export');
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'export needs a policy file (or - for standard input)'
          : `export reads one policy file, got ${positionals.length}`,
        'export',
      );
    const file = positionals[0] as string;
    const label = inputLabel(file);
    // Read once: the text places the warnings, loadPolicy validates it.
    const text = await readText(file);
    const policy = await loadPolicy(file, text);
    const out = policyToOssXml(policy);
    if (values.styles !== undefined) {
      if (out.styleListXml === undefined)
        process.stderr.write(
          `oss-source-guard: ${label} has no style catalogue; ${values.styles} is not written\n`,
        );
      else
        try {
          await writeFile(values.styles, out.styleListXml);
        } catch (error) {
          throw new InputError(`cannot write ${values.styles}: ${describeSystemError(error)}`);
        }
    }
    if (values.json) {
      writeJson(out);
      return 0;
    }
    const paint = paintFor(process.stderr);
    for (const d of policyDiagnostics(text, label, out.warnings, 'warning'))
      process.stderr.write(`${formatDiagnostic(d, format, paint)}\n`);
    process.stdout.write(out.xml);
    return 0;
  },
});
