// bench-conditions: cold warm
/**
 * evaluate and parseRequestUrl against WHATWG `new URL()` alone, `new URL` + `searchParams.get`,
 * and the gateway check a developer writes by hand (bench/baselines.ts), over URLs built from the
 * matcher corpus, in the condition bench/run.mjs names (`BENCH_CONDITION`):
 *
 * - cold: a fresh process, flat URLs;
 * - warm: after bench/warm.ts (2,000 policies, keys and requests of every string shape), with URLs
 *   that are a third flat, a third sliced out of a request line, a third concatenated.
 *
 * Run with `npm run bench -- request` (builds first), or `node bench/run.mjs request` against an
 * existing build.
 */
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
// bench/run.mjs points this import at the built dist/index.js: the benchmark measures what ships.
import {
  definePolicy,
  encodeObjectKey,
  evaluate,
  parseRequestUrl,
  type RequestLike,
} from '../src/index.js';
import { makeGatewayCheck } from './baselines.js';
import { makeCorpus, mulberry32 } from './corpus.js';
import {
  condition,
  type Group,
  machine,
  measureRounds,
  medianNs,
  medianRatio,
  PROBE,
  ratio,
  ratioRange,
  verdict,
} from './harness.js';
import { flat } from './shapes.js';
import { warmUp } from './warm.js';

const SEED = 0x5eed;
const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 15;
const SAMPLE_MS = 15;
const COND = condition();

console.log(`oss-source-guard: request benchmark (evaluate, parseRequestUrl), ${COND} condition`);
console.log(machine());
if (COND === 'warm') {
  const w = warmUp();
  console.log(
    `warm-up: ${w.policies.toLocaleString('en-US')} policies, ${w.calls.toLocaleString('en-US')} calls ` +
      `on keys and requests of every string shape, ${w.seconds.toFixed(1)} s`,
  );
}

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
const paths = makeCorpus(SEED, 10_000).map((k) => `/${encodeObjectKey(k)}${pickTail()}`);
/**
 * Cold: flat URLs, as one decoded off a socket. Warm: a third flat, a third sliced out of the
 * request line (`GET <url> HTTP/1.1`, as an HTTP parser hands it over), a third the host and the
 * path concatenated (as a proxy rebuilds a URL).
 */
const urls = paths.map((path, i) => {
  if (COND === 'cold' || i % 3 === 0) return flat(`${HOST}${path}`);
  if (i % 3 === 1) {
    const line = flat(`GET ${HOST}${path} HTTP/1.1`);
    return line.slice(4, line.length - 9);
  }
  return HOST + flat(path);
});
const requests: RequestLike[] = urls.map((url) => ({ method: 'GET', url }));
const gateway = makeGatewayCheck(policy);

console.log(
  `${urls.length} URLs from the matcher corpus (seed 0x${SEED.toString(16)}), mean ` +
    `${(urls.reduce((a, u) => a + u.length, 0) / urls.length).toFixed(0)} characters, ` +
    `${COND === 'cold' ? 'all flat' : 'a third each flat, sliced, concatenated'}; ` +
    `${((100 * requests.filter((r) => !evaluate(r, policy).allow).length) / urls.length).toFixed(1)}% ` +
    `denied by evaluate, ${((100 * urls.filter((u) => !gateway(u)).length) / urls.length).toFixed(1)}% ` +
    'by the hand-written gateway check, under the example policy',
);

// Each competitor has its own loop, so each loop's call site sees one function.
function passEvaluate(): number {
  let n = 0;
  for (let i = 0; i < requests.length; i++)
    if (evaluate(requests[i] as RequestLike, policy).allow) n++;
  return n;
}
function passParse(): number {
  let n = 0;
  for (let i = 0; i < urls.length; i++) if (parseRequestUrl(urls[i] as string, policy).ok) n++;
  return n;
}
function passGateway(): number {
  let n = 0;
  for (let i = 0; i < urls.length; i++) if (gateway(urls[i] as string)) n++;
  return n;
}
function passUrl(): number {
  let n = 0;
  for (let i = 0; i < urls.length; i++) n += new URL(urls[i] as string).pathname.length;
  return n & 1;
}
function passUrlGet(): number {
  let n = 0;
  for (let i = 0; i < urls.length; i++)
    if (new URL(urls[i] as string).searchParams.get('x-oss-process') !== null) n++;
  return n;
}

const NAMES = ['evaluate', 'parseRequestUrl', 'gateway check', 'new URL', 'new URL + get'] as const;
const group: Group = {
  id: 'requests',
  inputs: urls.length,
  competitors: [
    { name: 'evaluate', pass: passEvaluate },
    { name: 'parseRequestUrl', pass: passParse },
    { name: 'gateway check', pass: passGateway },
    { name: 'new URL', pass: passUrl },
    { name: 'new URL + get', pass: passUrlGet },
  ],
};
for (let r = 0; r < 10; r++) for (const c of group.competitors) c.pass();

console.log(
  `\ntiming: ${ROUNDS} rounds; each round measures every function back to back (order rotating), ` +
    `about ${SAMPLE_MS} ms each; one pass = ${urls.length} URLs`,
);
const samples = measureRounds([group, PROBE], ROUNDS, SAMPLE_MS);

console.log(`\nns per URL, median of ${ROUNDS} rounds (${COND})\n`);
for (const name of NAMES)
  console.log(`${name.padEnd(18)} ${medianNs(samples, 'requests', name).toFixed(1).padStart(8)}`);

const r = (a: string, b: string) => {
  const m = medianRatio(samples, 'requests', a, b);
  const [lo, hi] = ratioRange(samples, 'requests', a, b);
  return { m, text: `${ratio(m)} [${lo.toFixed(2)}–${hi.toFixed(2)}]` };
};
const gw = r('gateway check', 'evaluate');
const url = r('evaluate', 'new URL');
const parse = r('new URL + get', 'parseRequestUrl');
const parseUrl = r('parseRequestUrl', 'new URL');
console.log(
  `\nratios, median of the per-round ratios [lowest–highest round] and targets (${COND})`,
);
console.log(`gateway check / evaluate = ${gw.text}  target ≥ 2.5×: ${verdict(gw.m >= 2.5)}`);
console.log(`evaluate / new URL = ${url.text}  target ≤ 1×: ${verdict(url.m <= 1)}`);
console.log(`(new URL + get) / parseRequestUrl = ${parse.text}  (context)`);
console.log(`parseRequestUrl / new URL = ${parseUrl.text}  (context)`);

const figures: Record<string, number> = {};
for (const name of NAMES) figures[name] = medianNs(samples, 'requests', name);
console.log(
  `BENCH-RESULT ${JSON.stringify({ bench: 'request', condition: COND, figures, probe: medianNs(samples, 'machine', 'probe') })}`,
);
