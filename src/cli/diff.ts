/**
 * `diff --from OLD.json --to NEW.json [KEYS_FILE|-]`: what a policy change does to a bucket's
 * keys. Newly protected keys are anonymous links that will break; newly exposed keys are originals
 * that become public, which fails the command (a CI gate) unless `--allow-exposure`.
 */
import { compilePolicy, type MatchOptions, type ProtectionMatch } from '../index.js';
import { defineCommand, parseCount, writeJson } from './args.js';
import { UsageError } from './errors.js';
import { inputLabel, loadPolicy } from './files.js';
import { listingFormat, listingSource, readListing } from './keys.js';
import { columns, count, describeMatch, Progress, paintFor, quote } from './output.js';
import { openReportFile } from './report/file.js';
import { renderDiffPage } from './report/html.js';
import { FolderTree } from './report/tree.js';

const HELP = `Usage: oss-source-guard diff --from OLD.json --to NEW.json [options] [KEYS_FILE|-]

Read object keys, one per line or as printed by "ossutil ls", and report which keys the change
from OLD to NEW newly protects (anonymous links to them will break) and which it newly exposes
(their originals become public), with counts and samples. Without KEYS_FILE, reads standard
input when it is piped.

Options:
  --from FILE            The current policy (JSON); required
  --to FILE              The proposed policy (JSON); required
  --allow-exposure       Exit 0 even when keys become exposed
  --samples N            Sample keys shown for each change (default 5)
  --content-type TYPE    The objects' Content-Type (for extensions ["*"])
  --format FORMAT        auto (default: from the first line), keys, or ossutil
  --json                 Print the report as JSON (see docs/cli.md)
  --html FILE            Also write the report as one self-contained HTML page, with a
                         picture of what the change protects and exposes by folder
  -h, --help             Show this help

Exit status: 0 nothing becomes exposed (or --allow-exposure), 1 keys become exposed, 2 usage or
input error.`;

interface Change {
  count: number;
  samples: string[];
}

/**
 * Numbers for the tests the `--html` picture names (`now rule 0 (…)`, `was extension jpg`), in
 * the order first seen; the label is built once per test, not once per key.
 */
class TestLabels {
  readonly labels: string[] = [];
  private readonly ids = new Map<string, number>();

  id(tag: 'now' | 'was' | 'still', match: ProtectionMatch): number {
    const name = `${tag} ${match.kind === 'rule' ? match.index : match.kind === 'extension' ? `.${match.extension}` : '*'}`;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.labels.push(`${tag} ${describeMatch(match)}`) - 1;
      this.ids.set(name, id);
    }
    return id;
  }
}

/** The picture's categories, in the order of the page's legend (`DIFF_CATEGORIES`). */
const NEWLY_PROTECTED = 0;
const NEWLY_EXPOSED = 1;
const STILL_PROTECTED = 2;
const STILL_UNPROTECTED = 3;

/** A sample key and the test that protects it (after) or protected it (before). */
interface Sample {
  readonly key: string;
  readonly match: ProtectionMatch;
}

export const diff = defineCommand({
  name: 'diff',
  summary: 'which keys a policy change newly protects or exposes',
  help: HELP,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    'allow-exposure': { type: 'boolean' },
    samples: { type: 'string' },
    'content-type': { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
  },
  async run({ values, positionals }) {
    const { from, to } = values;
    if (from === undefined || to === undefined)
      throw new UsageError('diff needs --from OLD.json and --to NEW.json', 'diff');
    if (from === '-' && to === '-')
      throw new UsageError('standard input (-) can be read only once', 'diff');
    const samples =
      values.samples === undefined ? 5 : parseCount(values.samples, '--samples', 'diff');
    const format = listingFormat(values.format, 'diff');
    const source = listingSource(positionals, 'diff');
    if (source === '-' && (from === '-' || to === '-'))
      throw new UsageError('standard input (-) can be read only once', 'diff');
    const before = compilePolicy(await loadPolicy(from));
    const after = compilePolicy(await loadPolicy(to));
    const contentType = values['content-type'];
    const opts: MatchOptions | undefined = contentType === undefined ? undefined : { contentType };
    const html =
      values.html === undefined
        ? undefined
        : await openReportFile(values.html, 'diff', [from, to, source]);
    const tree = html === undefined ? undefined : new FolderTree(4);
    const tests = new TestLabels();
    /** The key's place in the picture: its category, and what protects it (or did). */
    const draw = (tree: FolderTree, key: string, was: boolean, is: boolean) => {
      const m = (p: typeof before) => p.match(key, opts) as ProtectionMatch;
      if (was && is) tree.add(key, STILL_PROTECTED, tests.id('still', m(after)));
      else if (is) tree.add(key, NEWLY_PROTECTED, tests.id('now', m(after)));
      else if (was) tree.add(key, NEWLY_EXPOSED, tests.id('was', m(before)));
      else tree.add(key, STILL_UNPROTECTED);
    };

    let total = 0;
    let protectedBefore = 0;
    let protectedAfter = 0;
    const newlyProtected: Change = { count: 0, samples: [] };
    const newlyExposed: Change = { count: 0, samples: [] };
    const progress = new Progress(process.stderr, 'diff');
    const stats = await readListing(source, format, (keys) => {
      for (const key of keys) {
        const was = before.isProtected(key, opts);
        const is = after.isProtected(key, opts);
        total++;
        if (was) protectedBefore++;
        if (is) protectedAfter++;
        if (tree !== undefined) draw(tree, key, was, is);
        const change = was === is ? undefined : is ? newlyProtected : newlyExposed;
        if (change === undefined) continue;
        change.count++;
        if (change.samples.length < samples) change.samples.push(key);
      }
      progress.update(total);
    }).catch(async (error: unknown) => {
      await html?.discard();
      throw error;
    });
    progress.done();

    // Samples say why: the test that now protects a key, or the one that used to.
    const explain = (keys: string[], policy: typeof before): Sample[] =>
      keys.map((key) => ({ key, match: policy.match(key, opts) as ProtectionMatch }));
    const protectedSamples = explain(newlyProtected.samples, after);
    const exposedSamples = explain(newlyExposed.samples, before);
    const fail = newlyExposed.count > 0 && !values['allow-exposure'];

    const document = {
      from,
      to,
      format: stats.format,
      total,
      protectedBefore,
      protectedAfter,
      newlyProtected: { count: newlyProtected.count, samples: protectedSamples },
      newlyExposed: { count: newlyExposed.count, samples: exposedSamples },
      skippedLines: stats.skipped,
      exposureAllowed: values['allow-exposure'] === true,
    };
    if (html !== undefined)
      await html.write(
        renderDiffPage(
          document,
          { tree: tree as FolderTree, tests: tests.labels },
          { listing: inputLabel(source) },
        ),
      );
    if (values.json) {
      writeJson(document);
    } else {
      const paint = paintFor(process.stdout);
      const section = (title: string, change: Change, list: Sample[], note: string, tag: string) =>
        `${paint.bold(`${title}: ${count(change.count)}`)}${change.count === 0 ? '' : ` (${note})`}\n` +
        columns(list.map((s) => [quote(s.key), paint.dim(`${tag} ${describeMatch(s.match)}`)]))
          .map((line) => `    ${line}\n`)
          .join('');
      const skipped = stats.skipped === 0 ? '' : `, ${count(stats.skipped)} lines skipped`;
      const exposed = section(
        'newly exposed',
        newlyExposed,
        exposedSamples,
        'these originals become public',
        'was',
      );
      process.stdout.write(
        `${quote(from)} → ${quote(to)}: ${count(total)} keys (${stats.format} listing${skipped})\n` +
          `protected before ${count(protectedBefore)}, after ${count(protectedAfter)}\n\n` +
          section(
            'newly protected',
            newlyProtected,
            protectedSamples,
            'anonymous links to these originals will break',
            'now',
          ) +
          (newlyExposed.count > 0 ? paint.red(exposed) : exposed),
      );
    }
    if (fail)
      process.stderr.write(
        `oss-source-guard: ${count(newlyExposed.count)} key${newlyExposed.count === 1 ? '' : 's'} would become public; pass --allow-exposure to accept\n`,
      );
    return fail ? 1 : 0;
  },
});
