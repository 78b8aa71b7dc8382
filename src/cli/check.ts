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
import { verifyAndEvaluate } from '../verify/index.js';
import { defineCommand, parseNow, writeJson } from './args.js';
import { explainLines } from './decision-lines.js';
import { UsageError } from './errors.js';
import { EXAMPLE_POLICY } from './example-policy.js';
import { loadPolicy } from './files.js';
import { requestHints } from './hints.js';
import { columns, describeMatch, type Paint, paintFor, quote } from './output.js';
import { loadSecrets } from './secrets.js';

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
  --secret ID:SECRET        Verify signatures (OSS V1, V4) with this AccessKey pair, repeatable;
                            other users of the machine can see the command line: prefer --secrets
  --secrets FILE            Verify signatures with the pairs of a JSON file
                            {"AccessKeyId": "secret", ...}
  --json                    Print {"policy", "results":[{url, decision, hints,
                            verification?}]} (see docs/cli.md)
  -h, --help                Show this help

A URL is absolute (https://bucket.oss-cn-hangzhou.aliyuncs.com/key) or a request target (/key)
with -H 'Host: ...'. Without --secret or --secrets a signed request is allowed as "signature
detected, not verified": a forged signature passes too. With them, it is verified as OSS would
(oss-source-guard/verify), and denied when it does not verify.

Exit status: 0 every URL is allowed, 1 at least one is denied, 2 usage or input error (an
unreadable, invalid or missing policy or secrets file).`;

const CHECK_HELP = `Usage: oss-source-guard check [options] <url...>

Decide, for each URL, whether OSS lets the request read the object once source image protection
is on: ALLOW or DENY, status and code, the reason, the rule or extension that matched, and the key
and style read.

${OPTIONS}`;

const EXPLAIN_HELP = `Usage: oss-source-guard explain [options] <url...>

Like check, and shows how the decision was reached: the request, the signature classification,
every reading of the URL (key, access, style, delimiter), and for each key every rule test
(prefix and suffix, case-insensitive or not), the extension test and "*".

${OPTIONS.replace('verification?}]}', 'verification?, explanations}]}')}`;

const REQUEST_OPTIONS = {
  policy: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  now: { type: 'string' },
  'content-type': { type: 'string' },
  'bucket-map': { type: 'string', multiple: true },
  bucket: { type: 'string' },
  secret: { type: 'string', multiple: true },
  secrets: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What each decision reason means, in words; `verified`: a signed request's signature was. */
function reasonText(d: Decision, verified: boolean): string {
  switch (d.reason) {
    case 'not-a-read':
      return `not a read (${d.method}): protection governs GET and HEAD only`;
    case 'signed': {
      const s = d.signature;
      const how = verified ? 'signature verified' : 'signature detected, not verified';
      return s?.kind === 'signed'
        ? `signed request (${s.scheme}, ${s.location}), ${how}`
        : `signed request, ${how}`;
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
function decisionCells(url: string, d: Decision, verified: boolean): string[] {
  const status = d.allow ? '-' : `${d.status} ${d.code}`;
  const match = d.match === undefined ? '-' : describeMatch(d.match);
  const read = [
    d.key === undefined ? '' : `key=${quote(d.key)}`,
    d.style === undefined ? '' : `style=${quote(d.style)}`,
  ];
  return [
    d.allow ? 'ALLOW' : 'DENY',
    status,
    reasonText(d, verified),
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
  /** The CLI's hints (besides the decision's own `hint`). */
  readonly hints: readonly string[];
  /**
   * For a request that carries a signature: `not-checked` without secrets (or when the request
   * was denied before its signature was looked at), else whether it verified.
   */
  readonly verification?: 'not-checked' | 'valid' | 'invalid';
  readonly explanations?: readonly ProtectionExplanation[];
}

const UNVERIFIED_HINT =
  'The signature was only detected: a forged one passes too. Pass --secret ACCESS_KEY_ID:SECRET or --secrets FILE to verify it as OSS would.';

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
      const buckets = bucketMap(values['bucket-map'] ?? [], name);
      const now = values.now === undefined ? new Date() : parseNow(values.now, name);
      const options: EvaluateOptions = { now, contentType, buckets, bucket: values.bucket };
      const secrets = await loadSecrets(values.secret, values.secrets, name);
      const file = values.policy;
      const policy = file === undefined ? definePolicy(EXAMPLE_POLICY) : await loadPolicy(file);
      if (file === undefined)
        process.stderr.write(
          'oss-source-guard: using the embedded example policy (docs/example-policy.json); pass --policy FILE\n',
        );
      const host = headers.find(([n]) => n === 'host')?.[1];

      const results: Result[] = [];
      for (const url of positionals) {
        const request: RequestLike = { method: values.method ?? 'GET', url, headers };
        const decision =
          secrets === undefined
            ? evaluate(request, policy, options)
            : await verifyAndEvaluate(request, policy, {
                ...options,
                now,
                getSecret: (id) => secrets.get(id),
              });
        const signed = decision.signature?.kind === 'signed';
        const hints = requestHints(url, decision, policy, { host, buckets, bucket: values.bucket });
        if (signed && secrets === undefined && decision.allow) hints.push(UNVERIFIED_HINT);
        const verification =
          secrets === undefined
            ? 'not-checked'
            : decision.reason === 'invalid-signature'
              ? 'invalid'
              : decision.reason === 'signed'
                ? 'valid'
                : 'not-checked';
        const result: Result = { url, decision, hints, ...(signed ? { verification } : {}) };
        results.push(
          explain
            ? { ...result, explanations: explanations(decision, policy, contentType) }
            : result,
        );
      }
      if (values.json) writeJson({ policy: file ?? 'embedded', results });
      else print(results, paintFor(process.stdout));
      return results.every((r) => r.decision.allow) ? 0 : 1;
    },
  });
}

function print(results: readonly Result[], paint: Paint): void {
  const lines = columns(
    results.map((r) => decisionCells(r.url, r.decision, r.verification === 'valid')),
    (row, column, text) => {
      if (column !== 0) return text;
      return (results[row] as Result).decision.allow ? paint.green(text) : paint.red(text);
    },
  );
  results.forEach((r, i) => {
    let out = `${lines[i]}\n`;
    for (const hint of [...(r.decision.hint === undefined ? [] : [r.decision.hint]), ...r.hints])
      out += `      ${paint.yellow('hint:')} ${hint}\n`;
    if (r.explanations !== undefined)
      out += explainLines(r.decision, r.explanations, paint, r.verification === 'valid');
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
