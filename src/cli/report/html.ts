/**
 * The `audit --html` and `diff --html` pages: one self-contained file each (inline CSS and SVG,
 * no script, no external asset; a Content-Security-Policy forbids any request), with the report's
 * counts, the picture of the key space by folder, the tables and the samples.
 *
 * Every count that is also in the `--json` report is a `<data value="N" data-count="PATH">`
 * element, PATH being its place in that report (`protected`, `rules.0.only`,
 * `newlyExposed.count`), so a tool or test can compare the two.
 */
import type { ProtectionMatch, ProtectionRule } from '../../index.js';
import { count, describeMatch, describeRule, percent, quote } from '../output.js';
import { escapeHtml } from './escape.js';
import { type Category, ICICLE_CSS, renderIcicle } from './icicle.js';
import { type DisplayLimits, type DisplayNode, displayTree, type FolderTree } from './tree.js';

/** A test's counts as in the audit report. */
interface Tally {
  readonly matches: number;
  readonly only: number;
  readonly samples: readonly string[];
}

/** Keys set apart for a reason, as in the audit report. */
interface Apart {
  readonly count: number;
  readonly reasons: readonly {
    readonly reason: string;
    readonly count: number;
    readonly samples: readonly string[];
  }[];
}

/** The audit report (the `--json` document), as the page reads it. */
export interface AuditReport {
  readonly policy: string;
  readonly format: string;
  readonly total: number;
  readonly protected: number;
  readonly unprotected: number;
  readonly invalid: Apart;
  readonly unreachable: Apart;
  readonly rules: readonly ({ readonly index: number; readonly rule: ProtectionRule } & Tally)[];
  readonly extensions: readonly ({ readonly extension: string } & Tally)[];
  readonly wildcard: ({ readonly contentType: string | null } & Tally) | null;
  readonly unprotectedSamples: readonly string[];
  readonly skippedLines: number;
}

/** The diff report (the `--json` document), as the page reads it. */
export interface DiffReport {
  readonly from: string;
  readonly to: string;
  readonly format: string;
  readonly total: number;
  readonly protectedBefore: number;
  readonly protectedAfter: number;
  readonly newlyProtected: Change;
  readonly newlyExposed: Change;
  readonly skippedLines: number;
  readonly exposureAllowed: boolean;
}

interface Change {
  readonly count: number;
  readonly samples: readonly { readonly key: string; readonly match: ProtectionMatch }[];
}

/** The folder picture: the tree counted while reading and the labels of its tests. */
export interface Picture {
  readonly tree: FolderTree;
  /** Label of each protecting test, by the index given to {@link FolderTree.add}. */
  readonly tests: readonly string[];
  /** How much of the tree is drawn; see {@link displayTree}. */
  readonly limits?: DisplayLimits;
}

/** What the page says about its input besides the report. */
export interface PageContext {
  /** The listing read: a file name or `<stdin>`. */
  readonly listing: string;
}

/** Colours from Okabe and Ito's palette, told apart with every common colour-vision deficiency. */
export const AUDIT_CATEGORIES: readonly Category[] = [
  { label: 'protected', colour: '#0072B2' },
  { label: 'unprotected', colour: '#E69F00' },
];

/** The diff page's categories, in the order {@link FolderTree.add} takes them. */
export const DIFF_CATEGORIES: readonly Category[] = [
  { label: 'newly protected', colour: '#0072B2' },
  { label: 'newly exposed', colour: '#D55E00' },
  { label: 'still protected', colour: '#56B4E9' },
  { label: 'still unprotected', colour: '#D9D9D9' },
];

const CSS = `
:root{color-scheme:light;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
body{margin:0 auto;max-width:1160px;padding:16px}
h1{font-size:1.35rem;margin:.2em 0;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:1px solid #d0d0d0}
h3{font-size:1rem;margin:1.1em 0 .4em;overflow-wrap:anywhere}
p{margin:.4em 0}
.meta,.note{color:#555;overflow-wrap:anywhere}
.note{font-size:.9rem}
.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0;padding:0;list-style:none}
.counts li{border:1px solid #d0d0d0;border-radius:6px;padding:8px 10px}
.counts data{display:block;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.counts .pc{color:#555;font-size:.85rem}
.alert{border-left:4px solid #D55E00;padding:4px 10px;background:#fbeee6}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0;padding:0;list-style:none;font-size:.9rem}
.legend span{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:6px;border:1px solid #888}
.scroll{overflow-x:auto}
table{border-collapse:collapse;min-width:min(100%,560px);font-size:.92rem}
th,td{padding:4px 8px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}
th{font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nw{white-space:nowrap}
code{font:.88rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
ul.keys{margin:.2em 0 .8em;padding-left:1.2em}
details{margin:.6em 0}
summary{cursor:pointer}
`;

/** `<data value="N" data-count="PATH">N formatted</data>`. */
const num = (path: string, value: number): string =>
  `<data value="${value}" data-count="${escapeHtml(path)}">${count(value)}</data>`;

const text = (s: string) => escapeHtml(s);
const key = (s: string) => `<code>${escapeHtml(quote(s))}</code>`;

function page(title: string, body: string, categories: readonly Category[]): string {
  const palette = categories.map((c, i) => `.c${i}{fill:${c.colour}}`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="oss-source-guard">
<title>${text(title)}</title>
<style>${CSS}${ICICLE_CSS}${palette}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function card(label: string, path: string, value: number, of?: number): string {
  const share = of === undefined ? '' : ` <span class="pc">${percent(value, of)}</span>`;
  return `<li>${text(label)}${num(path, value)}${share}</li>`;
}

function legend(categories: readonly Category[]): string {
  return `<ul class="legend">${categories
    .map((c) => `<li><span style="background:${c.colour}"></span>${text(c.label)}</li>`)
    .join('')}</ul>`;
}

/** What was aggregated, in words. */
function aggregationNotes(picture: Picture, shown: DisplayNode, extra: readonly string[]): string {
  const { tree } = picture;
  const stats = tree.stats;
  const perParent = picture.limits?.perParent ?? 12;
  const perLevel = picture.limits?.perLevel ?? 48;
  const notes = [
    `Folders are drawn ${stats.depth} level${stats.depth === 1 ? '' : 's'} deep, each as wide as its share of its parent's keys.` +
      (stats.deeper > 0
        ? ` ${count(stats.deeper)} keys lie deeper and are counted in their folder on level ${stats.depth}.`
        : ''),
    `At most ${perParent} folders are drawn under one folder and ${perLevel} on one level; the smaller ones are merged into one “other” area.`,
    ...stats.merged.flatMap((n, i) =>
      n === 0
        ? []
        : [
            `While reading, ${count(n)} folder${n === 1 ? '' : 's'} on level ${i + 1} ${n === 1 ? 'was' : 'were'} merged into “other” to keep memory bounded (at most ${count(stats.capacity)} folders per level are held).`,
          ],
    ),
    ...(tree.approximate
      ? [
          'The listing is not in key order, so a folder merged while reading may have been counted afresh when its keys came back: such a folder’s count may be low and its “other” high. Totals are exact.',
        ]
      : []),
    ...extra,
  ];
  const folders = countFolders(shown);
  return `<p class="note">${count(folders)} areas drawn. Hover or long-press an area for its counts and the tests that protect it.</p><ul class="note">${notes
    .map((n) => `<li>${text(n)}</li>`)
    .join('')}</ul>`;
}

function countFolders(node: DisplayNode): number {
  return 1 + node.children.reduce((n, c) => n + countFolders(c), 0);
}

/** A table of the drawn folders, for reading without hovering (and for screen readers). */
function folderTable(root: DisplayNode, categories: readonly Category[], tests: readonly string[]) {
  const rows: string[] = [];
  const walk = (node: DisplayNode) => {
    if (node.depth > 0) {
      const name =
        node.kind === 'folder'
          ? key(node.path)
          : node.kind === 'other'
            ? `<em>other</em>: ${count(node.folders)} folders in ${node.path === '' ? 'the root' : key(node.path)}`
            : `<em>keys directly in</em> ${node.path === '' ? 'the root' : key(node.path)}`;
      const by = node.tests
        .slice(0, 3)
        .map(([t, n]) => `${text(tests[t] ?? '?')} (${count(n)})`)
        .join('; ');
      rows.push(
        `<tr><td>${name}</td><td class="n">${count(node.total)}</td>${node.counts
          .map((n) => `<td class="n">${count(n)}</td>`)
          .join('')}<td>${by}${node.tests.length > 3 ? '; …' : ''}</td></tr>`,
      );
    }
    for (const c of node.children) walk(c);
  };
  walk(root);
  if (rows.length === 0) return '';
  return `<details><summary>The drawn areas as a table (${rows.length} rows)</summary><div class="scroll"><table>
<thead><tr><th>folder</th><th class="n">keys</th>${categories
    .map((c) => `<th class="n">${text(c.label)}</th>`)
    .join(
      '',
    )}<th>protected by</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div></details>`;
}

function pictureSection(
  picture: Picture,
  shown: DisplayNode,
  categories: readonly Category[],
  shareOf: number,
  intro: string,
  extraNotes: readonly string[],
): string {
  const options = { categories, tests: picture.tests, rootLabel: 'all keys', shareOf };
  const svg =
    shown.total === 0
      ? '<p>No keys to draw.</p>'
      : renderIcicle(shown, options) + folderTable(shown, categories, picture.tests);
  return `<section><h2>Keys by folder</h2><p>${text(intro)}</p>${legend(categories)}${svg}${aggregationNotes(picture, shown, extraNotes)}</section>`;
}

function samples(groups: readonly (readonly [label: string, keys: readonly string[]])[]): string {
  const shown = groups.filter(([, keys]) => keys.length > 0);
  if (shown.length === 0) return '';
  return `<section><h2>Samples</h2>${shown
    .map(
      ([label, keys]) =>
        `<h3>${text(label)}</h3><ul class="keys">${keys.map((k) => `<li>${key(k)}</li>`).join('')}</ul>`,
    )
    .join('')}</section>`;
}

function testTable(
  caption: string,
  head: string,
  rows: readonly (readonly [label: string, path: string, t: Tally])[],
): string {
  if (rows.length === 0) return '';
  return `<h3>${text(caption)}</h3><div class="scroll"><table><thead><tr><th>${text(head)}</th><th class="n">protects</th><th class="n">only</th></tr></thead><tbody>${rows
    .map(
      ([label, path, t]) =>
        `<tr><td>${label}</td><td class="n">${num(`${path}.matches`, t.matches)}</td><td class="n">${num(`${path}.only`, t.only)}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
}

function apartTable(title: string, path: string, apart: Apart, meaning: Record<string, string>) {
  if (apart.count === 0) return '';
  return `<h3>${text(title)}: ${num(`${path}.count`, apart.count)}</h3><div class="scroll"><table><thead><tr><th>reason</th><th class="n">keys</th><th>meaning</th></tr></thead><tbody>${apart.reasons
    .map(
      (r, i) =>
        `<tr><td><code class="nw">${text(r.reason)}</code></td><td class="n">${num(`${path}.reasons.${i}.count`, r.count)}</td><td>${text(meaning[r.reason] ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table></div>`;
}

/** Texts for the reasons keys are set apart (the CLI's own, passed in to keep one source). */
export interface ReasonTexts {
  readonly invalid: Record<string, string>;
  readonly unreachable: Record<string, string>;
}

/**
 * The `audit --html` page.
 *
 * @example
 * const html = renderAuditPage(report, { tree, tests: ['rule 0 (prefix "image/")'] },
 *   { listing: 'keys.txt' }, reasons);
 * await writeFile('audit.html', html);
 */
export function renderAuditPage(
  r: AuditReport,
  picture: Picture,
  context: PageContext,
  reasons: ReasonTexts,
): string {
  const title = `Audit of ${quote(context.listing)} under ${quote(r.policy)}`;
  const counts = [
    card('keys', 'total', r.total),
    card('protected', 'protected', r.protected, r.total),
    card('unprotected', 'unprotected', r.unprotected, r.total),
    card('invalid (not OSS keys)', 'invalid.count', r.invalid.count, r.total),
    card('unreachable by a raw URL', 'unreachable.count', r.unreachable.count, r.total),
    card('lines skipped', 'skippedLines', r.skippedLines),
  ].join('');
  const tests =
    testTable(
      'Rules',
      'rule',
      r.rules.map((t, i) => [
        `${t.index}: <code>${text(describeRule(t.rule))}</code>`,
        `rules.${i}`,
        t,
      ]),
    ) +
    testTable(
      'Extensions',
      'extension',
      r.extensions.map((t, i) => [`<code>${text(t.extension)}</code>`, `extensions.${i}`, t]),
    ) +
    (r.wildcard === null
      ? ''
      : testTable('Extensions: every image', 'test', [
          [
            `<code>*</code> (Content-Type ${r.wildcard.contentType === null ? 'not given' : key(r.wildcard.contentType)})`,
            'wildcard',
            r.wildcard,
          ],
        ]));
  const body = `<header><h1>${text(title)}</h1>
<p class="meta">${text(`${r.format} listing; made by oss-source-guard audit`)}</p></header>
<section><h2>Counts</h2><ul class="counts">${counts}</ul>
<p class="note">protected + unprotected + invalid = keys. A test counts every key it matches, so the “protects” column can add up to more than the protected count; “only” counts the keys that test alone protects (exposed if it were removed).</p></section>
${pictureSection(
  picture,
  displayTree(picture.tree, picture.limits),
  AUDIT_CATEGORIES,
  0,
  'Each area is a folder, as wide as its share of its parent’s keys; its colours split it into protected and unprotected keys. Each box gives its keys and the share protected.',
  r.invalid.count === 0
    ? []
    : [
        `${count(r.invalid.count)} invalid key${r.invalid.count === 1 ? ' is' : 's are'} not drawn: the picture shows ${count(r.total - r.invalid.count)} keys.`,
      ],
)}
<section><h2>Tests</h2>${tests === '' ? '<p>The policy has no rule and no extension: it protects nothing.</p>' : tests}
${apartTable('Keys a raw URL cannot reach', 'unreachable', r.unreachable, reasons.unreachable)}
${apartTable('Invalid keys', 'invalid', r.invalid, reasons.invalid)}</section>
${samples([
  ...r.rules.map((t): [string, readonly string[]] => [
    `rule ${t.index}: ${describeRule(t.rule)}`,
    t.samples,
  ]),
  ...r.extensions.map((t): [string, readonly string[]] => [`extension ${t.extension}`, t.samples]),
  ...(r.wildcard === null ? [] : [['extensions *', r.wildcard.samples] as const]),
  ['unprotected', r.unprotectedSamples],
  ...r.unreachable.reasons.map((x): [string, readonly string[]] => [
    `unreachable (${x.reason})`,
    x.samples,
  ]),
  ...r.invalid.reasons.map((x): [string, readonly string[]] => [
    `invalid (${x.reason})`,
    x.samples,
  ]),
])}`;
  return page(title, body, AUDIT_CATEGORIES);
}

/** Keys per test among the root's protected keys, for one label prefix (`now `, `was `). */
function byTest(root: DisplayNode, tests: readonly string[], prefix: string) {
  return root.tests
    .filter(([t]) => (tests[t] ?? '').startsWith(prefix))
    .map(([t, n]) => [(tests[t] as string).slice(prefix.length), n] as const);
}

/**
 * The `diff --html` page. The picture's tests are labelled `now …` (what protects a newly
 * protected key), `was …` (what protected a newly exposed key) and `still …`.
 *
 * @example
 * const html = renderDiffPage(report, { tree, tests }, { listing: 'keys.txt' });
 */
export function renderDiffPage(r: DiffReport, picture: Picture, context: PageContext): string {
  const title = `Policy change ${quote(r.from)} → ${quote(r.to)} on ${quote(context.listing)}`;
  const counts = [
    card('keys', 'total', r.total),
    card('protected before', 'protectedBefore', r.protectedBefore, r.total),
    card('protected after', 'protectedAfter', r.protectedAfter, r.total),
    card('newly protected', 'newlyProtected.count', r.newlyProtected.count, r.total),
    card('newly exposed', 'newlyExposed.count', r.newlyExposed.count, r.total),
    card('lines skipped', 'skippedLines', r.skippedLines),
  ].join('');
  const exposed = r.newlyExposed.count;
  const verdict =
    exposed === 0
      ? '<p>No key becomes public.</p>'
      : `<p class="alert">${text(`${count(exposed)} key${exposed === 1 ? '' : 's'} would become public.`)} ${
          r.exposureAllowed ? 'Accepted with --allow-exposure.' : 'The diff command fails (exit 1).'
        }</p>`;
  const root = displayTree(picture.tree, picture.limits);
  const table = (caption: string, prefix: string) => {
    const rows = byTest(root, picture.tests, prefix);
    if (rows.length === 0) return '';
    return `<h3>${text(caption)}</h3><div class="scroll"><table><thead><tr><th>test</th><th class="n">keys</th></tr></thead><tbody>${rows
      .map(([label, n]) => `<tr><td>${text(label)}</td><td class="n">${count(n)}</td></tr>`)
      .join('')}</tbody></table></div>`;
  };
  const tables =
    table('Newly protected, by the test of the new policy that protects them', 'now ') +
    table('Newly exposed, by the test of the old policy that protected them', 'was ') +
    table('Still protected, by the test of the new policy', 'still ');
  const sampleList = (label: string, change: Change, tag: string) =>
    change.samples.length === 0
      ? ''
      : `<h3>${text(label)}</h3><ul class="keys">${change.samples
          .map(
            (s) =>
              `<li>${key(s.key)} <span class="note">${text(`${tag} ${describeMatch(s.match)}`)}</span></li>`,
          )
          .join('')}</ul>`;
  const sampleSection =
    sampleList('newly protected (anonymous links to them will break)', r.newlyProtected, 'now') +
    sampleList('newly exposed (their originals become public)', r.newlyExposed, 'was');
  const body = `<header><h1>${text(title)}</h1>
<p class="meta">${text(`${r.format} listing; made by oss-source-guard diff`)}</p></header>
<section><h2>Counts</h2><ul class="counts">${counts}</ul>${verdict}</section>
${pictureSection(
  picture,
  root,
  DIFF_CATEGORIES,
  1,
  'Each area is a folder, as wide as its share of its parent’s keys; its colours show what the change does to its keys. Each box gives its keys and the share newly exposed.',
  [],
)}
<section><h2>Tests</h2>${tables === '' ? '<p>No key is protected under either policy.</p>' : tables}</section>
${sampleSection === '' ? '' : `<section><h2>Samples</h2>${sampleSection}</section>`}`;
  return page(title, body, DIFF_CATEGORIES);
}
