/**
 * Two builds of the library side by side in one process (`bench/compare.mjs` bundles both and
 * calls {@link compare}): the matcher and request scenarios that exist in both, each build timed
 * once per round, back to back, in an order that alternates; the ratio `head ÷ base` is taken per
 * round and its median reported. Above 1 means the head build is slower.
 *
 * Only the public API both builds share is used (`definePolicy`, `isProtected`,
 * `parseRequestUrl`, `evaluate`, `encodeObjectKey`): the base may be any commit since the
 * request benchmark existed (`413befc`, the last flat-layout commit, for issue 14).
 */
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import type * as Library from '../src/index.js';
import { makeCorpus, mulberry32 } from './corpus.js';
import { type Group, machine, measureRounds, median } from './harness.js';
import { IMAGE_EXTENSIONS, TEN_RULES } from './policies.js';
import { inShape } from './shapes.js';

type Lib = Pick<
  typeof Library,
  'definePolicy' | 'isProtected' | 'parseRequestUrl' | 'evaluate' | 'encodeObjectKey'
>;

const SEED = 0x5eed;
const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

const MATCHER_POLICIES: readonly [name: string, input: Library.PolicyInput][] = [
  ['isProtected 1. 1 rule', { rules: [{ prefix: 'image/' }] }],
  ['isProtected 2. 10 rules, CS', { rules: TEN_RULES }],
  ['isProtected 3. 10 rules, CI', { rules: TEN_RULES, caseInsensitive: true }],
  ['isProtected 4. 8 extensions', { extensions: IMAGE_EXTENSIONS }],
  ['isProtected 5. ["*"]', { extensions: ['*'] }],
  [
    'isProtected 6. 10 CI rules + 8 ext',
    { rules: TEN_RULES, caseInsensitive: true, extensions: IMAGE_EXTENSIONS },
  ],
];

/** The request benchmark's tails (bench/request.bench.ts), same weights, same seed. */
const TAILS: readonly (readonly [number, string])[] = [
  [40, ''],
  [25, '?x-oss-process=style/small'],
  [10, '?x-oss-process=image/resize,w_100'],
  [10, '!small'],
  [10, '?v=1732780800&x-oss-process=style/thumb'],
  [
    5,
    '?OSSAccessKeyId=LTAI5tExample&Expires=2000000000&Signature=q2Tg%2B4Rz0hN2aNBlLgnbRTHSn5U%3D',
  ],
];

/** Strings as the request bench's two conditions have them: all flat, or a third of each shape. */
function shaped(s: string, i: number, mixed: boolean): string {
  if (!mixed) return s;
  const shape = i % 3 === 0 ? 'flat one-byte' : i % 3 === 1 ? 'sliced' : 'concatenated';
  return inShape(s, shape, i) ?? s;
}

/** Build one build's competitor for every scenario. */
function scenarios(lib: Lib, mixed: boolean): Map<string, () => number> {
  // (Scenarios are built whatever `only` says: each build then sees the same warm-up calls.)
  const out = new Map<string, () => number>();
  const keys = makeCorpus(SEED, 10_000).map((k, i) => shaped(k, i, mixed));
  for (const [name, input] of MATCHER_POLICIES) {
    const policy = lib.definePolicy(input);
    out.set(name, () => {
      let n = 0;
      for (let i = 0; i < keys.length; i++) if (lib.isProtected(keys[i] as string, policy)) n++;
      return n;
    });
  }
  const rng = mulberry32(SEED ^ 0x7a11);
  const tail = (): string => {
    let r = rng() * 100;
    for (const [w, t] of TAILS) {
      r -= w;
      if (r < 0) return t;
    }
    return '';
  };
  const urls = makeCorpus(SEED, 10_000).map((k, i) =>
    shaped(`${HOST}/${lib.encodeObjectKey(k)}${tail()}`, i, mixed),
  );
  const requests = urls.map((url) => ({ method: 'GET', url }));
  const policy = lib.definePolicy(EXAMPLE_POLICY);
  out.set('parseRequestUrl', () => {
    let n = 0;
    for (let i = 0; i < urls.length; i++)
      if (lib.parseRequestUrl(urls[i] as string, policy).ok) n++;
    return n;
  });
  out.set('evaluate', () => {
    let n = 0;
    for (let i = 0; i < requests.length; i++)
      if (lib.evaluate(requests[i] as (typeof requests)[number], policy).allow) n++;
    return n;
  });
  return out;
}

/**
 * Time `base` and `head` side by side and print, per scenario, the median ns per input of each
 * and the median of the per-round ratios head ÷ base with the lowest and highest round.
 */
export function compare(
  base: Lib,
  head: Lib,
  labels: { base: string; head: string },
  options: { rounds: number; mixed: boolean; only: string; headFirst: boolean },
): void {
  console.log(
    `oss-source-guard: ${labels.head} against ${labels.base}, one process, ` +
      `${options.headFirst ? labels.head : labels.base}'s inputs built first`,
  );
  console.log(machine());
  // Which build's inputs are allocated first (and so which build warms up first) can favour one
  // side by a few percent: bench/compare.mjs runs both orders and combines them.
  const b0 = options.headFirst ? scenarios(head, options.mixed) : undefined;
  const a = scenarios(base, options.mixed);
  const b = b0 ?? scenarios(head, options.mixed);
  // The two builds must agree on every count: the same decisions, or the comparison is moot.
  for (const [name, pass] of a) {
    const x = pass();
    const y = (b.get(name) as () => number)();
    if (x !== y) throw new Error(`${name}: ${labels.base} counts ${x}, ${labels.head} ${y}`);
  }
  const groups: Group[] = [...a.keys()]
    .filter((name) => name.includes(options.only))
    .map((name) => ({
      id: name,
      inputs: 10_000,
      competitors: [
        { name: 'base', pass: a.get(name) as () => number },
        { name: 'head', pass: b.get(name) as () => number },
      ],
    }));
  for (let r = 0; r < 5; r++) for (const g of groups) for (const c of g.competitors) c.pass();
  console.log(
    `\n${options.rounds} rounds, ${options.mixed ? 'strings a third flat, sliced, concatenated' : 'flat strings'}; ` +
      'each round times both builds of every scenario back to back (order alternating)\n',
  );
  const samples = measureRounds(groups, options.rounds, 15);
  console.log(
    `\n${'scenario'.padEnd(36)}${`${labels.base} ns`.padStart(20)}${`${labels.head} ns`.padStart(20)}` +
      `${'head ÷ base'.padStart(14)}  [lowest–highest round]`,
  );
  const rows: Record<string, number> = {};
  for (const g of groups) {
    const xs = samples.get(g.id)?.get('base') ?? [];
    const ys = samples.get(g.id)?.get('head') ?? [];
    const ratios = ys.map((y, i) => y / (xs[i] as number));
    const m = median(ratios);
    rows[g.id] = m;
    console.log(
      `${g.id.padEnd(36)}${median(xs).toFixed(1).padStart(20)}${median(ys).toFixed(1).padStart(20)}` +
        `${`${m.toFixed(2)}×`.padStart(14)}  [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`,
    );
  }
  console.log(
    `BENCH-COMPARE ${JSON.stringify({ ...labels, mixed: options.mixed, headFirst: options.headFirst, ratios: rows })}`,
  );
}
