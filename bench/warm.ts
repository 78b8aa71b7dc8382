/**
 * The warm condition: what a server's process has seen before the figures are taken. A hot loop
 * in a fresh process sees one policy and flat strings, and every call site in the library keeps
 * the fast, monomorphic code that flatters it; a server has compiled many policies and read keys
 * and request targets of every string shape (flat one-byte and two-byte, sliced from the request,
 * concatenated) through every entry point. `warmUp` does that first: 2,000 generated policies,
 * each asked about keys and requests in every shape through `isProtected`, `matchProtection`,
 * `parseRequestUrl`, `evaluate` (with each header shape) and `detectSignature`, and the baselines
 * fed the same strings, so that their call sites are in the state a server leaves them in too.
 */
import {
  definePolicy,
  detectSignature,
  encodeObjectKey,
  evaluate,
  isProtected,
  matchProtection,
  type Policy,
  type PolicyInput,
  type ProtectionRuleInput,
  parseRequestUrl,
  type RequestLike,
} from '../src/index.js';
import { floor, floorUncurried, makeGatewayCheck, makeNaive, makePicomatch } from './baselines.js';
import { makeCorpus, mulberry32 } from './corpus.js';
import { flat, inShape, SHAPES } from './shapes.js';

export const WARM_POLICIES = 2_000;
const KEYS_PER_POLICY = 12;
const URLS_PER_POLICY = 6;

const PREFIXES = [
  'image/',
  'images/',
  'photos/',
  'user/',
  'raw/',
  'static/img/',
  'Private/',
  'uploads/2024/',
  'a',
  '.well-known/',
  '图片/',
  'фото/',
  '\u017fecret/',
  'İmg/',
];
const SUFFIXES = [
  '.png',
  '.jpg',
  '_orig.jpg',
  '.heic',
  '.tif',
  '.PNG',
  '@2x.png',
  '原图.jpg',
  '-full',
];
const EXTENSIONS = [
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'heic',
  'tif',
  'tiff',
  'bmp',
  'svg',
  'avif',
];
const DELIMITERS = ['!', '-', '/', '_'] as const;
const STYLES = ['small', 'thumb', 'large', 'watermarked', 'w_100'];
const TAILS = [
  '',
  '?x-oss-process=style/small',
  '?x-oss-process=image/resize,w_100',
  '!small',
  '-thumb',
  '?v=1&x-oss-process=style/thumb',
  '?OSSAccessKeyId=LTAI5tExample&Expires=2000000000&Signature=q2Tg%2B4Rz0hN2aNBlLgnbRTHSn5U%3D',
  '?x-oss-process=image/watermark,image_aW1hZ2UvYS5qcGc',
];
const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const some = <T>(rng: Rng, list: readonly T[], p: number): T[] => list.filter(() => rng() < p);

function policyInput(rng: Rng): PolicyInput {
  const rules: ProtectionRuleInput[] = [];
  const n = Math.floor(rng() * 11);
  for (let i = 0; i < n; i++) {
    const r = rng();
    const ci = rng() < 0.5;
    if (r < 0.45) rules.push({ prefix: pick(rng, PREFIXES), caseInsensitive: ci });
    else if (r < 0.8) rules.push({ suffix: pick(rng, SUFFIXES), caseInsensitive: ci });
    else
      rules.push({ prefix: pick(rng, PREFIXES), suffix: pick(rng, SUFFIXES), caseInsensitive: ci });
  }
  const input: PolicyInput = {
    rules,
    caseInsensitive: rng() < 0.3,
    extensions: rng() < 0.1 ? ['*'] : some(rng, EXTENSIONS, 0.3),
    delimiters: some(rng, DELIMITERS, 0.4),
  };
  return rng() < 0.5 ? { ...input, styles: some(rng, STYLES, 0.6) } : input;
}

/** A key in a shape chosen by `i`, when it has that shape (short keys stay flat). */
const shaped = (key: string, i: number): string =>
  inShape(key, SHAPES[i % SHAPES.length] as (typeof SHAPES)[number], i) ?? flat(key);

/** The request shapes `evaluate` accepts: a target with a Host header in each header form, a URL. */
function requestsFor(url: string, target: string, i: number): RequestLike[] {
  return [
    { method: 'GET', url },
    { method: 'GET', url: target, headers: { host: HOST } },
    { method: 'HEAD', url: target, headers: [['Host', HOST]] },
    { url: target, headers: new Headers({ host: HOST, 'x-oss-date': '20240517T083000Z' }) },
    { method: i % 2 === 0 ? 'get' : 'POST', url, rawHeaders: ['Host', HOST] },
  ];
}

/** A key as the SDK sends it; one with a lone surrogate cannot be encoded and is sent raw. */
function encoded(key: string): string {
  try {
    return encodeObjectKey(key);
  } catch {
    return key;
  }
}

export interface WarmStats {
  readonly policies: number;
  readonly calls: number;
  readonly seconds: number;
}

/** Run the warm-up; deterministic (its own seed). */
export function warmUp(): WarmStats {
  const started = performance.now();
  const rng = mulberry32(0x3a7f);
  const keys = makeCorpus(0xc0ffee, 4_000);
  // A few keys with the letters R2 folds, lone surrogates and two-byte text, so those paths run.
  keys.push(
    '\u017fecret/a.jpg',
    'PR\u0130VATE/x.png',
    'a\ud800/b.gif',
    'ƒоtо/照片.HEIC',
    'x.M\u212aV',
  );
  let calls = 0;
  let sink = 0;
  for (let p = 0; p < WARM_POLICIES; p++) {
    const policy: Policy = definePolicy(policyInput(rng));
    const naive = makeNaive(policy);
    // picomatch compiles globs to regular expressions: a tenth of the policies is enough to warm it.
    const pico = p % 10 === 0 ? makePicomatch(policy) : undefined;
    const gateway = makeGatewayCheck(policy);
    for (let j = 0; j < KEYS_PER_POLICY; j++) {
      const i = p * KEYS_PER_POLICY + j;
      const key = shaped(keys[i % keys.length] as string, i);
      sink += isProtected(key, policy) ? 1 : 0;
      sink += matchProtection(key, policy, j % 3 === 0 ? { contentType: 'image/png' } : undefined)
        ? 1
        : 0;
      sink += naive(key) ? 1 : 0;
      if (pico) sink += pico(key) ? 1 : 0;
      sink += floor(key) + floorUncurried(key);
      calls += pico ? 6 : 5;
    }
    for (let j = 0; j < URLS_PER_POLICY; j++) {
      const i = p * URLS_PER_POLICY + j;
      const key = keys[(i * 7) % keys.length] as string;
      const path = `/${encoded(key)}${TAILS[i % TAILS.length]}`;
      // A third of the targets as flat strings, a third sliced from a request line, a third joined.
      const line = flat(`GET https://${HOST}${path} HTTP/1.1`);
      const url =
        i % 3 === 0
          ? flat(`https://${HOST}${path}`)
          : i % 3 === 1
            ? line.slice(4, line.length - 9)
            : // biome-ignore lint/style/useTemplate: a concatenation, deliberately: a cons string
              `https://${HOST}` + flat(path);
      const target = i % 3 === 1 ? line.slice(4 + 8 + HOST.length, line.length - 9) : flat(path);
      sink += parseRequestUrl(url, policy).ok ? 1 : 0;
      sink += parseRequestUrl(target, policy, { host: HOST }).ok ? 1 : 0;
      for (const request of requestsFor(url, target, i)) {
        sink += evaluate(request, policy).allow ? 1 : 0;
        sink += detectSignature(request).kind.length;
      }
      sink += gateway(url) ? 1 : 0;
      sink += new URL(url).pathname.length;
      calls += 15;
    }
  }
  if (sink === 0.5) console.log('');
  return { policies: WARM_POLICIES, calls, seconds: (performance.now() - started) / 1000 };
}
