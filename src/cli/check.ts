/**
 * `check` and `explain`: would OSS, with this policy, let an anonymous client read these URLs?
 * One line per URL; `explain` adds every reading and every rule test.
 */

import type { RequestLike } from '../index.js';
import {
  type Decision,
  definePolicy,
  type EvaluateOptions,
  evaluate,
  explainProtection,
  type Policy,
  type ProtectionExplanation,
} from '../index.js';
import { defineCommand, parseNow, writeJson } from './args.js';
import { explainLines } from './decision-lines.js';
import { UsageError } from './errors.js';
import { EXAMPLE_POLICY } from './example-policy.js';
import { loadPolicy } from './files.js';
import { columns, describeMatch, type Paint, paintFor, quote } from './output.js';

const OPTIONS = `Options:
  --policy FILE             The policy (JSON); without it, the embedded example policy
                            (docs/example-policy.json), and a note on stderr says so
  -X, --method METHOD       Request method (default GET)
  -H, --header 'N: v'       A request header, repeatable (Host, Authorization, ...)
  --now TIME                The current time, for signature expiry: ISO 8601 or Unix seconds
                            (default: now)
  --content-type TYPE       The object's Content-Type (for extensions ["*"])
  --bucket-map HOST=BUCKET  A custom domain's bucket, repeatable
  --bucket NAME             The bucket when the host names none
  --json                    Print {"policy", "results":[{url, decision}]} (see docs/cli.md)
  -h, --help                Show this help

A URL is absolute (https://bucket.oss-cn-hangzhou.aliyuncs.com/key) or a request target (/key)
with -H 'Host: ...'.

Exit status: 0 every URL is allowed, 1 at least one is denied, 2 usage or input error.`;

const CHECK_HELP = `Usage: oss-source-guard check [options] <url...>

Decide, for each URL, whether OSS lets the request read the object once source image protection
is on: ALLOW or DENY, status and code, the reason, the rule or extension that matched, and the key
and style read.

${OPTIONS}`;

const EXPLAIN_HELP = `Usage: oss-source-guard explain [options] <url...>

Like check, and shows how the decision was reached: the request, the signature classification,
every reading of the URL (key, access, style, delimiter), and for each key every rule test
(prefix and suffix, case-insensitive or not), the extension test and "*".

${OPTIONS.replace('{url, decision}]} (see', '{url, decision, explanations}]}\n                            (see')}`;

const REQUEST_OPTIONS = {
  policy: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  now: { type: 'string' },
  'content-type': { type: 'string' },
  'bucket-map': { type: 'string', multiple: true },
  bucket: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What each decision reason means, in words. */
function reasonText(d: Decision): string {
  switch (d.reason) {
    case 'not-a-read':
      return `not a read (${d.method}): protection governs GET and HEAD only`;
    case 'signed': {
      const s = d.signature;
      return s?.kind === 'signed'
        ? `signed request (${s.scheme}, ${s.location})`
        : 'signed request';
    }
    case 'not-an-object':
      return 'bucket-level request: no object key';
    case 'not-protected':
      return 'key not protected';
    case 'style':
      return 'protected, read through a style';
    case 'invalid-request':
      return `not a valid OSS request: ${d.message}`;
    case 'malformed-signature':
      return `malformed signature: ${d.message}`;
    case 'expired-signature':
      return 'signature expired';
    case 'invalid-signature':
      return 'signature does not verify';
    case 'no-such-style':
      return "style not in the policy's style catalogue";
    case 'original':
      return 'original image read anonymously';
    case 'inline-processing':
      return 'inline processing of a protected image';
    case 'ambiguous-processing':
      return 'x-oss-process given twice or escaped, on a protected image';
    case 'protected-watermark':
      return 'inline processing whose watermark is a protected image';
  }
}

/** The cells of a URL's line: verdict, status and code, reason, match, key and style, URL. */
function decisionCells(url: string, d: Decision): string[] {
  const status = d.allow ? '-' : `${d.status} ${d.code}`;
  const match = d.match === undefined ? '-' : describeMatch(d.match);
  const read = [
    d.key === undefined ? '' : `key=${quote(d.key)}`,
    d.style === undefined ? '' : `style=${quote(d.style)}`,
  ];
  return [
    d.allow ? 'ALLOW' : 'DENY',
    status,
    reasonText(d),
    match,
    read.filter(Boolean).join(' ') || '-',
    quote(url),
  ];
}

function headerPairs(headers: readonly string[], command: string): [string, string][] {
  return headers.map((h) => {
    const colon = h.indexOf(':');
    const name = h.slice(0, colon).trim();
    if (colon === -1 || name === '' || /[\s:]/.test(name))
      throw new UsageError(`-H needs 'Name: value', not ${JSON.stringify(h)}`, command);
    return [name.toLowerCase(), h.slice(colon + 1).trim()];
  });
}

function bucketMap(entries: readonly string[], command: string): Record<string, string> {
  const map: Record<string, string> = Object.create(null);
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1)
      throw new UsageError(`--bucket-map needs HOST=BUCKET, not ${JSON.stringify(entry)}`, command);
    map[entry.slice(0, eq).toLowerCase()] = entry.slice(eq + 1);
  }
  return map;
}

interface Result {
  readonly url: string;
  readonly decision: Decision;
  readonly explanations?: readonly ProtectionExplanation[];
}

function explanations(d: Decision, policy: Policy, contentType: string | undefined) {
  const opts = contentType === undefined ? undefined : { contentType };
  const keys =
    d.readings.length > 0 ? d.readings.map((r) => r.key) : d.key === undefined ? [] : [d.key];
  return keys.map((key) => explainProtection(key, policy, opts));
}

function makeCommand(name: 'check' | 'explain', summary: string, help: string) {
  const explain = name === 'explain';
  return defineCommand({
    name,
    summary,
    help,
    options: REQUEST_OPTIONS,
    async run({ values, positionals }) {
      if (positionals.length === 0) throw new UsageError(`${name} needs at least one URL`, name);
      for (const url of positionals)
        if (!url.startsWith('/') && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url))
          throw new UsageError(
            `not a URL: ${JSON.stringify(url)}; give https://host/key, or /key with -H 'Host: ...'`,
            name,
          );
      const headers = headerPairs(values.header ?? [], name);
      const contentType = values['content-type'];
      const options: EvaluateOptions = {
        now: values.now === undefined ? new Date() : parseNow(values.now, name),
        contentType,
        buckets: bucketMap(values['bucket-map'] ?? [], name),
        bucket: values.bucket,
      };
      const file = values.policy;
      const policy = file === undefined ? definePolicy(EXAMPLE_POLICY) : await loadPolicy(file);
      if (file === undefined)
        process.stderr.write(
          'oss-source-guard: using the embedded example policy (docs/example-policy.json); pass --policy FILE\n',
        );

      const results: Result[] = positionals.map((url) => {
        const request: RequestLike = { method: values.method ?? 'GET', url, headers };
        const decision = evaluate(request, policy, options);
        return explain
          ? { url, decision, explanations: explanations(decision, policy, contentType) }
          : { url, decision };
      });
      if (values.json) writeJson({ policy: file ?? 'embedded', results });
      else print(results, paintFor(process.stdout));
      return results.every((r) => r.decision.allow) ? 0 : 1;
    },
  });
}

function print(results: readonly Result[], paint: Paint): void {
  const lines = columns(
    results.map((r) => decisionCells(r.url, r.decision)),
    (row, column, text) => {
      if (column !== 0) return text;
      return (results[row] as Result).decision.allow ? paint.green(text) : paint.red(text);
    },
  );
  results.forEach((r, i) => {
    let out = `${lines[i]}\n`;
    if (r.decision.hint !== undefined) out += `      ${paint.yellow('hint:')} ${r.decision.hint}\n`;
    if (r.explanations !== undefined) out += explainLines(r.decision, r.explanations, paint);
    process.stdout.write(out);
  });
}

export const check = makeCommand(
  'check',
  'ALLOW or DENY for each URL, with the reason',
  CHECK_HELP,
);
export const explain = makeCommand(
  'explain',
  'check, plus every reading and every rule test',
  EXPLAIN_HELP,
);
