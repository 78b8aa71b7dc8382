/**
 * Where `evaluate`'s time goes: each stage of the request path timed on its own over the request
 * benchmark's URLs (bench/request.bench.ts: same corpus, same tails, same seed, flat strings),
 * with `evaluate`, `parseRequestUrl` and `new URL()` in the same interleaved rounds for scale.
 * The stages are internal functions, so this is bundled from src/ (`node bench/stages.mjs`), not
 * from the built dist/; it is not part of `npm run bench`. Stages overlap (the literal reading
 * includes the decoding and the delimiter readings), so the rows do not add up to `evaluate`.
 */
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import { compiled } from '../src/compile/index.js';
import { definePolicy, encodeObjectKey, evaluate, parseRequestUrl } from '../src/index.js';
import { objectKeyProblem } from '../src/oss/names.js';
import { decodeWellFormed } from '../src/request/decode.js';
import { delimiterSplits } from '../src/request/delimiters.js';
import { readAuthority } from '../src/request/host.js';
import { readQuery } from '../src/request/query.js';
import { literalOnly } from '../src/request/scan.js';
import { locate } from '../src/request/target.js';
import { classifySignature } from '../src/signature/detect.js';
import { makeCorpus, mulberry32 } from './corpus.js';
import { type Group, machine, measureRounds, medianNs, medianRatio } from './harness.js';

const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
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
const rng = mulberry32(0x5eed ^ 0x7a11);
const tail = (): string => {
  let r = rng() * 100;
  for (const [w, t] of TAILS) {
    r -= w;
    if (r < 0) return t;
  }
  return '';
};
const policy = definePolicy(EXAMPLE_POLICY);
const c = compiled(policy);
const urls = makeCorpus(0x5eed, 10_000).map((k) => `${HOST}/${encodeObjectKey(k)}${tail()}`);
const requests = urls.map((url) => ({ method: 'GET', url }));
const at = urls.map((u) => locate(u) as NonNullable<ReturnType<typeof locate>>);
const paths = urls.map((u, i) => u.slice(at[i]?.pathStart, (at[i]?.queryStart as number) - 1));
const queries = urls.map(
  (u, i) =>
    readQuery(u, at[i]?.queryStart as number, at[i]?.queryEnd as number, true)?.params ?? [],
);
const keys = paths.map((p) => decodeWellFormed(p.slice(1)) as string);
// As the literal reading calls it: told when the key holds no escape.
const escaped = keys.map((k, i) => k !== (paths[i] as string).slice(1));

const each = (f: (i: number) => unknown): (() => number) => {
  return () => {
    let n = 0;
    for (let i = 0; i < urls.length; i++) if (f(i)) n++;
    return n;
  };
};
const STAGES: readonly [string, () => number][] = [
  ['evaluate', each((i) => evaluate(requests[i] as (typeof requests)[number], policy).allow)],
  ['parseRequestUrl', each((i) => parseRequestUrl(urls[i] as string, policy).ok)],
  ['new URL', each((i) => new URL(urls[i] as string).pathname.length > 1)],
  ['locate (target.ts)', each((i) => locate(urls[i] as string))],
  [
    'readAuthority (host.ts)',
    each((i) =>
      readAuthority(
        urls[i] as string,
        at[i]?.authorityStart as number,
        at[i]?.authorityEnd as number,
        undefined,
      ),
    ),
  ],
  [
    'readQuery (query.ts)',
    each((i) =>
      readQuery(urls[i] as string, at[i]?.queryStart as number, at[i]?.queryEnd as number, true),
    ),
  ],
  ['decode the key (decode.ts)', each((i) => decodeWellFormed((paths[i] as string).slice(1)))],
  ['literalOnly (scan.ts)', each((i) => literalOnly(paths[i] as string))],
  [
    'objectKeyProblem (oss/names.ts)',
    each((i) => objectKeyProblem(keys[i] as string) === undefined),
  ],
  [
    'delimiterSplits (delimiters.ts)',
    each((i) =>
      delimiterSplits(
        urls[i] as string,
        (at[i]?.pathStart as number) + 1,
        (at[i]?.queryStart as number) - 1,
        c.styles,
        escaped[i],
      ),
    ),
  ],
  [
    'classifySignature (detect.ts)',
    each((i) => classifySignature(requests[i] as (typeof requests)[number], queries[i] ?? [])),
  ],
  ['matcher.match (match/)', each((i) => c.matcher.match(keys[i] as string))],
];

console.log('oss-source-guard: the stages of evaluate, bundled from src/, flat URLs');
console.log(machine());
const rounds = Number(process.env.BENCH_ROUNDS) || 9;
const groups: Group[] = [
  {
    id: 'stages',
    inputs: urls.length,
    competitors: STAGES.map(([name, pass]) => ({ name, pass })),
  },
];
for (let r = 0; r < 5; r++) for (const [, pass] of STAGES) pass();
const samples = measureRounds(groups, rounds, 15);
console.log(
  `\nns per URL, median of ${rounds} rounds; ÷ new URL: median of the per-round ratios\n`,
);
for (const [name] of STAGES)
  console.log(
    `${name.padEnd(34)}${medianNs(samples, 'stages', name).toFixed(1).padStart(9)}` +
      `${`${medianRatio(samples, 'stages', name, 'new URL').toFixed(2)}×`.padStart(9)}`,
  );
