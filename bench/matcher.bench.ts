// bench-conditions: cold warm
/**
 * isProtected against a hand-written matcher, picomatch and two read-only floors, over one corpus
 * of realistic keys, for six policies, in the condition bench/run.mjs names (`BENCH_CONDITION`):
 *
 * - cold: a fresh process, flat keys, nothing else run before;
 * - warm: after bench/warm.ts (2,000 policies, keys and requests of every string shape), with keys
 *   that are a third flat, a third sliced out of request targets, a third concatenated.
 *
 * Also the build cost of a compiled policy. Run with `npm run bench -- matcher` (builds first), or
 * `node bench/run.mjs matcher` against an existing build.
 */
import { do_not_optimize } from 'mitata';
// Types come from src; bench/run.mjs points this import at the built dist/index.js, so the
// benchmark measures the code that ships.
import {
  compilePolicy,
  definePolicy,
  isProtected,
  type Policy,
  type PolicyInput,
} from '../src/index.js';
import { referenceIsProtected } from '../test/reference.js';
import { floor, floorBundledConst, floorUncurried, makeNaive, makePicomatch } from './baselines.js';
import { isNonAscii, makeCorpus } from './corpus.js';
import {
  condition,
  type Group,
  machine,
  measureRounds,
  median,
  medianNs,
  medianRatio,
  PROBE,
  ratio,
  ratioRange,
  verdict,
} from './harness.js';
import { IMAGE_EXTENSIONS, TEN_RULES } from './policies.js';
import { flat, inShape } from './shapes.js';
import { warmUp } from './warm.js';

const SEED = 0x5eed;
const CORPUS_SIZE = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 15;
const SAMPLE_MS = 12;
const COND = condition();

console.log(`oss-source-guard: matcher benchmark (isProtected), ${COND} condition`);
console.log(machine());

if (COND === 'warm') {
  const w = warmUp();
  console.log(
    `warm-up: ${w.policies.toLocaleString('en-US')} policies, ${w.calls.toLocaleString('en-US')} calls ` +
      `on keys and requests of every string shape, ${w.seconds.toFixed(1)} s`,
  );
}

interface Scenario {
  readonly id: string;
  readonly name: string;
  readonly input: PolicyInput;
  readonly policy: Policy;
}

const scenario = (id: string, name: string, input: PolicyInput): Scenario => ({
  id,
  name,
  input,
  policy: definePolicy(input),
});

const SCENARIOS: readonly Scenario[] = [
  scenario('1', '1 rule', { rules: [{ prefix: 'image/' }] }),
  scenario('2', '10 rules, case-sensitive', { rules: TEN_RULES }),
  scenario('3', '10 rules, case-insensitive', { rules: TEN_RULES, caseInsensitive: true }),
  scenario('4', '8 extensions', { extensions: IMAGE_EXTENSIONS }),
  scenario('5', 'extensions ["*"]', { extensions: ['*'] }),
  scenario('6', '10 CI rules + 8 extensions', {
    rules: TEN_RULES,
    caseInsensitive: true,
    extensions: IMAGE_EXTENSIONS,
  }),
];

// --- The timed keys ------------------------------------------------------------------------------

const corpus = makeCorpus(SEED, CORPUS_SIZE);
/**
 * Cold: the corpus as decoded, flat. Warm: a third flat, a third sliced out of a request target (a
 * one-byte or two-byte one), a third concatenated from two flat parts; keys shorter than 13 units
 * have no sliced or concatenated form in V8 and stay flat.
 */
const keys =
  COND === 'cold'
    ? corpus
    : corpus.map(
        (k, i) =>
          inShape(k, i % 3 === 0 ? 'flat one-byte' : i % 3 === 1 ? 'sliced' : 'concatenated', i) ??
          flat(k),
      );
const indirect =
  COND === 'cold' ? 0 : corpus.filter((k, i) => i % 3 !== 0 && k.length >= 13).length;

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
const utf8 = new TextEncoder();
const bytes = corpus.map((k) => utf8.encode(k).length);
const noExtension = corpus.filter((k) => !/\.[^./]+$/.test(k)).length;
console.log(
  `corpus: ${keys.length} keys (seed 0x${SEED.toString(16)}), ` +
    `${pct(corpus.filter(isNonAscii).length, keys.length)} non-ASCII, ` +
    `${pct(noExtension, keys.length)} without extension, ` +
    `${pct(bytes.filter((b) => b >= 400).length, keys.length)} ≥ 400 bytes, ` +
    `mean ${(bytes.reduce((a, b) => a + b, 0) / keys.length).toFixed(0)} bytes; ` +
    (COND === 'cold'
      ? 'all flat'
      : `${pct(keys.length - indirect, keys.length)} flat, ${pct(indirect, keys.length)} sliced or concatenated`),
);

// --- Competitors: each kind has its own pass loop, so each loop's call site sees one function ----

let hitsSink = 0;
function passOurs(policy: Policy): number {
  let hits = 0;
  for (let i = 0; i < keys.length; i++) if (isProtected(keys[i] as string, policy)) hits++;
  return hits;
}
function passNaive(fn: (key: string) => boolean): number {
  let hits = 0;
  for (let i = 0; i < keys.length; i++) if (fn(keys[i] as string)) hits++;
  return hits;
}
function passPicomatch(fn: (key: string) => boolean): number {
  let hits = 0;
  for (let i = 0; i < keys.length; i++) if (fn(keys[i] as string)) hits++;
  return hits;
}
function passFloor(): number {
  let sum = 0;
  for (let i = 0; i < keys.length; i++) sum += floor(keys[i] as string);
  return sum & 1;
}
function passFloorUncurried(): number {
  let sum = 0;
  for (let i = 0; i < keys.length; i++) sum += floorUncurried(keys[i] as string);
  return sum & 1;
}
/** The loop and a call per key that does nothing: the part of every figure that is the harness. */
const nothing = (key: string): boolean => key === '\u0000';
function passLoopOnly(): number {
  let hits = 0;
  for (let i = 0; i < keys.length; i++) if (nothing(keys[i] as string)) hits++;
  return hits;
}
function passFloorBundledConst(): number {
  let sum = 0;
  for (let i = 0; i < keys.length; i++) sum += floorBundledConst(keys[i] as string);
  return sum & 1;
}

const KINDS = ['ours', 'naive', 'picomatch', 'floor', 'floor (uncurried)'] as const;
const groups: Group[] = SCENARIOS.map((s) => {
  const naive = makeNaive(s.policy);
  const pico = makePicomatch(s.policy);
  return {
    id: s.id,
    inputs: keys.length,
    competitors: [
      { name: 'ours', pass: () => passOurs(s.policy) },
      { name: 'naive', pass: () => passNaive(naive) },
      { name: 'picomatch', pass: () => passPicomatch(pico) },
      { name: 'floor', pass: passFloor },
      { name: 'floor (uncurried)', pass: passFloorUncurried },
      // Once is enough: the floors do not depend on the policy.
      ...(s.id === '1'
        ? [
            { name: 'floor (bundled const)', pass: passFloorBundledConst },
            { name: 'loop only', pass: passLoopOnly },
          ]
        : []),
    ],
  };
});

// --- Agreement: every matcher must give the reference's answers, or the timings compare nothing --

let broken = false;
for (const s of SCENARIOS) {
  const expected = corpus.map((k) => referenceIsProtected(k, s.policy));
  const g = groups.find((x) => x.id === s.id) as Group;
  const naive = makeNaive(s.policy);
  const pico = makePicomatch(s.policy);
  const disagree = (fn: (k: string) => boolean) =>
    keys.filter((k, i) => fn(k) !== expected[i]).length;
  const ours = disagree((k) => isProtected(k, s.policy));
  console.log(
    `scenario ${s.id} (${s.name}): ${pct(expected.filter(Boolean).length, keys.length)} protected; ` +
      `disagreements with the S3 reference: ours ${ours}, naive ${disagree(naive)}, ` +
      `picomatch ${disagree(pico)}`,
  );
  if (ours > 0) broken = true;
  // Warm every competitor up before any timing, so none pays for the JIT settling.
  for (let r = 0; r < 20; r++) for (const c of g.competitors) hitsSink += c.pass();
}
if (broken) {
  console.error('isProtected disagrees with test/reference.ts on the corpus; not timing it.');
  process.exit(1);
}

// --- Timing --------------------------------------------------------------------------------------

console.log(
  `\ntiming: ${ROUNDS} rounds; each round measures every competitor of a scenario back to back ` +
    `(order rotating), about ${SAMPLE_MS} ms each; one pass = ${keys.length} keys`,
);
const samples = measureRounds([...groups, PROBE], ROUNDS, SAMPLE_MS);
do_not_optimize(hitsSink);

const f2 = (n: number) => n.toFixed(2);
const row = (cells: string[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');

console.log(`\nns per key, median of ${ROUNDS} rounds (${COND})\n`);
const w1 = [32, 8, 8, 10, 8, 10];
console.log(
  row(['scenario', ...KINDS.map((k) => (k === 'floor (uncurried)' ? 'floor(unc)' : k))], w1),
);
for (const s of SCENARIOS)
  console.log(row([`${s.id}. ${s.name}`, ...KINDS.map((k) => f2(medianNs(samples, s.id, k)))], w1));

console.log(`\nratios, median of the per-round ratios [lowest–highest round] (${COND})\n`);
const w2 = [32, 22, 22, 20, 20];
console.log(
  row(['scenario', 'naive / ours', 'picomatch / ours', 'ours / floor', 'ours / floor(unc)'], w2),
);
const cell = (id: string, a: string, b: string) => {
  const [lo, hi] = ratioRange(samples, id, a, b);
  return `${ratio(medianRatio(samples, id, a, b))} [${lo.toFixed(1)}–${hi.toFixed(1)}]`;
};
for (const s of SCENARIOS)
  console.log(
    row(
      [
        `${s.id}. ${s.name}`,
        cell(s.id, 'naive', 'ours'),
        cell(s.id, 'picomatch', 'ours'),
        cell(s.id, 'ours', 'floor'),
        cell(s.id, 'ours', 'floor (uncurried)'),
      ],
      w2,
    ),
  );

console.log(`\ntargets (reported, not asserted; ${COND})`);
for (const s of SCENARIOS) {
  const n = medianRatio(samples, s.id, 'naive', 'ours');
  const p = medianRatio(samples, s.id, 'picomatch', 'ours');
  console.log(
    `scenario ${s.id}: naive / ours = ${ratio(n)} (≥ 4×: ${verdict(n >= 4)}); ` +
      `picomatch / ours = ${ratio(p)} (≥ 8×: ${verdict(p >= 8)})`,
  );
}
console.log(
  `floors (scenario 1's rounds): floor / floor(uncurried) = ${cell('1', 'floor', 'floor (uncurried)')} ` +
    '(the key.charCodeAt call site); floor(bundled const) / floor(uncurried) = ' +
    `${cell('1', 'floor (bundled const)', 'floor (uncurried)')} (a module const bundled as var)`,
);
console.log(
  `the harness alone (scenario 1's rounds): loop only = ${f2(medianNs(samples, '1', 'loop only'))} ns/key; ` +
    `picomatch / loop only = ${cell('1', 'picomatch', 'loop only')} (the most any matcher could reach)`,
);

// --- Build cost ----------------------------------------------------------------------------------

/** Time to compile a fresh copy of `input` (validation excluded), median over `n` copies. */
function buildCost(input: PolicyInput, n: number): number {
  const copies = Array.from({ length: n }, () => definePolicy(input));
  const times: number[] = [];
  for (const p of copies) {
    const t0 = process.hrtime.bigint();
    compilePolicy(p);
    times.push(Number(process.hrtime.bigint() - t0));
  }
  return median(times);
}
const LONG = 'a-rather-long-folder-name-for-originals/'.repeat(25).slice(0, 1000);
const BUILDS: readonly [string, PolicyInput][] = [
  ...SCENARIOS.map((s): [string, PolicyInput] => [`${s.id}. ${s.name}`, s.input]),
  [
    'README example (3 rules, 2 extensions, styles)',
    {
      rules: [
        { prefix: 'image/' },
        { suffix: '.png', caseInsensitive: true },
        { prefix: 'raw/', suffix: '.tif' },
      ],
      extensions: ['jpg', 'jpeg'],
      delimiters: ['!', '-'],
      styles: ['small', 'thumb', 'watermarked'],
    },
  ],
  [
    '10 CI rules of 64 units + 100 extensions',
    {
      rules: Array.from({ length: 10 }, (_, i) => ({
        prefix: `${'p'.repeat(63)}${i}`,
        suffix: `${i}${'s'.repeat(63)}`,
      })),
      caseInsensitive: true,
      extensions: Array.from({ length: 100 }, (_, i) => `e${i}`),
    },
  ],
  [
    '10 rules of 1,000 units (exact path)',
    { rules: Array.from({ length: 10 }, (_, i) => ({ prefix: `${i}${LONG}`, suffix: LONG })) },
  ],
];
// Warm the build path up, then measure.
for (const [, input] of BUILDS) buildCost(input, 50);
console.log(
  `\nbuild cost: compilePolicy on a fresh policy (matcher and style index), median of 500\n`,
);
const buildFigures: Record<string, number> = {};
for (const [name, input] of BUILDS) {
  const ns = buildCost(input, 500);
  buildFigures[name] = ns;
  console.log(`${name.padEnd(48)} ${(ns / 1000).toFixed(1).padStart(8)} µs`);
}

// One line for bench/run.mjs, which compares the two conditions.
const figures: Record<string, number> = {};
for (const s of SCENARIOS)
  for (const k of KINDS) figures[`${s.id} ${k}`] = medianNs(samples, s.id, k);
figures['floor (bundled const)'] = medianNs(samples, '1', 'floor (bundled const)');
figures['loop only'] = medianNs(samples, '1', 'loop only');
console.log(
  `BENCH-RESULT ${JSON.stringify({ bench: 'matcher', condition: COND, figures, probe: medianNs(samples, 'machine', 'probe'), build: buildFigures })}`,
);
