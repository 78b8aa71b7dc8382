/**
 * The picture of the key space: an icicle in SVG. The bucket is the top row; each row below holds
 * the folders one level deeper, each under its parent and as wide as its share of the parent's
 * keys, filled left to right with the share of each category (protected, unprotected…).
 *
 * Every node is a nested `<svg>` placed in percentages: it stretches with the page while its text
 * keeps its size, and the nested viewport clips anything that would spill over. A label is laid
 * out for each of three page widths, shortened to fit the narrowest page of its range, and media
 * queries show the one for the current width: labels never overlap, at 390 px as on a desktop,
 * without a script.
 */
import { count, percent, quote } from '../output.js';
import { escapeHtml } from './escape.js';
import type { DisplayNode } from './tree.js';

/** One kind of key in the picture, with its colour (a CSS class `c<index>` on the page). */
export interface Category {
  /** Short label for the legend and titles: `protected`. */
  readonly label: string;
  /** Fill colour, CSS syntax. */
  readonly colour: string;
}

/** What the picture shows besides the tree. */
export interface IcicleOptions {
  readonly categories: readonly Category[];
  /** Label of each protecting test, by the index the tree was given. */
  readonly tests: readonly string[];
  /** Label of the top row. @default 'all keys' */
  readonly rootLabel?: string;
  /** The category whose share each box states (audit: protected). @default 0 */
  readonly shareOf?: number;
}

/** Height of a row, in CSS pixels. */
export const ROW = 44;
const GAP = 2;

/**
 * How a node is named on the page and in its tooltip.
 *
 * @example
 * nodeName(folder);   // 'image/2024/'
 * nodeName(other);    // '12 smaller folders in image/'
 * nodeName(files);    // 'keys directly in the bucket root'
 */
export function nodeName(node: DisplayNode, rootLabel = 'all keys'): string {
  if (node.kind === 'other')
    return `${count(node.folders)} smaller folder${node.folders === 1 ? '' : 's'} in ${place(node.path)}`;
  if (node.kind === 'files') return `keys directly in ${place(node.path)}`;
  return node.path === '' ? rootLabel : quote(node.path);
}

const place = (path: string) => (path === '' ? 'the bucket root' : quote(path));

/** The box's short label: the last folder name, `other (12)`, `files`. */
function shortName(node: DisplayNode): string {
  if (node.kind === 'other') return `other (${count(node.folders)})`;
  if (node.kind === 'files') return 'keys here';
  return `${quote(node.name)}/`;
}

/**
 * The tooltip: where, how many keys, each category's share, and the tests that protect them
 * (the six largest).
 *
 * @example
 * nodeTitle(node, { categories: AUDIT_CATEGORIES, tests: ['rule 0 (prefix "image/")'] });
 * // 'image/: 10 keys\nprotected: 5 (50.0%)\nunprotected: 5 (50.0%)\nprotected by:\n  rule 0 …: 5'
 */
export function nodeTitle(node: DisplayNode, options: IcicleOptions): string {
  const lines = [`${nodeName(node, options.rootLabel)}: ${count(node.total)} keys`];
  options.categories.forEach((c, i) => {
    const n = node.counts[i] as number;
    if (n > 0) lines.push(`${c.label}: ${count(n)} (${percent(n, node.total)})`);
  });
  const shown = node.tests.slice(0, 6);
  if (shown.length > 0) {
    lines.push('protected by:');
    for (const [test, n] of shown) lines.push(`  ${options.tests[test] ?? '?'}: ${count(n)}`);
    if (node.tests.length > shown.length)
      lines.push(`  and ${node.tests.length - shown.length} more tests`);
  }
  return lines.join('\n');
}

const pct = (fraction: number) => `${Number((fraction * 100).toFixed(4))}%`;

/**
 * The narrowest picture (CSS pixels) of each range of page widths labels are laid out for: below
 * 700 px (a 390 px phone), 700 to 1159 px, and 1160 px up (the page's max-width, less padding).
 * {@link ICICLE_CSS} shows the text laid out for the range the page is in (class `rAB`: ranges A
 * to B).
 */
const TIERS = [358, 668, 1128] as const;
const MIN_LABEL = 24;
/** Generous average glyph widths (px) of the two label lines, so a shortened label fits. */
const NAME_PX = 7.2;
const COUNT_PX = 6.6;

/** The icicle's style: colours come from the page (`.c0`, `.c1`…). */
export const ICICLE_CSS = `
.icicle{display:block;overflow:visible}
.icicle .edge{fill:none;stroke:#fff;stroke-width:1.2}
.icicle text{font-size:11px;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.icicle .name{font-size:12px;font-weight:600}
.icicle .other .name,.icicle .files .name{font-style:italic;font-weight:400}
@media (max-width:699px){.icicle .r11,.icicle .r12,.icicle .r22{display:none}}
@media (min-width:700px) and (max-width:1159px){.icicle .r00,.icicle .r22{display:none}}
@media (min-width:1160px){.icicle .r00,.icicle .r01,.icicle .r11{display:none}}
`;

/** One `<text>` per run of page-width ranges that lay a line out alike (`r02`: all of them). */
function labels(parts: string[], y: number, className: string, byTier: readonly string[]): void {
  for (let a = 0; a < byTier.length; ) {
    let b = a;
    while (b + 1 < byTier.length && byTier[b + 1] === byTier[a]) b++;
    const line = byTier[a] as string;
    if (line !== '')
      parts.push(`<text x="5" y="${y}" class="${className}r${a}${b}">${escapeHtml(line)}</text>`);
    a = b + 1;
  }
}

/** `text`, shortened with an ellipsis to `px` pixels; empty when not even three characters fit. */
function shorten(text: string, px: number, glyph: number): string {
  const chars = [...text];
  if (chars.length * glyph <= px) return text;
  const n = Math.floor(px / glyph) - 1;
  return n < 3 ? '' : `${chars.slice(0, n).join('')}…`;
}

/**
 * The SVG element for a display tree: one nested `<svg>` per area, each with a `<title>`, one
 * `<rect>` per category present (class `c<index>`; the page defines the colours) and its labels.
 * Its height follows the depth drawn; its width is the container's.
 *
 * @example
 * const svg = renderIcicle(displayTree(tree), { categories: AUDIT_CATEGORIES, tests: labels });
 */
export function renderIcicle(root: DisplayNode, options: IcicleOptions): string {
  const parts: string[] = [];
  let rows = 0;
  const draw = (node: DisplayNode, x: number, width: number, row: number) => {
    rows = Math.max(rows, row + 1);
    const y = row * (ROW + GAP);
    const label = node.depth === 0 ? (options.rootLabel ?? 'all keys') : shortName(node);
    const shareOf = options.shareOf ?? 0;
    const share = ` · ${percent(node.counts[shareOf] ?? 0, node.total)}`;
    parts.push(
      `<svg x="${pct(x)}" y="${y}" width="${pct(width)}" height="${ROW}" class="node ${node.kind}">`,
      `<title>${escapeHtml(nodeTitle(node, options))}</title>`,
    );
    let at = 0;
    node.counts.forEach((n, i) => {
      if (n === 0) return;
      const w = n / node.total;
      parts.push(`<rect class="c${i}" x="${pct(at)}" width="${pct(w)}" height="100%"/>`);
      at += w;
    });
    // A hairline box would be all edge: it is drawn edgeless, in its colours.
    if (width * TIERS[2] >= 4) parts.push('<rect class="edge" width="100%" height="100%"/>');
    const total = count(node.total);
    const lines = TIERS.map((tierWidth): [string, string] => {
      const room = width * tierWidth - 6;
      if (room < MIN_LABEL) return ['', ''];
      const name = shorten(label, room, NAME_PX);
      // A count is shown whole or not at all, and never without the name it belongs to.
      const fits = (text: string) => text.length * COUNT_PX <= room;
      const full = `${total}${share}`;
      const line = fits(full) ? full : fits(total) ? total : '';
      return name === '' ? ['', ''] : [name, line];
    });
    labels(
      parts,
      17,
      'name ',
      lines.map((l) => l[0]),
    );
    labels(
      parts,
      34,
      '',
      lines.map((l) => l[1]),
    );
    parts.push('</svg>');
    let cx = x;
    for (const child of node.children) {
      const cw = (width * child.total) / node.total;
      draw(child, cx, cw, row + 1);
      cx += cw;
    }
  };
  if (root.total > 0) draw(root, 0, 1, 0);
  const height = Math.max(rows * (ROW + GAP) - GAP, 0);
  const legend = options.categories.map((c) => c.label).join(', ');
  return (
    `<svg class="icicle" width="100%" height="${height}" role="img" ` +
    `aria-label="${escapeHtml(`Keys by folder: ${legend}`)}">${parts.join('')}</svg>`
  );
}
