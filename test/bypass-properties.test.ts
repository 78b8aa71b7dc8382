/**
 * SPEC S4 R2 as properties: for every protected key and every rewrite a server could apply to
 * a target naming it, an anonymous read is denied; cost stays linear in the request's size; and
 * no bad input, option shapes included, makes a public function throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  definePolicy,
  detectSignature,
  evaluate,
  isProtected,
  matchProtection,
  parseRequestUrl,
  validatePolicy,
} from '../src/index.js';
import { runs } from './support/runs.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const policy = definePolicy({
  rules: [{ prefix: 'image/' }, { suffix: '.png', caseInsensitive: true }],
  extensions: ['jpg'],
  delimiters: ['!', '-'],
  styles: ['small'],
});

const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
/** Keys the policy protects: under `image/`, or ending in `.png` / `.jpg`. */
const protectedKey = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `image/${s.join('/')}.gif`),
  fc
    .tuple(
      fc.array(segment, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('.png', '.PNG', '.jpg'),
    )
    .map(([s, ext]) => `${s.join('/')}${ext}`),
);

/** The raw-path rewrites of S4 R2, applied to a key: each target names it to some server. */
const transforms: readonly [string, (key: string, junk: string) => string][] = [
  ['W ..', (k, j) => `/${j}/../${k}`],
  ['W %2e%2e', (k, j) => `/${j}/%2e%2E/${k}`],
  ['W .', (k) => `/./${k}`],
  ['W \\', (k) => `/${k.replaceAll('/', '\\')}`],
  ['N %2F..%2F', (k, j) => `/${j}%2F..%2F${encodeURIComponent(k)}`],
  ['N //', (k, j) => `/${j}//..//${k}`],
  ['N final /.', (k) => `/${k}/.`],
  ['P ;', (k) => `/${k.replace('/', ';x=1/')};v=2`],
  ['P ..;', (k, j) => `/${j}/..;/${k}`],
  ['H #', (k, j) => `/#${j}/../${k}`],
  ['H # inside', (k) => `/${k}#frag`],
];

describe('S4 R2: every rewrite of a target naming a protected key is denied', () => {
  it.each(transforms)('%s', (_, transform) => {
    fc.assert(
      fc.property(protectedKey, segment, (key, junk) => {
        const target = transform(key, junk);
        for (const url of [target, `${H}${target}`]) {
          const d = evaluate(
            { url, headers: { host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' } },
            policy,
          );
          expect(d.allow, url).toBe(false);
        }
        // Inline processing through the same rewrite is denied too.
        const inline = evaluate({ url: `${H}${target}?x-oss-process=image/resize,w_1` }, policy);
        expect(inline.allow, target).toBe(false);
      }),
      { numRuns: runs(300) },
    );
  });
});

/**
 * Every way a query can carry a processing value that some server reads: a watermark of a
 * protected key in any of them is denied, whatever else the query says and in any order.
 */
const watermarkParam: readonly ((value: string) => string)[] = [
  (v) => `x-oss-process=${v}`,
  (v) => `X-OSS-Process=${v}`,
  (v) => `x-oss-async-process=${v}`,
  (v) => `x-oss-%70rocess=${v}`,
  (v) => `v=1;x-oss-process=${v}`,
  (v) => `v;x-oss-process=${v}`,
  (v) => `a=b;c=d;X-Oss-Process=${v};e=f`,
];
const otherParam = fc.constantFrom(
  'x-oss-process=style/small',
  'x-oss-process=image/resize,w_10',
  'X-Oss-Process=style/small',
  'v=1',
  'versionId=2',
);

describe('S4 R2: a protected watermark in any processing value is denied', () => {
  it('whatever the other parameters, their order, and a raw #', () => {
    fc.assert(
      fc.property(
        protectedKey,
        fc.integer({ min: 0, max: watermarkParam.length - 1 }),
        fc.array(otherParam, { maxLength: 3 }),
        fc.nat(),
        fc.boolean(),
        (key, form, others, at, hash) => {
          const wm = (watermarkParam[form] as (v: string) => string)(
            `image/watermark,image_${Buffer.from(key).toString('base64url')}`,
          );
          const params: string[] = [...others];
          params.splice(at % (params.length + 1), 0, wm);
          const query =
            hash && params.length > 1
              ? `${params[0]}#&${params.slice(1).join('&')}`
              : params.join('&');
          const url = `${H}/docs/pub.gif?${query}`;
          const d = evaluate({ url }, policy);
          expect(d, url).toMatchObject({ allow: false, reason: 'protected-watermark', key });
        },
      ),
      { numRuns: runs(300) },
    );
  });
});

/** Median of `rounds` timings of `fn`, in ms, for ratios measured side by side. */
function median(fn: () => void, rounds = 7): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)] as number;
}

describe('cost is linear in the request size (ratio in one run, never a fixed time)', () => {
  const MiB = 1 << 20;
  it('a 1 MiB query of bare names and of `a=` pairs costs a few times a plain 1 MiB one', () => {
    const plain = `/image/a.jpg?${'v'.repeat(MiB)}`;
    const bare = `/image/a.jpg?${'a&'.repeat(MiB / 2)}a=`;
    const pairs = `/image/a.jpg?${'a=b&'.repeat(MiB / 4)}`;
    const semis = `/image/a.jpg?a=${';b'.repeat(MiB / 2)}`;
    // One `;` after every parameter: each parameter must not search up to it again (0.3.1 did).
    const lateSemicolon = `/image/a.jpg?${'a=b&'.repeat(MiB / 4)};`;
    const t = (url: string) => median(() => evaluate({ url: `${H}${url}` }, policy));
    const base = t(plain);
    // A normal request of the same size with the same number of parameters.
    const normal = t(`/image/a.jpg?${'ab=c&'.repeat(MiB / 5)}`);
    for (const [name, url] of [
      ['bare', bare],
      ['pairs', pairs],
      ['semicolons', semis],
      ['a late semicolon', lateSemicolon],
    ] as const) {
      const ratio = t(url) / Math.max(base, normal);
      expect(ratio, name).toBeLessThan(8);
    }
  });

  it('10,000 headers cost a few times a normal request of the same size', () => {
    const many = Array.from(
      { length: 10_000 },
      (_, i) => [`x-oss-meta-h${i}`, 'v'] as [string, string],
    );
    const size = many.reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    const url = `${H}/image/a.jpg?x-oss-process=style/small`;
    // The same bytes as a query of ordinary parameters, with the usual few headers.
    const normal = `${url}&${'ab=cd&'.repeat(Math.ceil(size / 6))}`;
    const few: [string, string][] = [['host', 'examplebucket.oss-cn-hangzhou.aliyuncs.com']];
    const t = (u: string, headers: [string, string][]) =>
      median(() => {
        for (let i = 0; i < 5; i++) evaluate({ url: u, headers }, policy);
      });
    expect(t(url, many) / t(normal, few)).toBeLessThan(8);
  });
});

describe('totality: no input makes a public function throw', () => {
  const anything = fc.anything({
    withBigInt: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
  });
  it('parseRequestUrl, evaluate, detectSignature with any option shapes', () => {
    fc.assert(
      fc.property(fc.string(), anything, anything, (url, options, headers) => {
        expect(() => parseRequestUrl(url, policy, options as never)).not.toThrow();
        expect(() => parseRequestUrl(`${H}/${url}`, policy, options as never)).not.toThrow();
        expect(() => evaluate({ url, headers } as never, policy, options as never)).not.toThrow();
        expect(() => detectSignature({ url, headers } as never, options as never)).not.toThrow();
      }),
      { numRuns: runs(3_000) },
    );
  });

  it('isProtected and matchProtection on any key: only strings name objects', () => {
    fc.assert(
      fc.property(anything, (key) => {
        expect(() => isProtected(key as never, policy)).not.toThrow();
        expect(() => matchProtection(key as never, policy)).not.toThrow();
        if (typeof key !== 'string') {
          expect(isProtected(key as never, policy)).toBe(false);
          expect(matchProtection(key as never, policy)).toBeUndefined();
        }
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('definePolicy refuses input that is not plain data, with a clear issue', () => {
    class Config {
      rules = [{ prefix: 'image/' }];
    }
    const inherited = Object.create({ rules: [{ prefix: 'image/' }] });
    const getter = Object.defineProperty({}, 'rules', {
      get: () => [{ prefix: 'image/' }],
      enumerable: true,
    });
    const ruleGetter = {
      rules: [Object.defineProperty({}, 'prefix', { get: () => 'a/', enumerable: true })],
    };
    for (const [input, path] of [
      [new Config(), []],
      [inherited, []],
      [getter, []],
      [ruleGetter, ['rules', 0]],
    ] as const) {
      const r = validatePolicy(input);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.issues).toEqual([expect.objectContaining({ code: 'not-plain-data', path })]);
      expect(r.issues[0]?.message).toMatch(/plain data/);
    }
    expect(() => definePolicy(new Config() as never)).toThrow(/instance of Config/);
    // A null-prototype object (as JSON.parse with a reviver may give) is plain data.
    const bare = Object.assign(Object.create(null), { extensions: ['jpg'] });
    expect(validatePolicy(bare).ok).toBe(true);
  });
});

describe('S4 R2 H: the text after a raw # is checked too', () => {
  it('a lone surrogate after # makes no reading and no exception', () => {
    const url = `${H}/docs/a.txt#\ud800/../image/a.gif`;
    expect(() => parseRequestUrl(url, policy)).not.toThrow();
    const d = evaluate({ url }, policy);
    expect(d.allow).toBe(true);
    expect(d.readings.map((r) => r.source)).toEqual(['literal']);
  });
});
