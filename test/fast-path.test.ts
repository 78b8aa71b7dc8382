/**
 * The fast path of `readTarget` (src/request/scan.ts: a proof that no other server's rewrite of
 * S4 R2 reads anything the literal reading does not, so the rewritten paths are never built)
 * decides exactly as the full path does: whole decisions and whole parse results compared, on
 * generated targets made of the units and escapes the proof turns on, in every string shape V8
 * has for them; and a table of targets one step away from plain, each naming the readings it
 * needs and whether the proof holds for it.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { allShapes } from '../bench/shapes.js';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import { definePolicy, evaluate, parseRequestUrl, type RequestLike } from '../src/index.js';
import { fastPath, literalOnly } from '../src/request/scan.js';
import { runs } from './support/runs.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';

/** Policies that turn on every part of a reading: delimiters with and without a catalogue, `@`. */
const POLICIES = [
  definePolicy(EXAMPLE_POLICY),
  definePolicy({
    rules: [{ prefix: 'image/' }, { suffix: '.png', caseInsensitive: true }],
    extensions: ['jpg'],
    delimiters: ['!', '-', '/', '_'],
    atProcessing: true,
  }),
  definePolicy({ extensions: ['*'], delimiters: ['_'], styles: ['small', 'a.b'] }),
];

/** Both ways of reading, on the same input: the fast path as shipped, then the full path. */
function bothWays<T>(read: () => T): [fast: T, full: T] {
  fastPath.enabled = true;
  const fast = read();
  fastPath.enabled = false;
  try {
    return [fast, read()];
  } finally {
    fastPath.enabled = true;
  }
}

afterEach(() => {
  fastPath.enabled = true;
});

// --- Generated targets ---------------------------------------------------------------------------

/**
 * Path pieces, weighted toward what the proof looks at: dot segments and dots, escapes of every
 * class (structural, canonical, lower-case, unreserved, malformed, multi-byte), the units W and
 * P act on raw, `#`, `+`, `@`, delimiters, non-ASCII and lone surrogates; plain text most often,
 * so that targets one or two pieces away from plain are common.
 */
const piece = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('image', 'a', 'cat.jpg', 'x.PNG', 'small', 'b1') },
  { weight: 6, arbitrary: fc.constant('/') },
  { weight: 3, arbitrary: fc.constantFrom('.', '..', '.well-known', '...', '.a', 'a.') },
  {
    weight: 4,
    arbitrary: fc.constantFrom('%40', '%20', '%E5%9B%BE', '%C3%A9', '%25', '%3A', '%5C', '%23'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('%2e', '%2E', '%2f', '%2F', '%21', '%2D', '%2d', '%5F', '%5f'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%41', '%7E', '%2A', '%e5%9b%be', '%c3%a9', '%4a', '%3b', '%3B'),
  },
  { weight: 1, arbitrary: fc.constantFrom('%', '%4', '%zz', '%C3', '%FF', '%ED%A0%80', '%C0%AF') },
  { weight: 2, arbitrary: fc.constantFrom('\\', ';', ';x=1', '\t', '\n', '\r', '#', '#f') },
  { weight: 3, arbitrary: fc.constantFrom('!', '-', '_', '@', '@100w', '+', '~', ':', ' ', ',') },
  { weight: 1, arbitrary: fc.constantFrom('é', '图', '😀', '\ud800', 'İ', '\u212a') },
);

const QUERIES = [
  '',
  '',
  '?x-oss-process=style/small',
  '?x-oss-process=image/resize,w_100',
  '?x-oss-process=image/watermark,image_aW1hZ2UvYS5qcGc',
  '?X-Oss-Process=style/small',
  '?x-oss-process=a&x-oss-process=b',
  '?x%2Doss-process=style/small',
  '?a=1;x-oss-process=image/resize',
  '?x-oss-async-process=x',
  '?v=1&x-oss-process=style/thumb',
  '?OSSAccessKeyId=ak&Expires=2000000000&Signature=c2ln',
  '?bad=%zz',
  '?x-oss-process=style/small#frag',
  '?',
];

const target = fc.record({
  path: fc.array(piece, { minLength: 0, maxLength: 9 }).map((p) => `/${p.join('')}`),
  query: fc.constantFrom(...QUERIES),
  form: fc.constantFrom('absolute', 'absolute', 'origin', 'img'),
  method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST'),
  policy: fc.integer({ min: 0, max: POLICIES.length - 1 }),
  salt: fc.nat(1000),
});

type Target = typeof target extends fc.Arbitrary<infer T> ? T : never;

/** Whether `readTarget` takes the fast path for `path` followed by `query`: proved, and no `#`. */
const takesFastPath = (path: string, query = ''): boolean =>
  !path.includes('#') && !query.includes('#') && literalOnly(path);

/** The request of a generated target, with `url` (the target in one of its string shapes). */
function requestOf(t: Target, url: string): RequestLike {
  if (t.form === 'origin') return { method: t.method, url, headers: { host: HOST } };
  return { method: t.method, url };
}

/** The target as a string: absolute (an OSS host, or an IMG host) or origin form. */
function urlOf(t: Target): string {
  const tail = `${t.path}${t.query}`;
  if (t.form === 'origin') return tail;
  if (t.form === 'img') return `https://examplebucket.img-cn-hangzhou.aliyuncs.com${tail}`;
  return `https://${HOST}${tail}`;
}

describe('the fast path decides as the full path does', () => {
  it('evaluate and parseRequestUrl, whole results, every string shape (≥ 100,000 cases)', () => {
    let cases = 0;
    let proved = 0;
    let notProved = 0;
    // Proved although N is tried: the canonical-path case.
    let provedN = 0;
    fc.assert(
      fc.property(target, (t) => {
        const policy = POLICIES[t.policy] as (typeof POLICIES)[number];
        for (const [shape, url] of allShapes(urlOf(t), t.salt)) {
          const request = requestOf(t, url);
          const [fast, full] = bothWays(() => evaluate(request, policy));
          if (!isDeepStrictEqual(fast, full))
            expect({ shape, url, fast }).toStrictEqual({ shape, url, fast: full });
          const options = t.form === 'origin' ? { host: HOST } : undefined;
          const [fastParse, fullParse] = bothWays(() => parseRequestUrl(url, policy, options));
          if (!isDeepStrictEqual(fastParse, fullParse))
            expect({ shape, url, fastParse }).toStrictEqual({ shape, url, fastParse: fullParse });
          cases++;
        }
        if (!takesFastPath(t.path, t.query)) notProved++;
        else if (t.path.includes('/.') || /%(?:2[eEfF1dD]|5[fF]|40)/.test(t.path)) provedN++;
        else proved++;
      }),
      { numRuns: runs(36_000) },
    );
    // Both sides of the proof were exercised, on a run of full size.
    if (runs(36_000) === 36_000) {
      expect(cases).toBeGreaterThanOrEqual(100_000);
      expect(proved).toBeGreaterThan(3_000);
      expect(notProved).toBeGreaterThan(3_000);
      expect(provedN).toBeGreaterThan(500);
    }
  }, 60_000);
});

// --- Near misses -----------------------------------------------------------------------------------

/**
 * Targets one step away from plain under the README's example policy (delimiters `!` and `-`, a
 * catalogue `small`, `thumb`, `watermarked`): whether the proof holds (the fast path is taken),
 * and the sources of the readings the request has. Where the proof fails but no other reading is
 * listed, a rewrite was built and read the same as the literal reading: the fast path is
 * conservative there, never wrong.
 */
const NEAR_MISSES: readonly (readonly [
  what: string,
  path: string,
  fast: boolean,
  sources: readonly string[],
])[] = [
  ['plain', '/image/a.jpg', true, ['literal']],
  ['escaped @ (N gives the path back)', '/image/a%402x.jpg', true, ['literal']],
  ['escaped space and UTF-8, no structural escape', '/image/S%C3%A3o%20a.jpg', true, ['literal']],
  ['a dot-file segment', '/.well-known/a.jpg', true, ['literal']],
  ['raw @ without an escape (N not tried)', '/image/a@2x.jpg', true, ['literal']],
  ['raw +', '/image/a+b.jpg', true, ['literal']],
  ['raw non-ASCII', '/image/é.jpg', true, ['literal']],
  ['a `.` segment', '/image/./a.jpg', false, ['literal', 'whatwg']],
  ['a `..` segment', '/secret/../image/a.jpg', false, ['literal', 'whatwg']],
  ['a final `.` segment', '/image/a.jpg/.', false, ['literal', 'whatwg', 'decoded']],
  ['`%2e%2e` as a segment', '/secret/%2e%2e/image/a.jpg', false, ['literal', 'whatwg']],
  ['an empty segment', '/image//a.jpg', false, ['literal', 'decoded']],
  ['a backslash', '/image\\a.jpg', false, ['literal', 'whatwg']],
  ['a tab', '/ima\tge/a.jpg', false, ['literal', 'whatwg']],
  ['a path parameter', '/image;v=1/a.jpg', false, ['literal', 'path-parameters']],
  ['a raw #', '/image/a.jpg#x', false, ['literal', 'raw-hash']],
  ['an escaped delimiter before a style', '/image/a.jpg%21small', false, ['literal', 'decoded']],
  ['an escaped `.` (N reads the same key)', '/image/a%2Ejpg', false, ['literal']],
  ['an escaped `/` (N reads the same key)', '/image%2Fa.jpg', false, ['literal']],
  ['escaped @ with a lower-case escape', '/image/a%40%c3%a9.jpg', false, ['literal']],
  ['escaped @ with a raw `:`', '/image/a%40:b.jpg', false, ['literal']],
  ['escaped @ with an escaped letter', '/image/a%40%41.jpg', false, ['literal']],
  ['escaped @ with an escaped `*`', '/image/a%40%2A.jpg', false, ['literal']],
  ['escaped @ with a raw @', '/image/a@b%40.jpg', false, ['literal']],
];

describe('targets one step from plain', () => {
  const policy = definePolicy(EXAMPLE_POLICY);
  it.each(NEAR_MISSES)('%s: %s', (_what, path, fast, sources) => {
    const url = `https://${HOST}${path}`;
    expect(takesFastPath(path)).toBe(fast);
    const [parsed, full] = bothWays(() => parseRequestUrl(url, policy));
    expect(parsed).toEqual(full);
    if (!parsed.ok) throw new Error(`${url} should be a valid request`);
    expect(parsed.readings.map((r) => r.source)).toEqual(sources);
    const [fastDecision, fullDecision] = bothWays(() => evaluate({ url }, policy));
    expect(fastDecision).toEqual(fullDecision);
  });

  it('a malformed escape: no rewrite is tried without a structural one, else not proved', () => {
    // rewrites.ts tries neither W nor N on such a path, and the literal reading refuses it.
    expect(literalOnly('/image/%zz.jpg')).toBe(true);
    expect(literalOnly('/image/a%4')).toBe(true);
    // With an escaped `@`, N is tried: the path is not canonical, so not proved.
    expect(literalOnly('/image/%zz%40.jpg')).toBe(false);
    expect(literalOnly('/image/a%40%4')).toBe(false);
    expect(parseRequestUrl(`https://${HOST}/image/%zz.jpg`, policy)).toMatchObject({
      ok: false,
      code: 'InvalidURI',
    });
  });

  it('a path too long to prove takes the full path', () => {
    const long = `/${'a%40'.repeat(3000)}`;
    expect(literalOnly(long.slice(0, 1 + 4 * 1999))).toBe(true);
    expect(literalOnly(long)).toBe(false);
  });
});
