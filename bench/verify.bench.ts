/**
 * verifySignature (SPEC S8, `oss-source-guard/verify`): verifications per second for V1 and V4,
 * in the header and in the query, over requests that ali-oss's own signing code signed for a
 * corpus of realistic keys. Run with `npm run bench -- verify` (builds first).
 *
 * The library is loaded from the built `dist/verify.js` (bench/run.mjs only redirects
 * `src/index.js`), so the figures are those of the code that ships. For scale, the same
 * signatures are also computed synchronously with `node:crypto`, and detection alone is timed.
 */
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestLike } from '../src/request/access.js';
import type * as Verify from '../src/verify/index.js';
import { makeCorpus } from './corpus.js';

const root = process.cwd();
// bench/run.mjs passes its snapshot of dist/ (immune to a rebuild during the run).
const dist = process.env.BENCH_DIST ?? join(root, 'dist');
const verify = (await import(pathToFileURL(join(dist, 'verify.js')).href)) as typeof Verify;
const core = (await import(pathToFileURL(join(dist, 'index.js')).href)) as {
  detectSignature(request: RequestLike): { kind: string };
};

interface SignUtils {
  buildCanonicalString(
    method: string,
    resource: string,
    request: { headers: Record<string, string>; parameters?: Record<string, string> },
    expires?: string,
  ): string;
  computeSignature(secret: string, canonical: string): string;
  authorizationV4(
    ak: string,
    sk: string,
    region: string,
    method: string,
    request: { headers: Record<string, string>; queries?: Record<string, string> },
    bucket: string,
    key: string,
  ): string;
}
const signUtils = createRequire(join(root, 'package.json'))(
  'ali-oss/lib/common/signUtils.js',
) as SignUtils;

const N = 2_000;
const AK = 'LTAI5tBenchKey0000001';
const SK = 'benchSecretAbcdefghijklmnopqrs';
const BUCKET = 'examplebucket';
const HOST = `${BUCKET}.oss-cn-hangzhou.aliyuncs.com`;
const NOW = new Date(Date.UTC(2024, 4, 17, 8, 30, 0));
const HTTP_DATE = NOW.toUTCString();
const ISO = NOW.toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d{3}/, '');
const EXPIRES = String(NOW.getTime() / 1000 + 3600);

const keys = makeCorpus(0x5eed, N);
const path = (key: string) => `/${key.split('/').map(encodeURIComponent).join('/')}`;
// Every third request asks for a style, as image traffic does.
const query = (i: number): Record<string, string> =>
  i % 3 === 0 ? { 'x-oss-process': 'style/small' } : {};
const qs = (q: Record<string, string>) =>
  Object.entries(q)
    .map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`)
    .join('&');
const withQuery = (key: string, q: Record<string, string>) =>
  qs(q) === '' ? path(key) : `${path(key)}?${qs(q)}`;

function v1Header(key: string, i: number): RequestLike {
  const headers = { 'x-oss-date': HTTP_DATE, 'content-type': 'image/jpeg' };
  const canonical = signUtils.buildCanonicalString('GET', `/${BUCKET}/${key}`, {
    headers,
    parameters: query(i),
  });
  const authorization = `OSS ${AK}:${signUtils.computeSignature(SK, canonical)}`;
  return { url: withQuery(key, query(i)), headers: { ...headers, host: HOST, authorization } };
}

function v1Query(key: string, i: number): RequestLike {
  const canonical = signUtils.buildCanonicalString(
    'GET',
    `/${BUCKET}/${key}`,
    { headers: {}, parameters: query(i) },
    EXPIRES,
  );
  const signed = {
    ...query(i),
    OSSAccessKeyId: AK,
    Expires: EXPIRES,
    Signature: signUtils.computeSignature(SK, canonical),
  };
  return { url: withQuery(key, signed), headers: { host: HOST } };
}

function v4Header(key: string, i: number): RequestLike {
  const headers = { 'x-oss-date': ISO, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  const authorization = signUtils.authorizationV4(
    AK,
    SK,
    'cn-hangzhou',
    'GET',
    { headers, queries: query(i) },
    BUCKET,
    key,
  );
  return { url: withQuery(key, query(i)), headers: { ...headers, host: HOST, authorization } };
}

function v4Query(key: string, i: number): RequestLike {
  const queries: Record<string, string> = {
    ...query(i),
    'x-oss-credential': `${AK}/${ISO.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`,
    'x-oss-date': ISO,
    'x-oss-expires': '3600',
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
  };
  const header = signUtils.authorizationV4(
    AK,
    SK,
    'cn-hangzhou',
    'GET',
    { headers: {}, queries },
    BUCKET,
    key,
  );
  const signature = /Signature=([0-9a-f]{64})/.exec(header)?.[1] as string;
  return {
    url: withQuery(key, { ...queries, 'x-oss-signature': signature }),
    headers: { host: HOST },
  };
}

const SETS = {
  'V1 header': keys.map(v1Header),
  'V1 query': keys.map(v1Query),
  'V4 header': keys.map(v4Header),
  'V4 query': keys.map(v4Query),
} as const;
type SetName = keyof typeof SETS;

const secrets = new Map([[AK, SK]]);
const options: Verify.VerifyOptions = { getSecret: (id) => secrets.get(id), now: NOW };

// --- Machine, and a check that every request verifies (or the timings compare nothing) -------

const cpus = os.cpus();
console.log('oss-source-guard: signature verification benchmark (verifySignature)');
console.log(
  `node ${process.version} · ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${cpus.length} cores · ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · ${os.platform()} ${os.arch()}`,
);
console.log(`corpus: ${N} keys (makeCorpus seed 0x5eed) per set, a third with x-oss-process`);
for (const [name, requests] of Object.entries(SETS)) {
  let valid = 0;
  for (const r of requests) if ((await verify.verifySignature(r, options)).valid) valid++;
  console.log(`${name}: ${valid}/${requests.length} verify`);
  if (valid !== requests.length) process.exit(1);
}

// --- Timing ---------------------------------------------------------------------------------

/** Best of `rounds` passes over the set, in operations per second. */
async function opsPerSecond(
  requests: readonly RequestLike[],
  run: (batch: readonly RequestLike[]) => Promise<unknown> | unknown,
  batchSize: number,
  rounds = 5,
): Promise<number> {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < requests.length; i += batchSize)
      await run(requests.slice(i, i + batchSize));
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, requests.length / seconds);
  }
  return best;
}

const sequential = (batch: readonly RequestLike[]) =>
  verify.verifySignature(batch[0] as RequestLike, options);
const concurrent = (batch: readonly RequestLike[]) =>
  Promise.all(batch.map((r) => verify.verifySignature(r, options)));

// node:crypto computing the same signatures synchronously: what the HMACs alone cost without
// Web Crypto's promises and thread-pool hops (strings to sign precomputed outside the timing).
const v1Strings = keys.map((key) =>
  signUtils.buildCanonicalString('GET', `/${BUCKET}/${key}`, { headers: {} }, EXPIRES),
);
function nodeV1(i: number): string {
  return createHmac('sha1', SK)
    .update(v1Strings[i] as string)
    .digest('base64');
}
function nodeV4(i: number): string {
  const canonical = `GET\n/${BUCKET}/${keys[i]}\n\nx-oss-date:${ISO}\n\nUNSIGNED-PAYLOAD`;
  const hash = createHash('sha256').update(canonical).digest('hex');
  const sts = `OSS4-HMAC-SHA256\n${ISO}\n${ISO.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request\n${hash}`;
  let k = createHmac('sha256', `aliyun_v4${SK}`).update(ISO.slice(0, 8)).digest();
  for (const part of ['cn-hangzhou', 'oss', 'aliyun_v4_request'])
    k = createHmac('sha256', k).update(part).digest();
  return createHmac('sha256', k).update(sts).digest('hex');
}
const indices = keys.map((_, i) => i);
function syncOps(fn: (i: number) => unknown): number {
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (const i of indices) fn(i);
    best = Math.max(best, N / ((performance.now() - start) / 1000));
  }
  return best;
}

// Warm up: every path through the JIT before anything counts.
for (const requests of Object.values(SETS)) {
  await opsPerSecond(requests.slice(0, 200), sequential, 1, 1);
  await opsPerSecond(requests.slice(0, 256), concurrent, 64, 1);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('\nverifications per second (best of 5 passes over 2,000 requests)\n');
console.log(`${'set'.padEnd(12)}${'one at a time'.padStart(15)}${'64 in flight'.padStart(15)}`);
for (const name of Object.keys(SETS) as SetName[]) {
  const one = await opsPerSecond(SETS[name], sequential, 1);
  const many = await opsPerSecond(SETS[name], concurrent, 64);
  console.log(`${name.padEnd(12)}${fmt(one).padStart(15)}${fmt(many).padStart(15)}`);
}
console.log('\nfor scale (operations per second)\n');
console.log(
  `${'detectSignature only (V4 header)'.padEnd(44)}${fmt(syncOps((i) => core.detectSignature(SETS['V4 header'][i] as RequestLike))).padStart(12)}`,
);
console.log(`${'node:crypto V1 HMAC-SHA1, sync'.padEnd(44)}${fmt(syncOps(nodeV1)).padStart(12)}`);
console.log(
  `${'node:crypto V4 hash + 5 HMAC-SHA256, sync'.padEnd(44)}${fmt(syncOps(nodeV4)).padStart(12)}`,
);
