/**
 * The detail lines of `explain`: the request as read, the signature classification, and for each
 * reading its key, its access, and every test on the key (docs/behaviour.md#matching-keys).
 */
import type {
  Decision,
  ProtectionExplanation,
  ReadingDecision,
  RuleTest,
  SignatureInfo,
} from '../index.js';
import { columns, describeMatch, type Paint, quote } from './output.js';

const INDENT = '      ';

function signatureText(s: SignatureInfo | undefined, verified: boolean): string {
  if (s === undefined) return 'not examined';
  if (s.kind === 'anonymous') return 'anonymous: no Authorization header, no signature parameter';
  if (s.kind === 'malformed') return `malformed: ${s.message}`;
  const expiry =
    s.expires === undefined
      ? ''
      : `, expires ${s.expires.toISOString()}${s.expired ? ' (expired)' : ''}`;
  return `signed: ${s.scheme} in the ${s.location}, AccessKeyId ${quote(s.accessKeyId)}${expiry}; ${verified ? 'verified with the given secret' : 'detected, not verified'}`;
}

/** Which server behaviour each reading source models, for people (docs/security.md). */
const SOURCES: Readonly<Record<ReadingDecision['source'], string>> = {
  literal: 'OSS, the path taken literally',
  whatwg:
    'a WHATWG URL parser (Fetch forwarding, Workers, Deno, Bun): dot segments resolved, \\ as /',
  decoded:
    'a decoding server (nginx, Go path.Clean, CDNs): decoded, slashes merged, dot segments resolved',
  'path-parameters': 'a servlet container (Tomcat, Jetty): ;parameters stripped, then decoded',
  'raw-hash': 'a server that keeps a raw # (Go net/http)',
};

function accessText(r: ReadingDecision): string {
  const via = r.delimiter === undefined ? '' : ` after delimiter "${r.delimiter}"`;
  switch (r.access) {
    case 'direct':
      return 'direct read of the original';
    case 'style':
      return `style ${quote(r.style ?? '')}${via || ' (x-oss-process)'}`;
    case 'inline':
      if (r.pathProcessing === 'empty-style') return `inline processing: empty style${via}`;
      if (r.pathProcessing === 'at') return 'inline processing: legacy @ syntax';
      return `inline processing${via ? `, path split${via}` : ''}`;
    case 'ambiguous':
      return `ambiguous x-oss-process${via ? `, path split${via}` : ''}`;
  }
}

function ruleCells(t: RuleTest, paint: Paint): string[] {
  const mark = (ok: boolean | undefined) => (ok ? paint.green('✓') : paint.red('✗'));
  const tests: string[] = [];
  if (t.rule.prefix !== undefined)
    tests.push(`prefix ${JSON.stringify(t.rule.prefix)} ${mark(t.prefixMatches)}`);
  if (t.rule.suffix !== undefined)
    tests.push(`suffix ${JSON.stringify(t.rule.suffix)} ${mark(t.suffixMatches)}`);
  const ci = t.rule.caseInsensitive ? 'case-insensitive' : 'case-sensitive';
  return [`rule ${t.index}`, `${tests.join(' + ')} (${ci})`, t.matches ? 'matches' : 'no match'];
}

/** Every protection test on one key (docs/behaviour.md#matching-keys), as aligned rows. */
function protectionRows(e: ProtectionExplanation, paint: Paint): string[][] {
  const rows = e.rules.map((t) => ruleCells(t, paint));
  if (e.rules.length === 0) rows.push(['rules', 'none in the policy', '']);
  if (e.wildcard) {
    rows.push([
      'extension',
      e.extension === undefined ? 'none' : quote(e.extension),
      'the policy lists "*"',
    ]);
    const applies = e.wildcardApplies;
    rows.push([
      '*',
      applies ? `every image ${paint.green('✓')}` : `not an image ${paint.red('✗')}`,
      applies ? 'matches' : 'no match',
    ]);
  } else {
    const ext =
      e.extension === undefined
        ? ['extension', 'none (no "." after the last "/")', 'no match']
        : [
            'extension',
            `${quote(e.extension)} ${e.extensionListed ? paint.green('✓ listed') : paint.red('✗ not listed')}`,
            e.extensionListed ? 'matches' : 'no match',
          ];
    rows.push(ext, ['*', 'not in the policy', '']);
  }
  return rows;
}

/** The lines `explain` prints after a URL's decision line. */
export function explainLines(
  d: Decision,
  explanations: readonly ProtectionExplanation[],
  paint: Paint,
  verified = false,
): string {
  const head: string[][] = [['method', d.method]];
  const where = d.host === undefined ? 'none' : quote(d.host);
  head.push(['host', d.bucket === undefined ? where : `${where} (bucket ${quote(d.bucket)})`]);
  head.push(['signature', signatureText(d.signature, verified)]);
  let out = columns(head)
    .map((l) => `${INDENT}${paint.dim(l)}\n`)
    .join('');

  if (d.readings.length === 0) {
    out += `${INDENT}readings   none: ${d.key === undefined ? 'no object key was read' : 'protection does not apply to this request'}\n`;
    const e = explanations[0];
    if (e !== undefined) {
      const verdict =
        e.match === undefined ? 'not protected' : `protected by ${describeMatch(e.match)}`;
      out += `${INDENT}key=${quote(e.key)}: ${verdict} (not applied to this request)\n`;
      out += columns(protectionRows(e, paint))
        .map((l) => `${INDENT}  ${l}\n`)
        .join('');
    }
    return out;
  }
  d.readings.forEach((r, i) => {
    const verdict = r.allowed ? paint.green('allowed') : paint.red('denied');
    out += `${INDENT}reading ${i + 1} of ${d.readings.length}: key=${quote(r.key)}, ${accessText(r)} → ${verdict}\n`;
    if (r.source !== 'literal') out += `${INDENT}  as read by ${SOURCES[r.source]}\n`;
    const e = explanations[i];
    if (e !== undefined)
      out += columns(protectionRows(e, paint))
        .map((l) => `${INDENT}  ${l}\n`)
        .join('');
    const why =
      r.match === undefined
        ? 'key not protected'
        : `protected by ${describeMatch(r.match)}${r.access === 'style' ? ', read through a style' : ''}`;
    out += `${INDENT}  → ${why}\n`;
  });
  return out;
}
