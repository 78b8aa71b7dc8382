/**
 * Keys counted by folder, in bounded memory, for the HTML reports' picture of the key space.
 *
 * Reading keeps a working tree: folders up to {@link TreeLimits.depth} levels deep, at most
 * {@link TreeLimits.capacity} folders per level. When a level is full, its smaller half is merged
 * into each folder's parent as one "other" count, so memory does not grow with the listing. A
 * listing in key order (as OSS and `ossutil ls` list) has each folder's keys in one run, so a merged
 * folder never comes back and every count stays exact; in any other order a merged folder that
 * comes back is counted afresh, and {@link FolderTree.approximate} says so.
 *
 * {@link displayTree} then picks what the page draws: at most {@link DisplayLimits.perParent}
 * folders under each folder and {@link DisplayLimits.perLevel} on each level, the rest merged into
 * "other". In every node, the children's counts add up to the node's.
 */

/** How much the working tree may hold while reading. */
export interface TreeLimits {
  /**
   * Folder levels kept (`a/b/c/d.jpg` has three); deeper keys count in their folder at this depth.
   * @default 4
   */
  readonly depth?: number;
  /**
   * Folders kept per level while reading; a full level merges its smaller half into "other".
   * @default 4096
   */
  readonly capacity?: number;
}

/** What a drawn node is: a folder, keys directly in the parent folder, or merged folders. */
export type NodeKind = 'folder' | 'files' | 'other';

/** A node of the working tree. Counts are per category (audit: protected, unprotected…). */
export interface WorkNode {
  readonly name: string;
  readonly depth: number;
  readonly parent: WorkNode | undefined;
  readonly counts: number[];
  /** The sum of `counts`, kept for sorting a full level. */
  total: number;
  /** Protected keys per protecting test (the caller's index); dense, as tests are few. */
  readonly tests: number[];
  /**
   * Subfolders. The keys directly in the folder (or below it, at the deepest level kept) are
   * not stored: they are the node's counts less its children's and its "other" (one object
   * fewer per folder, which matters when every key has folders of its own).
   */
  children: Map<string, WorkNode> | undefined;
  /** The subfolder the last key went to: in a listing in key order, most likely the next's too. */
  last: WorkNode | undefined;
  /** Subfolders merged while reading. */
  other: (Tally & { folders: number }) | undefined;
}

/** Counts of keys in one place. */
export interface Tally {
  readonly counts: number[];
  /** Keys per test, by the caller's index (a policy has few tests, so an array). */
  readonly tests: number[];
}

const newTally = (categories: number): Tally => ({
  counts: new Array<number>(categories).fill(0),
  tests: [],
});

function addInto(into: Tally, from: Tally): void {
  for (let i = 0; i < from.counts.length; i++)
    (into.counts as number[])[i] = (into.counts[i] as number) + (from.counts[i] as number);
  from.tests.forEach((n, test) => {
    bumpTest(into.tests, test, n);
  });
}

function bumpTest(tests: number[], test: number, n: number): void {
  while (tests.length <= test) tests.push(0);
  tests[test] = (tests[test] as number) + n;
}

const sum = (counts: readonly number[]): number => counts.reduce((a, b) => a + b, 0);

/** What reading did to the folders: shown on the page under the picture. */
export interface TreeStats {
  /** Folder levels kept. */
  readonly depth: number;
  /** Folders kept per level while reading. */
  readonly capacity: number;
  /** Folders merged into "other" while reading, per level (index 0: top-level folders). */
  readonly merged: readonly number[];
  /** Keys deeper than `depth` folders, counted in their folder at that depth. */
  readonly deeper: number;
  /** Whether the listing came in key order (each folder's keys in one run). */
  readonly sorted: boolean;
}

/**
 * Keys counted by folder while a listing streams, in memory bounded by its limits.
 *
 * @example
 * const tree = new FolderTree(2);             // two categories: protected, unprotected
 * tree.add('image/a.jpg', 0, 3);              // protected, by test 3 (caller's numbering)
 * tree.add('docs/readme.txt', 1);
 * displayTree(tree).counts;                   // [1, 1]
 */
export class FolderTree {
  readonly depth: number;
  readonly capacity: number;
  private readonly root: WorkNode;
  /** Live folders per level, for the capacity check and for merging. */
  private readonly levels: Set<WorkNode>[];
  private readonly merged: number[];
  private deeper = 0;
  private previous: string | undefined;
  private inOrder = true;

  /**
   * @param categories how many kinds of key are counted (audit: 2, diff: 4)
   * @param limits depth and capacity of the working tree
   */
  constructor(
    readonly categories: number,
    limits: TreeLimits = {},
  ) {
    this.depth = limits.depth ?? 4;
    this.capacity = limits.capacity ?? 4096;
    if (!Number.isInteger(this.depth) || this.depth < 0)
      throw new RangeError('depth must be a whole number');
    if (!Number.isInteger(this.capacity) || this.capacity < 1)
      throw new RangeError('capacity must be at least 1');
    this.root = this.node('', 0, undefined);
    this.levels = Array.from({ length: this.depth }, () => new Set<WorkNode>());
    this.merged = new Array<number>(this.depth).fill(0);
  }

  private node(name: string, depth: number, parent: WorkNode | undefined): WorkNode {
    return {
      name,
      depth,
      parent,
      counts: new Array<number>(this.categories).fill(0),
      total: 0,
      tests: [],
      children: undefined,
      last: undefined,
      other: undefined,
    };
  }

  /**
   * Count one key in `category`; `test`, when given, is what protects it (the caller's index).
   *
   * @example
   * tree.add('image/2024/a.jpg', 0, 0);
   */
  add(key: string, category: number, test?: number): void {
    if (this.previous !== undefined && key < this.previous) this.inOrder = false;
    this.previous = key;
    let node = this.root;
    this.count(node, category, test);
    let from = 0;
    for (let slash = key.indexOf('/'); slash !== -1; slash = key.indexOf('/', from)) {
      if (node.depth === this.depth) {
        this.deeper++;
        break;
      }
      // The folder of the previous key, compared in place: no substring, no lookup.
      const last = node.last;
      if (
        last !== undefined &&
        last.name.length === slash - from &&
        key.startsWith(last.name, from)
      )
        node = last;
      else node = node.last = this.child(node, key.slice(from, slash));
      this.count(node, category, test);
      from = slash + 1;
    }
  }

  private count(t: WorkNode, category: number, test: number | undefined): void {
    t.total++;
    (t.counts as number[])[category] = (t.counts[category] as number) + 1;
    if (test !== undefined) bumpTest(t.tests, test, 1);
  }

  private child(parent: WorkNode, name: string): WorkNode {
    parent.children ??= new Map();
    const found = parent.children.get(name);
    if (found !== undefined) return found;
    const level = this.levels[parent.depth] as Set<WorkNode>;
    if (level.size >= this.capacity) this.shrink(parent.depth);
    const made = this.node(name, parent.depth + 1, parent);
    parent.children.set(name, made);
    level.add(made);
    return made;
  }

  /**
   * Merge the smaller half of a full level into "other" (at least one folder). A whole half at
   * once keeps the cost per new folder logarithmic. The folder about to be added is not yet in
   * the level, and the current key's other folders are on shallower levels, so none is merged.
   */
  private shrink(index: number): void {
    const level = this.levels[index] as Set<WorkNode>;
    const bySize = [...level].sort((a, b) => a.total - b.total);
    const victims = bySize.slice(0, Math.max(1, Math.floor(bySize.length / 2)));
    for (const node of victims) {
      const parent = node.parent as WorkNode;
      parent.other ??= { ...newTally(this.categories), folders: 0 };
      addInto(parent.other, node);
      parent.other.folders++;
      parent.children?.delete(node.name);
      if (parent.last === node) parent.last = undefined;
      this.drop(node);
      (this.merged as number[])[index] = (this.merged[index] as number) + 1;
    }
  }

  /** Forget a folder and its subfolders (their keys are already counted in an "other"). */
  private drop(node: WorkNode): void {
    this.levels[node.depth - 1]?.delete(node);
    if (node.children !== undefined) for (const c of node.children.values()) this.drop(c);
  }

  /** Folders held now, per level: never more than `capacity`. */
  get folderCounts(): number[] {
    return this.levels.map((l) => l.size);
  }

  /**
   * Whether some count may be low: a folder was merged while reading a listing that is not in
   * key order, so that folder's later keys may have started it afresh.
   */
  get approximate(): boolean {
    return !this.inOrder && this.merged.some((n) => n > 0);
  }

  /** What reading did: levels, capacity, merged folders, keys below the depth, order. */
  get stats(): TreeStats {
    return {
      depth: this.depth,
      capacity: this.capacity,
      merged: [...this.merged],
      deeper: this.deeper,
      sorted: this.inOrder,
    };
  }

  /** The working tree's root (the whole listing); {@link displayTree} reads it. */
  get top(): Readonly<WorkNode> {
    return this.root;
  }
}

/** How much of the working tree the page draws. */
export interface DisplayLimits {
  /**
   * Folders drawn under one folder; the smaller ones are merged into "other".
   * @default 12
   */
  readonly perParent?: number;
  /**
   * Folders drawn on one level of the picture; the smaller ones are merged into "other".
   * @default 48
   */
  readonly perLevel?: number;
}

/** A node of the picture. Children (folders, then "other", then keys in the folder itself) sum to it. */
export interface DisplayNode {
  readonly kind: NodeKind;
  /** Folder name (`image`), empty for the root, "other" and "files" nodes. */
  readonly name: string;
  /** Path with a trailing slash (`image/2024/`), the parent's path for "other" and "files". */
  readonly path: string;
  readonly depth: number;
  readonly counts: readonly number[];
  readonly total: number;
  /** Protected keys per protecting test, largest first. */
  readonly tests: readonly (readonly [test: number, keys: number])[];
  /** For "other": how many folders it stands for (merged while reading or for the picture). */
  readonly folders: number;
  readonly children: readonly DisplayNode[];
}

interface Draft {
  kind: NodeKind;
  name: string;
  path: string;
  depth: number;
  tally: Tally;
  folders: number;
  source: Readonly<WorkNode> | undefined;
  parent: Draft | undefined;
  children: Draft[];
}

const bySizeThenName = (a: Draft, b: Draft): number =>
  sum(b.tally.counts) - sum(a.tally.counts) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function copyTally(t: Tally): Tally {
  return { counts: [...t.counts], tests: [...t.tests] };
}

/**
 * The picture's tree: folders sorted largest first, at most `perParent` under one folder and
 * `perLevel` on one level, the rest merged into an "other" node per folder.
 *
 * @example
 * const shown = displayTree(tree, { perParent: 8 });
 * shown.children.map((n) => n.path);          // ['image/', 'docs/', …]
 */
export function displayTree(tree: FolderTree, limits: DisplayLimits = {}): DisplayNode {
  const perParent = limits.perParent ?? 12;
  const perLevel = limits.perLevel ?? 48;
  const draft = (w: Readonly<WorkNode>, parent: Draft | undefined): Draft => ({
    kind: 'folder',
    name: w.name,
    path: parent === undefined ? '' : `${parent.path}${w.name}/`,
    depth: w.depth,
    tally: copyTally(w),
    folders: 0,
    source: w,
    parent,
    children: [],
  });
  const root = draft(tree.top, undefined);
  let level: Draft[] = [root];
  while (level.length > 0) {
    // Candidates: each folder's largest subfolders.
    const candidates: Draft[] = [];
    for (const parent of level) {
      const w = parent.source as Readonly<WorkNode>;
      const kids = [...(w.children?.values() ?? [])]
        .map((c) => draft(c, parent))
        .sort(bySizeThenName);
      const kept = kids.slice(0, perParent);
      const other = pseudo('other', parent, w.other);
      other.folders = w.other?.folders ?? 0;
      for (const k of kids.slice(perParent)) mergeInto(other, k);
      parent.children = [...kept, other];
      // A folder with nothing but its own keys says it all: no row of "files" under it.
      if (kids.length > 0 || w.other !== undefined)
        parent.children.push(pseudo('files', parent, ownKeys(w)));
      candidates.push(...kept);
    }
    // The level's largest folders stay; the others join their parent's "other".
    candidates.sort(bySizeThenName);
    for (const dropped of candidates.slice(perLevel)) {
      const parent = dropped.parent as Draft;
      parent.children = parent.children.filter((c) => c !== dropped);
      mergeInto(parent.children.find((c) => c.kind === 'other') as Draft, dropped);
    }
    level = candidates.slice(0, perLevel);
  }
  return finish(root);
}

/** The keys directly in a folder: its counts less its subfolders' and its "other"'s. */
function ownKeys(w: Readonly<WorkNode>): Tally {
  const own = copyTally(w);
  const less = (t: Tally) => {
    t.counts.forEach((n, i) => {
      (own.counts as number[])[i] = (own.counts[i] as number) - n;
    });
    t.tests.forEach((n, i) => {
      (own.tests as number[])[i] = (own.tests[i] as number) - n;
    });
  };
  for (const c of w.children?.values() ?? []) less(c);
  if (w.other !== undefined) less(w.other);
  return own;
}

function mergeInto(other: Draft, folder: Draft): void {
  addInto(other.tally, folder.tally);
  other.folders++;
}

function pseudo(kind: 'other' | 'files', parent: Draft, from: Tally | undefined): Draft {
  return {
    kind,
    name: '',
    path: parent.path,
    depth: parent.depth + 1,
    tally: from === undefined ? newTally(parent.tally.counts.length) : copyTally(from),
    folders: 0,
    source: undefined,
    parent,
    children: [],
  };
}

function finish(d: Draft): DisplayNode {
  return {
    kind: d.kind,
    name: d.name,
    path: d.path,
    depth: d.depth,
    counts: d.tally.counts,
    total: sum(d.tally.counts),
    tests: d.tally.tests
      .map((n, test) => [test, n] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]),
    folders: d.folders,
    children: d.children.filter((c) => sum(c.tally.counts) > 0).map(finish),
  };
}
