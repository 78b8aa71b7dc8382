/**
 * `audit --policy FILE [KEYS_FILE|-]`: how many keys of a bucket listing each rule and extension
 * protects, how many stay public, and samples of each. Streams: memory does not grow with the
 * listing.
 */
import {
  type CompiledPolicy,
  compilePolicy,
  definePolicy,
  type MatchOptions,
  type Policy,
  type ProtectionRule,
  type ProtectionRuleInput,
} from '../index.js';
import { defineCommand, parseCount, writeJson } from './args.js';
import { UsageError } from './errors.js';
import { inputLabel, loadPolicy } from './files.js';
import { listingFormat, listingSource, readListing } from './keys.js';
import {
  columns,
  count,
  describeRule,
  type Paint,
  Progress,
  paintFor,
  percent,
  quote,
} from './output.js';
import {
  INVALID_REASON_TEXT,
  type InvalidKeyReason,
  invalidKey,
  UNREACHABLE_REASON_TEXT,
  type UnreachableReason,
  unreachable,
} from './reach.js';
import { openReportFile, type ReportFile } from './report/file.js';
import { renderAuditPage } from './report/html.js';
import { FolderTree } from './report/tree.js';

const HELP = `Usage: oss-source-guard audit --policy FILE [options] [KEYS_FILE|-]

Read object keys, one per line or as printed by "ossutil ls", and report how many keys each rule
and each extension protects ("only": keys that test alone protects, exposed if it were removed),
how many keys stay unprotected, and samples of each. Lines that are not OSS object keys (such
as "/lead.jpg") are counted apart as invalid, with the reason, never as protected. Keys a raw
URL cannot reach under the policy are counted too: protected keys with a "." or ".." segment
(clients remove it before sending) and keys ending in an enabled delimiter after a protected key.
Without KEYS_FILE, reads standard input when it is piped. Streams: a listing of any length runs
in constant memory.

Options:
  --policy FILE          The policy (JSON); required
  --samples N            Sample keys shown per test and for unprotected keys (default 5)
  --content-type TYPE    The objects' Content-Type (for extensions ["*"])
  --format FORMAT        auto (default: from the first line), keys, or ossutil
  --json                 Print the report as JSON (see docs/cli.md)
  --html FILE            Also write the report as one self-contained HTML page, with a
                         picture of the protected and unprotected keys by folder
  -h, --help             Show this help

A progress line appears on stderr when it is a terminal and the listing takes over a second.

Exit status: 0 report printed (invalid keys do not fail it), 2 usage or input error.`;

/** Counts for one test: keys it matches, keys only it protects, the first few of them. */
interface Tally {
  matches: number;
  only: number;
  samples: string[];
}

const tally = (): Tally => ({ matches: 0, only: 0, samples: [] });

/** Keys set apart for one reason, and the first few of them. */
interface Apart<R extends string> {
  readonly reason: R;
  count: number;
  readonly samples: string[];
}
const apart = <R extends string>(reasons: readonly R[]): Apart<R>[] =>
  reasons.map((reason) => ({ reason, count: 0, samples: [] }));
const INVALID_REASONS: readonly InvalidKeyReason[] = ['leading-slash', 'too-long', 'not-unicode'];
const UNREACHABLE_REASONS: readonly UnreachableReason[] = ['dot-segment', 'trailing-delimiter'];

function ruleInput(rule: ProtectionRule): ProtectionRuleInput {
  return {
    ...(rule.prefix === undefined ? {} : { prefix: rule.prefix }),
    ...(rule.suffix === undefined ? {} : { suffix: rule.suffix }),
    caseInsensitive: rule.caseInsensitive,
  } as ProtectionRuleInput;
}

/**
 * Counts every test separately by asking the library about one-test policies (one per rule, one
 * for the extension list): the counts then follow docs/behaviour.md#matching-keys exactly, with the
 * compiled matcher's speed.
 */
class Auditor {
  total = 0;
  protected = 0;
  readonly unprotected: string[] = [];
  readonly invalid = apart(INVALID_REASONS);
  readonly unreachable = apart(UNREACHABLE_REASONS);
  readonly rules: Tally[];
  readonly extensions: Tally[];
  readonly wildcard: Tally | undefined;
  private readonly full: CompiledPolicy;
  private readonly ruleMatchers: CompiledPolicy[];
  private readonly extensionMatcher: CompiledPolicy | undefined;
  private readonly extensionIndex: Map<string, number>;

  /**
   * @param tree for `--html`: keys by folder, each protected key under its first test (rules by
   *   index, then the extension list: {@link testLabels}' numbering)
   */
  constructor(
    readonly policy: Policy,
    readonly samples: number,
    private readonly options: MatchOptions | undefined,
    private readonly tree?: FolderTree,
  ) {
    this.full = compilePolicy(policy);
    this.ruleMatchers = policy.rules.map((r) =>
      compilePolicy(definePolicy({ rules: [ruleInput(r)] })),
    );
    this.rules = policy.rules.map(tally);
    const wildcard = policy.extensions[0] === '*';
    this.wildcard = wildcard ? tally() : undefined;
    this.extensions = wildcard ? [] : policy.extensions.map(tally);
    this.extensionIndex = new Map(policy.extensions.map((e, i) => [e, i]));
    this.extensionMatcher =
      policy.extensions.length === 0
        ? undefined
        : compilePolicy(definePolicy({ extensions: policy.extensions }));
  }

  private hit(t: Tally, key: string): void {
    t.matches++;
    if (t.samples.length < this.samples) t.samples.push(key);
  }

  private setApart<R extends string>(list: Apart<R>[], reason: R, key: string): void {
    const a = list.find((x) => x.reason === reason) as Apart<R>;
    a.count++;
    if (a.samples.length < this.samples) a.samples.push(key);
  }

  add(keys: readonly string[]): void {
    const { ruleMatchers, options } = this;
    for (const key of keys) {
      this.total++;
      // Not an OSS key (`/lead.jpg`): no object has it, so it is neither protected nor exposed.
      const bad = invalidKey(key);
      if (bad !== undefined) {
        this.setApart(this.invalid, bad, key);
        continue;
      }
      let hits = 0;
      let last: Tally | undefined;
      let first = -1;
      for (let i = 0; i < ruleMatchers.length; i++) {
        if ((ruleMatchers[i] as CompiledPolicy).isProtected(key, options)) {
          last = this.rules[i] as Tally;
          this.hit(last, key);
          hits++;
          if (first === -1) first = i;
        }
      }
      const m = this.extensionMatcher?.match(key, options);
      if (m !== undefined) {
        const e = m.kind === 'extension' ? (this.extensionIndex.get(m.extension) as number) : 0;
        last = m.kind === 'extension' ? (this.extensions[e] as Tally) : (this.wildcard as Tally);
        this.hit(last, key);
        hits++;
        if (first === -1) first = ruleMatchers.length + e;
      }
      if (hits === 1) (last as Tally).only++;
      const isProtected = this.full.isProtected(key, options);
      if (isProtected) this.protected++;
      else if (this.unprotected.length < this.samples) this.unprotected.push(key);
      if (isProtected) this.tree?.add(key, 0, first === -1 ? undefined : first);
      else this.tree?.add(key, 1);
      const why = unreachable(key, isProtected, this.policy, this.full, options);
      if (why !== undefined) this.setApart(this.unreachable, why, key);
    }
  }
}

/** Labels of the tests, numbered as {@link Auditor} gives them to the folder tree. */
function testLabels(policy: Policy): string[] {
  return [
    ...policy.rules.map((r, i) => `rule ${i} (${describeRule(r)})`),
    ...(policy.extensions[0] === '*'
      ? ['extensions * (every image)']
      : policy.extensions.map((e) => `extension ${e}`)),
  ];
}

function report(a: Auditor, contentType: string | undefined) {
  const { policy } = a;
  const invalid = a.invalid.reduce((n, x) => n + x.count, 0);
  const listed = <R extends string>(list: Apart<R>[]) => list.filter((x) => x.count > 0);
  return {
    total: a.total,
    protected: a.protected,
    unprotected: a.total - a.protected - invalid,
    invalid: { count: invalid, reasons: listed(a.invalid) },
    unreachable: {
      count: a.unreachable.reduce((n, x) => n + x.count, 0),
      reasons: listed(a.unreachable),
    },
    rules: a.rules.map((t, index) => ({
      index,
      rule: policy.rules[index] as ProtectionRule,
      ...t,
    })),
    extensions: a.extensions.map((t, i) => ({ extension: policy.extensions[i] as string, ...t })),
    wildcard: a.wildcard === undefined ? null : { contentType: contentType ?? null, ...a.wildcard },
    unprotectedSamples: a.unprotected,
  };
}

function print(a: Auditor, r: ReturnType<typeof report>, paint: Paint, intro: string) {
  const tests: [string, Tally][] = [
    ...r.rules.map((t): [string, Tally] => [
      `rule ${t.index}  ${describeRule(t.rule as ProtectionRule)}`,
      t,
    ]),
    ...r.extensions.map((t): [string, Tally] => [`extension ${t.extension}`, t]),
    ...(a.wildcard === undefined ? [] : [['extensions *', a.wildcard] as [string, Tally]]),
  ];
  const n = (v: number, w: number) => count(v).padStart(w);
  const w = Math.max(8, count(r.total).length);
  let out = `${intro}\n\n`;
  out += `${paint.bold('protected')}    ${n(r.protected, w)}  ${percent(r.protected, r.total)}\n`;
  out += `${paint.bold('unprotected')}  ${n(r.unprotected, w)}  ${percent(r.unprotected, r.total)}\n`;
  if (r.invalid.count > 0)
    out += `${paint.bold('invalid')}      ${n(r.invalid.count, w)}  ${percent(r.invalid.count, r.total)}  not OSS object keys, counted apart\n`;
  if (tests.length > 0) {
    const rows = [
      ['protects'.padStart(w), 'only'.padStart(w), 'test'],
      ...tests.map(([label, t]) => [n(t.matches, w), n(t.only, w), label]),
    ];
    out += `\n${columns(rows, (row, _c, text) => (row === 0 ? paint.dim(text) : text)).join('\n')}\n`;
  }
  const reasonRows = <R extends string>(list: readonly Apart<R>[], text: Record<R, string>) =>
    columns(list.map((x) => [n(x.count, w), x.reason, paint.dim(text[x.reason])]))
      .map((line) => `${line}\n`)
      .join('');
  if (r.unreachable.count > 0)
    out += `\n${paint.bold(`keys a raw URL cannot reach: ${count(r.unreachable.count)}`)}\n${reasonRows(r.unreachable.reasons, UNREACHABLE_REASON_TEXT)}`;
  if (r.invalid.count > 0)
    out += `\n${paint.bold(`invalid keys: ${count(r.invalid.count)}`)}\n${reasonRows(r.invalid.reasons, INVALID_REASON_TEXT)}`;
  const groups: [string, string[]][] = [
    ...tests.map(([label, t]): [string, string[]] => [label, t.samples]),
    ['unprotected', r.unprotectedSamples],
    ...r.unreachable.reasons.map((x): [string, string[]] => [
      `unreachable (${x.reason})`,
      x.samples,
    ]),
    ...r.invalid.reasons.map((x): [string, string[]] => [`invalid (${x.reason})`, x.samples]),
  ];
  if (groups.some(([, samples]) => samples.length > 0)) {
    out += `\n${paint.dim(`samples (first ${a.samples} of each)`)}\n`;
    for (const [label, samples] of groups)
      if (samples.length > 0)
        out += `  ${label}\n${samples.map((s) => `    ${quote(s)}\n`).join('')}`;
  }
  process.stdout.write(out);
}

async function writePage(
  file: ReportFile,
  document: Parameters<typeof renderAuditPage>[0],
  tree: FolderTree,
  policy: Policy,
  source: string,
): Promise<void> {
  const page = renderAuditPage(
    document,
    { tree, tests: testLabels(policy) },
    { listing: inputLabel(source) },
    { invalid: INVALID_REASON_TEXT, unreachable: UNREACHABLE_REASON_TEXT },
  );
  await file.write(page);
}

export const audit = defineCommand({
  name: 'audit',
  summary: 'count the keys of a listing each rule and extension protects',
  help: HELP,
  options: {
    policy: { type: 'string' },
    samples: { type: 'string' },
    'content-type': { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
  },
  async run({ values, positionals }) {
    if (values.policy === undefined) throw new UsageError('audit needs --policy FILE', 'audit');
    const samples =
      values.samples === undefined ? 5 : parseCount(values.samples, '--samples', 'audit');
    const format = listingFormat(values.format, 'audit');
    const source = listingSource(positionals, 'audit');
    if (source === '-' && values.policy === '-')
      throw new UsageError('standard input (-) can be read only once', 'audit');
    const policy = await loadPolicy(values.policy);
    const contentType = values['content-type'];
    const html =
      values.html === undefined
        ? undefined
        : await openReportFile(values.html, 'audit', [values.policy, source]);
    const tree = html === undefined ? undefined : new FolderTree(2);
    const auditor = new Auditor(
      policy,
      samples,
      contentType === undefined ? undefined : { contentType },
      tree,
    );

    const progress = new Progress(process.stderr, 'audit');
    const started = performance.now();
    const stats = await readListing(source, format, (keys) => {
      auditor.add(keys);
      progress.update(auditor.total);
    }).catch(async (error: unknown) => {
      await html?.discard();
      throw error;
    });
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const keysPerSecond = Math.round(stats.keys / Math.max(seconds, 1e-6));

    const r = report(auditor, contentType);
    const document = {
      policy: values.policy,
      format: stats.format,
      ...r,
      skippedLines: stats.skipped,
    };
    if (html !== undefined) await writePage(html, document, tree as FolderTree, policy, source);
    if (values.json) {
      writeJson({
        ...document,
        timing: { seconds: Number(seconds.toFixed(3)), keysPerSecond },
      });
    } else {
      const skipped = stats.skipped === 0 ? '' : `, ${count(stats.skipped)} lines skipped`;
      const intro = `policy ${quote(values.policy)}: ${count(stats.keys)} keys (${stats.format} listing${skipped})`;
      print(auditor, r, paintFor(process.stdout), intro);
      process.stderr.write(
        `oss-source-guard: audited ${count(stats.keys)} keys in ${seconds.toFixed(2)} s (${count(keysPerSecond)} keys/s)\n`,
      );
    }
    return 0;
  },
});
