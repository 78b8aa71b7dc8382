/**
 * parseRequestUrl against WHATWG `new URL()` (+ `searchParams.get`), and evaluate end to end, over
 * URLs built from the matcher corpus. Run with `npm run bench` (builds first), or
 * `node bench/run.mjs request` against an existing build.
 */
import os from 'node:os';
import { do_not_optimize, measure } from 'mitata';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
// bench/run.mjs points this import at the built dist/index.js: the benchmark measures what ships.
import {
  definePolicy,
  encodeObjectKey,
  evaluate,
  parseRequestUrl,
  type RequestLike,
} from '../src/index.js';
import { makeCorpus, mulberry32 } from './corpus.js';

const SEED = 0x5eed;
const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

// The README's example policy (the CLI's embedded one): rules, extensions, delimiters, a catalogue.
const policy = definePolicy(EXAMPLE_POLICY);

// What follows the key, as a CDN-fronted bucket sees it: mostly bare reads and styles.
const TAILS: readonly (readonly [weight: number, tail: string])[] = [
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

const rng = mulberry32(SEED ^ 0x7a11);
const pickTail = (): string => {
  let r = rng() * 100;
  for (const [w, t] of TAILS) {
    r -= w;
    if (r < 0) return t;
  }
  return '';
};
const decoder = new TextDecoder();
const encoder = new TextEncoder();
// Decoded afresh so every URL is a flat string, as one read off a socket is.
const urls = makeCorpus(SEED, 10_000).map((k) =>
  decoder.decode(encoder.encode(`${HOST}/${encodeObjectKey(k)}${pickTail()}`)),
);
const requests: RequestLike[] = urls.map((url) => ({ method: 'GET', url }));

type Fn = (i: number) => unknown;
const fns: Record<string, Fn> = {
  parseRequestUrl: (i) => parseRequestUrl(urls[i] as string, policy).ok,
  'new URL + get': (i) => new URL(urls[i] as string).searchParams.get('x-oss-process'),
  'new URL': (i) => new URL(urls[i] as string).pathname,
  // What parseRequestUrl's answer takes with WHATWG URL: the key decoded too (not a target).
  'URL+decode+get': (i) => {
    const url = new URL(urls[i] as string);
    return (
      decodeURIComponent(url.pathname.slice(1)).length +
      (url.searchParams.get('x-oss-process')?.length ?? 0)
    );
  },
  evaluate: (i) => evaluate(requests[i] as RequestLike, policy).allow,
};

function pass(fn: Fn): number {
  let n = 0;
  for (let i = 0; i < urls.length; i++) if (fn(i)) n++;
  return n;
}

const cpus = os.cpus();
console.log('oss-source-guard: request benchmark (parseRequestUrl, evaluate)');
console.log(
  `node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${cpus.length} cores · ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · ${os.platform()} ${os.arch()}`,
);
const denied = requests.filter((r) => !evaluate(r, policy).allow).length;
console.log(
  `${urls.length} URLs from the matcher corpus (seed 0x${SEED.toString(16)}), mean ` +
    `${(urls.reduce((a, u) => a + u.length, 0) / urls.length).toFixed(0)} characters; ` +
    `${((100 * denied) / urls.length).toFixed(1)}% denied under the example policy`,
);

// As in matcher.bench.ts: several rounds, best round counts (load only ever adds time), and the
// functions measured back to back in each round so their ratios see the same conditions.
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
for (let r = 0; r < 20; r++) for (const fn of Object.values(fns)) do_not_optimize(pass(fn));
const best = new Map<string, number>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, fn] of Object.entries(fns)) {
    const stats = await measure(() => do_not_optimize(pass(fn)), { min_cpu_time: 250e6 });
    best.set(name, Math.min(best.get(name) ?? Number.POSITIVE_INFINITY, stats.avg / urls.length));
  }
  console.log(`round ${round}/${ROUNDS} done`);
}

console.log('\nns per URL (best round)');
for (const [name, ns] of best) console.log(`${name.padEnd(16)} ${ns.toFixed(1).padStart(8)}`);
const ns = (name: string) => best.get(name) as number;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const speedup = ns('new URL + get') / ns('parseRequestUrl');
const evalShare = ns('evaluate') / ns('new URL');
console.log('\nratios and targets (reported, not asserted)');
console.log(
  `(new URL + get) / parseRequestUrl = ${speedup.toFixed(2)}×  target ≥ 3×: ${verdict(speedup >= 3)}`,
);
console.log(
  `evaluate / new URL = ${evalShare.toFixed(2)}×  target < 1×: ${verdict(evalShare < 1)}`,
);
// Context, not a target: WHATWG URL does not decode the path, so it gives less than
// parseRequestUrl does; decoding the key as well makes the two comparable.
const sameWork = ns('URL+decode+get') / ns('parseRequestUrl');
console.log(
  `(new URL + decodeURIComponent(path) + get) / parseRequestUrl = ${sameWork.toFixed(2)}×  (context)`,
);
