/**
 * The `--html` reports: the bounded folder aggregation (bounds, sums, exactness on listings in key
 * order, equality with a plain model when nothing had to be merged, memory), the pages (escaping,
 * `data-count` values equal to the report's, no external reference), and the flag on the CLI
 * (written with `--json`, usage and file errors, no file left behind on failure).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/cli/report/escape.js';
import {
  type AuditReport,
  type DiffReport,
  renderAuditPage,
  renderDiffPage,
} from '../src/cli/report/html.js';
import { renderIcicle } from '../src/cli/report/icicle.js';
import {
  type DisplayLimits,
  type DisplayNode,
  displayTree,
  FolderTree,
} from '../src/cli/report/tree.js';
import { definePolicy } from '../src/index.js';
import { bundleCli } from './adapters/support.js';

/** A key with its category and protecting test, as the commands give them to the tree. */
type Entry = readonly [key: string, category: number, test: number | undefined];

const CATEGORIES = 2;

function treeOf(entries: readonly Entry[], depth: number, capacity: number): FolderTree {
  const tree = new FolderTree(CATEGORIES, { depth, capacity });
  for (const [key, c, t] of entries) tree.add(key, c, t);
  return tree;
}

// ---------------------------------------------------------------------------------------------
// The plain model: every folder counted exactly (unbounded), then the same choice of what to draw,
// written as directly as possible.

interface Exact {
  counts: number[];
  tests: Map<number, number>;
  children: Map<string, Exact>;
  here: { counts: number[]; tests: Map<number, number> } | undefined;
}

const blank = () => ({ counts: new Array<number>(CATEGORIES).fill(0), tests: new Map() });
const bump = (t: { counts: number[]; tests: Map<number, number> }, c: number, test?: number) => {
  t.counts[c] = (t.counts[c] as number) + 1;
  if (test !== undefined) t.tests.set(test, (t.tests.get(test) ?? 0) + 1);
};

function exactTree(entries: readonly Entry[], depth: number): Exact {
  const root: Exact = { ...blank(), children: new Map(), here: undefined };
  for (const [key, c, t] of entries) {
    const segments = key.split('/');
    const folders = segments.slice(0, -1).slice(0, depth);
    let node = root;
    bump(node, c, t);
    for (const name of folders) {
      let next = node.children.get(name);
      if (next === undefined) {
        next = { ...blank(), children: new Map(), here: undefined };
        node.children.set(name, next);
      }
      node = next;
      bump(node, c, t);
    }
    node.here ??= blank();
    bump(node.here, c, t);
  }
  return root;
}

/** Exact counts of every folder path (`a/b/`), the root as ''. */
function exactCounts(entries: readonly Entry[], depth: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const walk = (node: Exact, path: string) => {
    out.set(path, node.counts);
    for (const [name, c] of node.children) walk(c, `${path}${name}/`);
  };
  walk(exactTree(entries, depth), '');
  return out;
}

const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);

function referenceDisplay(
  entries: readonly Entry[],
  depth: number,
  limits: Required<DisplayLimits>,
) {
  interface Out {
    kind: 'folder' | 'other' | 'files';
    name: string;
    path: string;
    depth: number;
    counts: number[];
    tests: Map<number, number>;
    folders: number;
    exact: Exact | undefined;
    parent: Out | undefined;
    kept: Out[];
    other: Out | undefined;
    files: Out | undefined;
  }
  const make = (kind: Out['kind'], name: string, path: string, d: number, parent?: Out): Out => ({
    kind,
    name,
    path,
    depth: d,
    counts: new Array<number>(CATEGORIES).fill(0),
    tests: new Map(),
    folders: 0,
    exact: undefined,
    parent,
    kept: [],
    other: undefined,
    files: undefined,
  });
  const absorb = (into: Out, from: { counts: number[]; tests: Map<number, number> }) => {
    from.counts.forEach((n, i) => {
      into.counts[i] = (into.counts[i] as number) + n;
    });
    for (const [t, n] of from.tests) into.tests.set(t, (into.tests.get(t) ?? 0) + n);
  };
  const order = (a: Out, b: Out) =>
    total(b.counts) - total(a.counts) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const exact = exactTree(entries, depth);
  const root = make('folder', '', '', 0);
  absorb(root, exact);
  root.exact = exact;
  let level = [root];
  while (level.length > 0) {
    const next: Out[] = [];
    for (const p of level) {
      const e = p.exact as Exact;
      const kids = [...e.children].map(([name, c]) => {
        const o = make('folder', name, `${p.path}${name}/`, p.depth + 1, p);
        absorb(o, c);
        o.exact = c;
        return o;
      });
      kids.sort(order);
      p.other = make('other', '', p.path, p.depth + 1, p);
      for (const k of kids.slice(limits.perParent)) {
        absorb(p.other, k);
        p.other.folders++;
      }
      p.kept = kids.slice(0, limits.perParent);
      if (e.here !== undefined && kids.length > 0) {
        p.files = make('files', '', p.path, p.depth + 1, p);
        absorb(p.files, e.here);
      }
      next.push(...p.kept);
    }
    next.sort(order);
    for (const k of next.slice(limits.perLevel)) {
      const p = k.parent as Out;
      p.kept = p.kept.filter((x) => x !== k);
      absorb(p.other as Out, k);
      (p.other as Out).folders++;
    }
    level = next.slice(0, limits.perLevel);
  }
  const finish = (o: Out): DisplayNode => ({
    kind: o.kind,
    name: o.name,
    path: o.path,
    depth: o.depth,
    counts: o.counts,
    total: total(o.counts),
    tests: [...o.tests].sort((a, b) => b[1] - a[1] || a[0] - b[0]),
    folders: o.folders,
    children: [...o.kept, ...(o.other ? [o.other] : []), ...(o.files ? [o.files] : [])]
      .filter((c) => total(c.counts) > 0)
      .map(finish),
  });
  return finish(root);
}

// ---------------------------------------------------------------------------------------------

const segment = fc.constantFrom('a', 'b', 'c', 'dd', '', 'É', '<x>');
const keyArb = fc
  .tuple(fc.array(segment, { maxLength: 5 }), fc.constantFrom('f.jpg', 'g.png', 'h'))
  .map(([folders, file]) => [...folders, file].join('/'));
const entryArb: fc.Arbitrary<Entry> = fc
  .tuple(keyArb, fc.boolean(), fc.nat(3))
  .map(([key, p, t]): Entry => (p ? [key, 0, t] : [key, 1, undefined]));
const limitsArb = fc.record({
  perParent: fc.integer({ min: 1, max: 4 }),
  perLevel: fc.integer({ min: 1, max: 8 }),
});

function walk(node: DisplayNode, visit: (n: DisplayNode) => void): void {
  visit(node);
  for (const c of node.children) walk(c, visit);
}

/** Children of every node add up to it, per category and per test. */
function expectSumsPreserved(root: DisplayNode): void {
  walk(root, (n) => {
    if (n.children.length === 0) return;
    const counts = n.counts.map((_, i) => n.children.reduce((s, c) => s + (c.counts[i] ?? 0), 0));
    expect(counts, `children of ${JSON.stringify(n.path)}`).toEqual(n.counts);
    const tests = new Map<number, number>();
    for (const c of n.children) for (const [t, k] of c.tests) tests.set(t, (tests.get(t) ?? 0) + k);
    expect(new Map(n.tests)).toEqual(tests);
  });
}

/** No level holds more than `perLevel` folders, no folder more than `perParent` subfolders. */
function expectDisplayBounded(root: DisplayNode, limits: Required<DisplayLimits>): void {
  const perDepth = new Map<number, number>();
  walk(root, (n) => {
    const folders = n.children.filter((c) => c.kind === 'folder').length;
    expect(folders).toBeLessThanOrEqual(limits.perParent);
    expect(n.children.filter((c) => c.kind !== 'folder').length).toBeLessThanOrEqual(2);
    if (n.kind === 'folder') perDepth.set(n.depth, (perDepth.get(n.depth) ?? 0) + 1);
  });
  for (const [d, n] of perDepth) if (d > 0) expect(n).toBeLessThanOrEqual(limits.perLevel);
}

describe('folder aggregation', () => {
  it.each([
    {
      behaviour: 'keys at the root are the root’s own keys; folders take their share',
      keys: ['a.jpg', 'x/b.jpg', 'x/c.jpg', 'y/d.jpg'],
      paths: ['', 'x/', 'y/', ''],
      totals: [4, 2, 1, 1],
    },
    {
      behaviour: 'keys below the depth count in their folder at the depth',
      keys: ['a/b/c/d/e.jpg', 'a/b/f.jpg'],
      paths: ['', 'a/', 'a/b/'],
      totals: [2, 2, 2],
    },
    {
      behaviour: 'an empty segment is a folder of its own',
      keys: ['a//b.jpg', 'a/b.jpg'],
      paths: ['', 'a/', 'a//', 'a/'],
      totals: [2, 2, 1, 1],
    },
  ])('$behaviour', ({ keys, paths, totals }) => {
    const shown = displayTree(
      treeOf(
        keys.map((k) => [k, 1, undefined]),
        2,
        100,
      ),
    );
    const seen: [string, number][] = [];
    walk(shown, (n) => seen.push([n.path, n.total]));
    expect(seen).toEqual(paths.map((p, i) => [p, totals[i]]));
  });

  it('never holds more than `capacity` folders on a level, whatever the listing', () => {
    const tree = new FolderTree(2, { depth: 3, capacity: 64 });
    let most = 0;
    for (let i = 0; i < 50_000; i++) {
      // Many folders on every level, in no particular order.
      const a = (i * 7919) % 5000;
      tree.add(
        `t${a}/m${i % 97}/l${(i * 31) % 1013}/k${i}.jpg`,
        i % 2,
        i % 2 === 0 ? 0 : undefined,
      );
      if (i % 997 === 0) most = Math.max(most, ...tree.folderCounts);
    }
    most = Math.max(most, ...tree.folderCounts);
    expect(most).toBeLessThanOrEqual(64);
    expect(tree.stats.merged[0]).toBeGreaterThan(0);
    expect(tree.approximate).toBe(true);
    const limits = { perParent: 12, perLevel: 48 };
    const shown = displayTree(tree, limits);
    expect(shown.total).toBe(50_000);
    expectSumsPreserved(shown);
    expectDisplayBounded(shown, limits);
  });

  it('equals the plain model when no level had to be merged (any order)', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 60 }),
        fc.nat(3),
        limitsArb,
        (entries, depth, limits) => {
          const tree = treeOf(entries, depth, 10_000);
          expect(tree.stats.merged.every((n) => n === 0)).toBe(true);
          expect(displayTree(tree, limits)).toEqual(referenceDisplay(entries, depth, limits));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact for a listing in key order, even when levels are merged', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        limitsArb,
        (unsorted, depth, capacity, limits) => {
          const entries = [...unsorted].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          const tree = treeOf(entries, depth, capacity);
          expect(tree.approximate).toBe(false);
          const exact = exactCounts(entries, depth);
          const shown = displayTree(tree, limits);
          walk(shown, (n) => {
            if (n.kind === 'folder') expect(n.counts).toEqual(exact.get(n.path));
          });
          expectSumsPreserved(shown);
          expectDisplayBounded(shown, limits);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('in any order: bounded, sums preserved, the root exact, no folder over its true count', () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        limitsArb,
        (entries, depth, capacity, limits) => {
          const tree = new FolderTree(CATEGORIES, { depth, capacity });
          for (const [key, c, t] of entries) {
            tree.add(key, c, t);
            for (const n of tree.folderCounts) expect(n).toBeLessThanOrEqual(capacity);
          }
          const exact = exactCounts(entries, depth);
          const shown = displayTree(tree, limits);
          expect(shown.counts).toEqual(exact.get(''));
          walk(shown, (n) => {
            if (n.kind !== 'folder') return;
            const truth = exact.get(n.path) as number[];
            n.counts.forEach((v, i) => {
              expect(v).toBeLessThanOrEqual(truth[i] as number);
            });
          });
          expectSumsPreserved(shown);
          expectDisplayBounded(shown, limits);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses memory that does not grow with the listing (a rough check)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfter = (keys: number) => {
      const tree = new FolderTree(2);
      gc();
      const before = process.memoryUsage().heapUsed;
      // Every key in its own folder on every level: the worst case for a folder tree.
      for (let i = 0; i < keys; i++) tree.add(`a${i}/b${i}/c${i}/d${i}/e.jpg`, i % 2, 0);
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(displayTree(tree).total).toBe(keys);
      return grown;
    };
    const small = heapAfter(20_000);
    const large = heapAfter(200_000);
    // Unbounded, 200,000 keys would hold 800,000 folders (well over 100 MB). The bound holds
    // 4 × 4096 folders, a few MB, for both sizes.
    expect(large).toBeLessThan(40 * 1024 * 1024);
    expect(large).toBeLessThan(small + 16 * 1024 * 1024);
  });

  it('refuses limits that are not whole numbers', () => {
    expect(() => new FolderTree(2, { depth: -1 })).toThrow(RangeError);
    expect(() => new FolderTree(2, { capacity: 0 })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------

const HOSTILE = [
  '<script>alert(1)</script>/x.jpg',
  '"><img src=x onerror=alert(1)>/y.jpg',
  "it's/a&b/c.jpg",
  'a&amp;b/</svg><script>/z.jpg',
  'bidi/\u202egpj.exe',
];

/** Every tag in a page: only these (no script, no link, no img, no external reference). */
const TAGS = new Set(
  'html head meta title style body header h1 h2 h3 p section ul li data span svg rect text details summary div table thead tbody tr th td code em'.split(
    ' ',
  ),
);

function tagsOf(html: string): Set<string> {
  const tags = new Set<string>();
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)) tags.add((m[1] as string).toLowerCase());
  return tags;
}

/** `data-count` elements: path, value attribute, shown text. */
function dataCounts(html: string): [path: string, value: number, shown: string][] {
  return [...html.matchAll(/<data value="(\d+)" data-count="([^"]*)">([^<]*)<\/data>/g)].map(
    (m) => [m[2] as string, Number(m[1]), m[3] as string],
  );
}

function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown>)?.[p], doc);
}

const reasons = {
  invalid: { 'leading-slash': 'starts with /' },
  unreachable: { 'dot-segment': 'has a . or .. segment' },
};

/** Keys set apart as the CLI reports them: listed reasons have keys, the count is their sum. */
const apartArb = (reason: string, sample: string) =>
  fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }).map((n) => ({
    count: n ?? 0,
    reasons: n === undefined ? [] : [{ reason, count: n, samples: [sample] }],
  }));

const tallyArb = fc.record({
  matches: fc.nat(10_000_000),
  only: fc.nat(10_000_000),
  samples: fc.array(fc.constantFrom(...HOSTILE, 'image/a.jpg'), { maxLength: 3 }),
});
const auditArb: fc.Arbitrary<AuditReport> = fc.record({
  policy: fc.constantFrom('policy.json', '<p>&"q".json'),
  format: fc.constantFrom('keys', 'ossutil'),
  total: fc.nat(10_000_000),
  protected: fc.nat(10_000_000),
  unprotected: fc.nat(10_000_000),
  invalid: apartArb('leading-slash', '/a.jpg'),
  unreachable: apartArb('dot-segment', 'a/./b.jpg'),
  rules: fc.array(tallyArb, { maxLength: 3 }).map((ts) =>
    ts.map((t, index) => ({
      index,
      rule: definePolicy({ rules: [{ prefix: `<r${index}>/` }] }).rules[0] as never,
      ...t,
    })),
  ),
  extensions: fc
    .array(tallyArb, { maxLength: 3 })
    .map((ts) => ts.map((t, i) => ({ extension: ['jpg', 'png', 'a&b'][i] as string, ...t }))),
  wildcard: fc.option(
    tallyArb.map((t) => ({ contentType: null, ...t })),
    { nil: null },
  ),
  unprotectedSamples: fc.array(fc.constantFrom(...HOSTILE), { maxLength: 3 }),
  skippedLines: fc.nat(1000),
});

/** Every number of the report the page must show, as dotted paths. */
function auditPaths(r: AuditReport): string[] {
  return [
    'total',
    'protected',
    'unprotected',
    'invalid.count',
    'unreachable.count',
    'skippedLines',
    ...r.invalid.reasons.map((_, i) => `invalid.reasons.${i}.count`),
    ...r.unreachable.reasons.map((_, i) => `unreachable.reasons.${i}.count`),
    ...r.rules.flatMap((_, i) => [`rules.${i}.matches`, `rules.${i}.only`]),
    ...r.extensions.flatMap((_, i) => [`extensions.${i}.matches`, `extensions.${i}.only`]),
    ...(r.wildcard === null ? [] : ['wildcard.matches', 'wildcard.only']),
  ];
}

const hostileTree = () => {
  const tree = new FolderTree(2);
  HOSTILE.forEach((k, i) => {
    tree.add(k, i % 2, i % 2 === 0 ? 0 : undefined);
  });
  return tree;
};

describe('pages', () => {
  it.each([
    { text: '<script>', escaped: '&lt;script&gt;' },
    { text: 'a "b" \'c\'', escaped: 'a &quot;b&quot; &#39;c&#39;' },
    { text: 'a&b &amp;', escaped: 'a&amp;b &amp;amp;' },
    { text: 'plain/key.jpg', escaped: 'plain/key.jpg' },
  ])('escapeHtml($text)', ({ text, escaped }) => {
    expect(escapeHtml(text)).toBe(escaped);
  });

  it('shows hostile key names as text: no markup from keys, policy or listing names', () => {
    const report: AuditReport = {
      policy: '"><script>p</script>.json',
      format: 'keys',
      total: HOSTILE.length,
      protected: 3,
      unprotected: 2,
      invalid: { count: 0, reasons: [] },
      unreachable: { count: 0, reasons: [] },
      rules: [
        {
          index: 0,
          rule: { prefix: '<script>/', caseInsensitive: false } as never,
          matches: 3,
          only: 3,
          samples: HOSTILE,
        },
      ],
      extensions: [{ extension: '"&<>', matches: 0, only: 0, samples: [] }],
      wildcard: null,
      unprotectedSamples: HOSTILE,
      skippedLines: 0,
    };
    const pages = [
      renderAuditPage(
        report,
        { tree: hostileTree(), tests: ['rule 0 (prefix "<script>/")'] },
        { listing: "<k>'s.txt" },
        reasons,
      ),
      renderDiffPage(
        {
          from: '<a>.json',
          to: '"b".json',
          format: 'keys',
          total: 5,
          protectedBefore: 1,
          protectedAfter: 2,
          newlyProtected: {
            count: 1,
            samples: [
              { key: HOSTILE[0] as string, match: { kind: 'extension', extension: 'jpg' } },
            ],
          },
          newlyExposed: { count: 0, samples: [] },
          skippedLines: 0,
          exposureAllowed: false,
        },
        { tree: hostileTree(), tests: ['now <b>rule</b>'] },
        { listing: '<stdin>' },
      ),
    ];
    for (const html of pages) {
      expect([...tagsOf(html)].filter((t) => !TAGS.has(t))).toEqual([]);
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).toContain('&lt;script&gt;');
      expect(html).toContain('&quot;&gt;&lt;img src=x');
      expect(html).toContain('a&amp;amp;b');
      // The right-to-left override is shown escaped, not obeyed.
      expect(html).not.toContain('\u202e');
      // Every attribute value is double-quoted and holds no quote or angle bracket.
      for (const m of html.matchAll(/<[a-z][^>]*>/g))
        expect(m[0].slice(1).replace(/="[^"<>]*"/g, ''), m[0]).not.toMatch(/[="'<]/);
    }
  });

  it('carries every count of the audit report in data-count, equal to the report', () => {
    fc.assert(
      fc.property(auditArb, (report) => {
        const html = renderAuditPage(
          report,
          { tree: hostileTree(), tests: ['t'] },
          { listing: 'k.txt' },
          reasons,
        );
        const counts = dataCounts(html);
        for (const [path, value, shown] of counts) {
          expect(value, path).toBe(at(report, path));
          expect(Number(shown.replaceAll(',', ''))).toBe(value);
        }
        expect([...new Set(counts.map((c) => c[0]))].sort()).toEqual(auditPaths(report).sort());
      }),
      { numRuns: 100 },
    );
  });

  it('carries every count of the diff report in data-count, equal to the report', () => {
    const report: DiffReport = {
      from: 'a.json',
      to: 'b.json',
      format: 'ossutil',
      total: 1_234_567,
      protectedBefore: 1000,
      protectedAfter: 2000,
      newlyProtected: { count: 1500, samples: [] },
      newlyExposed: { count: 500, samples: [] },
      skippedLines: 7,
      exposureAllowed: true,
    };
    const html = renderDiffPage(report, { tree: new FolderTree(4), tests: [] }, { listing: 'k' });
    const counts = dataCounts(html);
    expect(counts.map(([p]) => p).sort()).toEqual(
      [
        'total',
        'protectedBefore',
        'protectedAfter',
        'newlyProtected.count',
        'newlyExposed.count',
        'skippedLines',
      ].sort(),
    );
    for (const [path, value] of counts) expect(value, path).toBe(at(report, path));
    expect(html).toContain('Accepted with --allow-exposure');
  });

  it('draws one box per drawn area, each with a title naming its folder and counts', () => {
    const tree = new FolderTree(2);
    for (let i = 0; i < 300; i++)
      tree.add(`f${i % 30}/g${i % 7}/k${i}.jpg`, i % 4 === 0 ? 0 : 1, i % 4 === 0 ? 0 : undefined);
    const shown = displayTree(tree);
    let areas = 0;
    walk(shown, () => areas++);
    const svg = renderIcicle(shown, {
      categories: [
        { label: 'protected', colour: '#0072B2' },
        { label: 'unprotected', colour: '#E69F00' },
      ],
      tests: ['rule 0 (prefix "f")'],
    });
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1] as string);
    expect(titles).toHaveLength(areas);
    expect(titles[0]).toMatch(
      /^all keys: 300 keys\nprotected: 75 \(25\.0%\)\nunprotected: 225 \(75\.0%\)\nprotected by:\n {2}rule 0 \(prefix &quot;f&quot;\): 75$/,
    );
    expect(titles).toContain(
      'f0/: 10 keys\nprotected: 5 (50.0%)\nunprotected: 5 (50.0%)\nprotected by:\n  rule 0 (prefix &quot;f&quot;): 5',
    );
    expect(titles.some((t) => /^18 smaller folders in the bucket root: /.test(t))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

let cli: string;
let dir: string;
const at2 = (name: string) => join(dir, name);

function run(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      expect(stderr, 'a stack trace').not.toMatch(/\n\s+at /);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end('');
  });
}

const KEYS = [
  'image/a.jpg',
  'image/b.gif',
  'raw/scan.tif',
  'docs/readme.txt',
  'photos/c.jpeg',
  'x.png',
  '/lead.jpg',
  'a/./b.jpg',
];

describe('audit --html and diff --html', () => {
  beforeAll(async () => {
    cli = await bundleCli();
    dir = mkdtempSync(join(tmpdir(), 'oss-source-guard-html-'));
    writeFileSync(
      at2('old.json'),
      JSON.stringify({
        rules: [{ prefix: 'image/' }, { prefix: 'raw/', suffix: '.tif' }],
        extensions: ['jpg', 'jpeg'],
      }),
    );
    writeFileSync(
      at2('new.json'),
      JSON.stringify({ rules: [{ prefix: 'image/' }], extensions: ['jpg', 'png'] }),
    );
    writeFileSync(at2('keys.txt'), `${KEYS.join('\n')}\n`);
    writeFileSync(at2('long.txt'), `a.jpg\n${'x'.repeat(70_000)}\n`);
    mkdirSync(at2('a-directory'));
  }, 60_000);

  it('audit writes the page and prints the same JSON as without --html; the counts agree', async () => {
    const plain = await run(['audit', '--policy', at2('old.json'), '--json', at2('keys.txt')]);
    const r = await run([
      'audit',
      '--policy',
      at2('old.json'),
      '--json',
      '--html',
      at2('audit.html'),
      at2('keys.txt'),
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const { timing: _a, ...withHtml } = json;
    const { timing: _b, ...without } = JSON.parse(plain.stdout);
    expect(withHtml).toEqual(without);
    const html = readFileSync(at2('audit.html'), 'utf8');
    const counts = dataCounts(html);
    expect(counts.length).toBeGreaterThanOrEqual(12);
    for (const [path, value] of counts) expect(value, path).toBe(at(json, path));
    expect(html).toContain('<svg class="icicle"');
    expect(html).toContain('1 invalid key is not drawn: the picture shows 7 keys.');
  });

  it('audit --html without --json prints the text report as usual', async () => {
    const r = await run([
      'audit',
      '--policy',
      at2('old.json'),
      '--html',
      at2('text.html'),
      at2('keys.txt'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^policy .*: 8 keys \(keys listing\)/);
    expect(existsSync(at2('text.html'))).toBe(true);
  });

  it('diff writes the page even when it fails for exposed keys; the counts agree', async () => {
    const r = await run([
      'diff',
      '--from',
      at2('old.json'),
      '--to',
      at2('new.json'),
      '--json',
      '--html',
      at2('diff.html'),
      at2('keys.txt'),
    ]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.newlyExposed.count).toBe(2);
    const html = readFileSync(at2('diff.html'), 'utf8');
    const counts = dataCounts(html);
    expect(counts).toHaveLength(6);
    for (const [path, value] of counts) expect(value, path).toBe(at(json, path));
    expect(html).toContain('was rule 1 (prefix &quot;raw/&quot; + suffix &quot;.tif&quot;)');
  });

  it.each([
    { command: 'audit', args: ['audit', '--help'] },
    { command: 'diff', args: ['diff', '--help'] },
  ])('$command --help documents --html', async ({ args }) => {
    const r = await run(args);
    expect(r.stdout).toMatch(/--html FILE +Also write the report as one self-contained HTML page/);
  });

  const usage = (args: string[]) => args;
  it.each([
    {
      behaviour: 'no FILE',
      args: usage(['audit', '--policy', 'P', 'K', '--html']),
      stderr: 'oss-source-guard: option --html needs a value (see oss-source-guard audit --help)\n',
    },
    {
      behaviour: 'an option where FILE should be',
      args: usage(['diff', '--from', 'P', '--to', 'P', '--html', '--json', 'K']),
      stderr:
        'oss-source-guard: option --html needs a value, not the option --json (write --html=--json if you mean it) (see oss-source-guard diff --help)\n',
    },
    {
      behaviour: 'standard output',
      args: usage(['audit', '--policy', 'P', '--html', '-', 'K']),
      stderr:
        'oss-source-guard: option --html needs a file name: standard output carries the report text or JSON (see oss-source-guard audit --help)\n',
    },
    {
      behaviour: 'the listing itself',
      args: usage(['audit', '--policy', 'P', '--html', 'K', 'K']),
      stderr:
        'oss-source-guard: option --html would overwrite the input K (see oss-source-guard audit --help)\n',
    },
    {
      behaviour: 'a policy file',
      args: usage(['diff', '--from', 'P', '--to', 'Q', '--html', 'Q', 'K']),
      stderr:
        'oss-source-guard: option --html would overwrite the input Q (see oss-source-guard diff --help)\n',
    },
  ])('a usage error for $behaviour', async ({ args, stderr }) => {
    const files = { P: at2('old.json'), Q: at2('new.json'), K: at2('keys.txt') } as Record<
      string,
      string
    >;
    const before = readFileSync(at2('keys.txt'), 'utf8');
    const r = await run(args.map((a) => files[a] ?? a));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr.replace(/ (K|Q) \(/, (_m, f: string) => ` ${files[f]} (`));
    expect(readFileSync(at2('keys.txt'), 'utf8')).toBe(before);
  });

  it.each([
    {
      behaviour: 'a missing folder',
      file: 'no-such-dir/r.html',
      error: 'no such file or directory (ENOENT)',
    },
    {
      behaviour: 'a directory',
      file: 'a-directory',
      error: 'illegal operation on a directory (EISDIR)',
    },
  ])(
    'an unwritable path ($behaviour) is an input error, reported before the listing is read',
    async ({ file, error }) => {
      for (const args of [
        ['audit', '--policy', at2('old.json')],
        ['diff', '--from', at2('old.json'), '--to', at2('new.json')],
      ]) {
        const r = await run([...args, '--html', at2(file), at2('keys.txt')]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`oss-source-guard: cannot write ${at2(file)}: ${error}\n`);
      }
    },
  );

  it('leaves no page behind when the listing cannot be read', async () => {
    for (const args of [
      ['audit', '--policy', at2('old.json')],
      ['diff', '--from', at2('old.json'), '--to', at2('new.json')],
    ]) {
      const r = await run([...args, '--html', at2('failed.html'), at2('long.txt')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/line 2 is longer than 65536 bytes/);
      expect(existsSync(at2('failed.html'))).toBe(false);
    }
  });
});
