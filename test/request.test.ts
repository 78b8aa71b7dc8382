import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Delimiter,
  definePolicy,
  detectSignature,
  encodeObjectKey,
  evaluate,
  isAnonymous,
  type Policy,
  parseRequestUrl,
  type RequestLike,
  StyleUrlError,
  styleUrl,
} from '../src/index.js';
import { percentDecode } from '../src/request/decode.js';
import { NOW, POLICIES } from './cases/decision.js';
import { referenceDecode, referenceIsProtected, referenceReadings } from './reference.js';
import {
  interestingChar,
  interestingString,
  policyInputArb,
  styleNameArb,
} from './support/arbitraries.js';
import { runs } from './support/runs.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const example = definePolicy(POLICIES.P);

describe('S4 strict percent-decoding', () => {
  it.each([
    ['a%20b+c', 'a b+c'],
    ['%E5%9B%BE', '图'],
    ['%f0%9f%98%80', '😀'],
    ['%2f%2F', '//'],
    ['😀%F0%9F%98%80', '😀😀'],
    ['plain', 'plain'],
    ['', ''],
  ])('%s → %s', (raw, decoded) => {
    expect(percentDecode(raw)).toBe(decoded);
  });

  it.each([
    '%',
    '%2',
    '%zz',
    '%C0%AF',
    '%E0%80%AF',
    '%ED%A0%80',
    '%F4%90%80%80',
    '%E5%9B',
    '%80',
    '%FF',
    'a\ud800',
    '\udc00b',
  ])('refuses %s', (raw) => {
    expect(percentDecode(raw)).toBeUndefined();
  });

  it('agrees with decodeURIComponent on arbitrary escapes and text', () => {
    const escapeArb = fc
      .integer({ min: 0, max: 255 })
      .map((b) => `%${b.toString(16).padStart(2, '0')}`);
    const piece = fc.oneof(
      escapeArb,
      interestingChar,
      fc.constantFrom('%', '%e', '+', '%25', '\ud800'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const raw = parts.join('');
        expect(percentDecode(raw)).toBe(referenceDecode(raw));
      }),
      { numRuns: runs(20_000) },
    );
  });
});

describe('parseRequestUrl', () => {
  it('reports host, bucket, endpoint, region, path, key, query and readings', () => {
    const r = parseRequestUrl(`${H}/a-b.jpg!small?x-oss-process=style/thumb&v=1`, example);
    expect(r).toEqual({
      ok: true,
      host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com',
      endpoint: 'public',
      region: 'cn-hangzhou',
      bucket: 'examplebucket',
      path: '/a-b.jpg!small',
      key: 'a-b.jpg!small',
      query: [
        ['x-oss-process', 'style/thumb'],
        ['v', '1'],
      ],
      process: { kind: 'style', style: 'thumb' },
      processRequested: true,
      watermarks: { keys: [], undecodable: false },
      readings: [
        {
          key: 'a-b.jpg',
          delimiter: '!',
          delimiterStyle: 'small',
          access: 'style',
          style: 'thumb',
          pathProcessing: undefined,
          source: 'literal',
        },
      ],
    });
  });

  it('takes the Host option for request targets and the bucket option as a fallback', () => {
    expect(
      parseRequestUrl('/a.jpg', undefined, { host: 'img.example.com', bucket: 'b-1' }),
    ).toMatchObject({
      ok: true,
      endpoint: 'custom-domain',
      bucket: 'b-1',
    });
    expect(parseRequestUrl('/a.jpg')).toMatchObject({ ok: true, endpoint: 'none', key: 'a.jpg' });
  });

  it('without a policy, reads no delimiters', () => {
    expect(parseRequestUrl('/a.jpg!small')).toMatchObject({
      readings: [{ key: 'a.jpg!small', access: 'direct' }],
    });
  });

  it('classifies x-oss-process', () => {
    const kind = (q: string) => {
      const r = parseRequestUrl(`/a?${q}`);
      return r.ok ? r.process : r;
    };
    expect(kind('x-oss-process=style/s')).toEqual({ kind: 'style', style: 's' });
    expect(kind('x-oss-process=image/info')).toEqual({ kind: 'inline', value: 'image/info' });
    expect(kind('x-oss-process=a&x-oss-process=b')).toEqual({
      kind: 'ambiguous',
      why: 'duplicated',
      values: ['a', 'b'],
    });
    expect(kind('x-oss-%70rocess=style/s')).toEqual({
      kind: 'ambiguous',
      why: 'escaped-name',
      values: ['style/s'],
    });
    // S4 R2: any other spelling a server could read as processing is ambiguous.
    expect(kind('X-Oss-Process=style/s')).toEqual({
      kind: 'ambiguous',
      why: 'name-variant',
      values: ['style/s'],
    });
    expect(kind('x-oss-async-process=image/info')).toMatchObject({ why: 'name-variant' });
    expect(kind('a=b;x-oss-process=image/info')).toMatchObject({ why: 'after-semicolon' });
    expect(kind('a=b;X-OSS-%50ROCESS')).toMatchObject({ why: 'after-semicolon' });
    expect(kind('a=b;x-oss-processing=1')).toEqual({ kind: 'none' });
    expect(kind('x-oss-process=style/a&x-oss-process=style/a')).toMatchObject({
      why: 'duplicated',
    });
  });

  const rawPath = fc
    .array(
      fc.oneof(
        interestingChar,
        fc.constantFrom(
          '!',
          '-',
          '_',
          '/',
          '%21',
          '%2D',
          '%2F',
          '%41',
          '%',
          '%zz',
          '%E5%9B%BE',
          '%C0%AF',
          'small',
          'thumb',
          'v2',
          '.jpg',
          // S4 R2: what other servers rewrite.
          '/../',
          '/./',
          '/%2e%2E/',
          '\\',
          ';v=1',
          '@2x',
          '//',
          '+',
        ),
      ),
      { maxLength: 10 },
    )
    .map((a) => `/${a.join('')}`)
    // `?` and `#` would end the path: the reference takes the path alone.
    .filter((p) => !/[?#]/.test(p));
  const rawQuery = fc
    .array(
      fc.constantFrom(
        'x-oss-process=style/small',
        'x-oss-process=image/info',
        'x-oss-process=style/',
        'x-oss-%70rocess=style/small',
        'X-Oss-Process=style/small',
        'x-oss-process',
        'v=1',
        'a=%zz',
        'x-oss-process=style%2Fthumb',
        'x-oss-process=style/small+x',
        'X-OSS-process=image/info',
        'a=b;x-oss-process=image/info',
        'x-oss-async-process=x',
        '',
      ),
      { maxLength: 3 },
    )
    .map((a) => a.join('&'));

  it('readings equal the reference S4 model on generated paths and queries', () => {
    fc.assert(
      fc.property(
        policyInputArb.map((p) => definePolicy(p)),
        rawPath,
        rawQuery,
        (policy, path, query) => {
          const got = parseRequestUrl(`${path}${query === '' ? '' : `?${query}`}`, policy);
          const want = referenceReadings(path, query, policy);
          if (want === undefined) {
            expect(got.ok).toBe(false);
            return;
          }
          expect(got.ok).toBe(true);
          if (!got.ok) return;
          const simplified = got.readings.map((r) => ({
            key: r.key,
            access: r.access,
            ...(r.style === undefined ? {} : { style: r.style }),
            ...(r.delimiter === undefined ? {} : { delimiter: r.delimiter }),
            ...(r.delimiterStyle === undefined ? {} : { delimiterStyle: r.delimiterStyle }),
            ...(r.pathProcessing === undefined ? {} : { pathProcessing: r.pathProcessing }),
          }));
          expect(simplified).toEqual(want);
        },
      ),
      { numRuns: runs(20_000) },
    );
  });
});

const anyRequest: fc.Arbitrary<RequestLike> = fc.record(
  {
    method: fc.oneof(
      fc.constantFrom('GET', 'HEAD', 'get', 'PUT', '', 'G\u0000T'),
      fc.string({ maxLength: 6 }),
    ),
    url: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .tuple(
          fc.constantFrom(`${H}/`, '/', 'http://', 'x://y', '//'),
          fc.string({ maxLength: 40 }),
        )
        .map(([a, b]) => a + b),
    ),
    headers: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'host',
          'Authorization',
          'authorization',
          'x-oss-date',
          'X-Oss-Date',
          'other',
        ),
        fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })),
      ),
      fc.array(fc.tuple(fc.constantFrom('Host', 'authorization', 'x-oss-date'), fc.string()), {
        maxLength: 3,
      }),
      fc.constant(new Headers({ authorization: 'OSS a:b' })),
      fc.constant(undefined),
    ),
  },
  { requiredKeys: ['url'] },
) as fc.Arbitrary<RequestLike>;

describe('totality: nothing throws on arbitrary input', () => {
  it('parseRequestUrl, detectSignature, isAnonymous and evaluate', () => {
    fc.assert(
      fc.property(
        anyRequest,
        policyInputArb,
        fc.option(fc.date({ noInvalidDate: false }), { nil: undefined }),
        (req, input, now) => {
          const policy = definePolicy(input);
          expect(() => parseRequestUrl(req.url as string, policy)).not.toThrow();
          expect(() => detectSignature(req, { now })).not.toThrow();
          expect(() => isAnonymous(req)).not.toThrow();
          const d = evaluate(req, policy, { now });
          expect(typeof d.allow).toBe('boolean');
        },
      ),
      { numRuns: runs(10_000) },
    );
  });

  it('evaluate denies rather than throws on hostile request objects', () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    ) as RequestLike;
    expect(evaluate(throwing, example)).toMatchObject({ allow: false, status: 400 });
    expect(evaluate(null as unknown as RequestLike, example)).toMatchObject({ allow: false });
    expect(evaluate({} as RequestLike, example)).toMatchObject({
      allow: false,
      code: 'InvalidURI',
    });
    expect(evaluate({ url: 42 } as unknown as RequestLike, example)).toMatchObject({
      allow: false,
      code: 'InvalidURI',
    });
    const headers = {
      get authorization() {
        throw new Error('no');
      },
    } as unknown as RequestLike['headers'];
    expect(evaluate({ url: '/a', headers }, example)).toMatchObject({ allow: false });
  });
});

/** Keys likely to be protected: built from the policy's own prefixes, suffixes and extensions. */
function likelyProtected(policy: Policy): fc.Arbitrary<string> {
  const rule =
    policy.rules.length > 0
      ? [
          fc
            .constantFrom(...policy.rules)
            .chain((r) =>
              interestingString(0, 4).map((mid) => `${r.prefix ?? ''}${mid}${r.suffix ?? ''}`),
            ),
        ]
      : [];
  const exts = policy.extensions.filter((e) => e !== '*');
  const ext =
    exts.length > 0
      ? [
          fc
            .tuple(interestingString(0, 4), fc.constantFrom(...exts))
            .map(([s, e]) => `${s}.${e.toUpperCase()}`),
        ]
      : [];
  return fc.oneof(interestingString(1, 6), ...rule, ...ext);
}

const protectedCase = policyInputArb
  .map((p) => definePolicy(p))
  .chain((policy) =>
    fc.tuple(
      fc.constant(policy),
      likelyProtected(policy),
      fc.constantFrom(
        '',
        '?x-oss-process=image/resize,w_1',
        '?x-oss-process=style/small&x-oss-process=style/small',
        '?x-oss-process=',
        '?X-Oss-Process=style/small',
        '?v=1',
      ),
      fc.constantFrom('', '!small', '-thumb', '/small', '_s', '!nope'),
    ),
  );

describe('fail closed: a protected key read directly or inline is always denied', () => {
  it('for every anonymous request whose readings include it', () => {
    let hits = 0;
    fc.assert(
      fc.property(protectedCase, ([policy, key, query, tail]) => {
        if (
          key === '' ||
          key[0] === '/' ||
          key[0] === '\\' ||
          /\p{Surrogate}/u.test(key) ||
          !referenceIsProtected(key, policy)
        )
          return;
        const url = `${H}/${encodeObjectKey(key)}${tail}${query}`;
        const d = evaluate({ url }, policy, { now: NOW });
        const risky = d.readings.some((r) => r.key === key && r.access !== 'style');
        if (risky) {
          hits++;
          expect(d.allow, url).toBe(false);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(hits).toBeGreaterThan(1_000);
  });
});

describe('S7 styleUrl', () => {
  const catalogued = fc
    .tuple(policyInputArb, fc.uniqueArray(styleNameArb, { minLength: 1, maxLength: 6 }))
    .map(([input, styles]) => definePolicy({ ...input, styles }));
  const keyArb = interestingString(1, 10).filter(
    (k) => k[0] !== '/' && k[0] !== '\\' && !/\p{Surrogate}/u.test(k),
  );

  it('output fed back to evaluate anonymously is allowed and reads that key and style', () => {
    fc.assert(
      fc.property(catalogued, keyArb, fc.nat(), fc.nat(), (policy, key, si, di) => {
        const style = policy.styles?.[si % policy.styles.length] as string;
        for (const delimiter of [undefined, ...policy.delimiters]) {
          let url: string;
          try {
            url = styleUrl(H, key, style, policy, { delimiter });
          } catch (error) {
            // S7 R2: refused only for what no escaping can make safe: dot segments, which clients
            // rewrite, and a path ending in an enabled delimiter, which a decoding server reads
            // as an empty style of the shorter key.
            expect((error as StyleUrlError).code).toBe('not-allowed');
            const path = delimiter === undefined ? key : key + delimiter + style;
            const run = /[!\-_/]*$/.exec(path);
            const ends = [...(run?.[0] ?? '')].some((c) =>
              policy.delimiters.includes(c as Delimiter),
            );
            const dot = /(?:^|\/)\.{1,2}(?:\/|$)/;
            const dots = dot.test(key) || dot.test(path);
            expect(dots || ends, key).toBe(true);
            continue;
          }
          const d = evaluate({ url }, policy);
          expect(d.allow, url).toBe(true);
          expect(
            d.readings.some(
              (r) => r.key === key && (r.style === style || r.delimiterStyle === style),
            ),
            url,
          ).toBe(true);
        }
        void di;
      }),
      { numRuns: runs(2_000) },
    );
  });

  it('encodes keys like the SDK and checks what it builds', () => {
    const policy = definePolicy({
      rules: [{ prefix: 'image/' }],
      delimiters: ['!', '-'],
      styles: ['small'],
    });
    expect(styleUrl(H, 'image/my cat+1.jpg', 'small', policy)).toBe(
      `${H}/image/my%20cat%2B1.jpg?x-oss-process=style/small`,
    );
    expect(styleUrl(`${H}/`, 'image/a.jpg', 'small', policy, { delimiter: '!' })).toBe(
      `${H}/image/a.jpg!small`,
    );
    expect(styleUrl('', 'image/图.jpg', 'small', policy, { delimiter: '-' })).toBe(
      '/image/%E5%9B%BE.jpg-small',
    );
  });

  it('escapes delimiters inside the key when a server could split there', () => {
    const policy = definePolicy({ delimiters: ['!'], styles: ['small'] });
    expect(styleUrl(H, 'a!small', 'small', policy)).toBe(
      `${H}/a%21small?x-oss-process=style/small`,
    );
    const v2 = definePolicy({ delimiters: ['-'], styles: ['small-v2', 'v2'] });
    expect(styleUrl('', 'a.jpg', 'small-v2', v2, { delimiter: '-' })).toBe('/a.jpg-small%2Dv2');
  });

  it.each([
    ['invalid-base', 'https://b.example.com/path', 'k', 'small', {}],
    ['invalid-key', H, '/k', 'small', {}],
    ['invalid-key', H, '', 'small', {}],
    ['invalid-style', H, 'k', 'sm@ll', {}],
    ['unknown-style', H, 'k', 'large', {}],
    ['delimiter-not-enabled', H, 'k', 'small', { delimiter: '_' }],
  ] as const)('refuses with %s', (code, base, key, style, opts) => {
    const policy = definePolicy({ delimiters: ['!'], styles: ['small'] });
    expect(() => styleUrl(base, key, style, policy, opts)).toThrow(
      expect.objectContaining({ name: 'StyleUrlError', code }),
    );
  });

  it('refuses a delimiter URL that would be denied without a catalogue, and says why', () => {
    const policy = definePolicy({ rules: [{ prefix: 'image/' }], delimiters: ['!'] });
    let error: unknown;
    try {
      styleUrl(H, 'image/a.jpg', 'small', policy, { delimiter: '!' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StyleUrlError);
    expect((error as StyleUrlError).code).toBe('not-allowed');
    expect((error as StyleUrlError).message).toContain('styles');
    expect(styleUrl(H, 'image/a.jpg', 'small', policy)).toBe(
      `${H}/image/a.jpg?x-oss-process=style/small`,
    );
  });
});

describe('S4 request shapes', () => {
  const policy: Policy = example;
  it('accepts a Fetch Request as it is', () => {
    const req = new Request(`${H}/image/a.jpg`, { headers: { authorization: 'OSS ak:c2ln' } });
    expect(evaluate(req, policy)).toMatchObject({ allow: true, reason: 'signed' });
    expect(evaluate(new Request(`${H}/image/a.jpg`, { method: 'HEAD' }), policy)).toMatchObject({
      allow: false,
      method: 'HEAD',
    });
  });

  it('accepts header pairs and records with array values', () => {
    expect(
      detectSignature({ url: '/a', headers: [['Authorization', 'OSS a:c2ln']] }),
    ).toMatchObject({ kind: 'signed' });
    expect(
      detectSignature({ url: '/a', headers: { Authorization: ['OSS a:c2ln', 'OSS b:c2ln'] } }),
    ).toMatchObject({ kind: 'malformed' });
    expect(detectSignature({ url: '/a', headers: { AUTHORIZATION: 'OSS a:c2ln' } })).toMatchObject({
      kind: 'signed',
      accessKeyId: 'a',
    });
  });

  it('accepts a Node IncomingMessage as it is, and sees a doubled Authorization in rawHeaders', async () => {
    const seen: { decision: ReturnType<typeof evaluate>; raw: IncomingMessage }[] = [];
    const server = createServer((req, res) => {
      seen.push({ decision: evaluate(req, policy), raw: req });
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const send = (path: string, headers: [string, string][]) =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'GET',
            headers: headers.flat() as unknown as Record<string, string>,
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      await send('/image/a.jpg', [['Host', 'examplebucket.oss-cn-hangzhou.aliyuncs.com']]);
      await send('/image/a.jpg?x-oss-process=style/small', [
        ['Host', 'examplebucket.oss-cn-hangzhou.aliyuncs.com'],
      ]);
      await send('/image/a.jpg', [
        ['Host', 'xyz.oss-cn-hangzhou.aliyuncs.com'],
        ['Authorization', 'OSS a:c2ln'],
        ['Authorization', 'OSS b:c2ln'],
      ]);
    } finally {
      server.close();
    }
    expect(seen[0]?.decision).toMatchObject({
      allow: false,
      reason: 'original',
      bucket: 'examplebucket',
      key: 'image/a.jpg',
    });
    expect(seen[1]?.decision).toMatchObject({ allow: true, reason: 'style' });
    // Node's headers record keeps only one Authorization; rawHeaders shows both.
    expect(seen[2]?.raw.headers.authorization).toBe('OSS a:c2ln');
    expect(seen[2]?.decision).toMatchObject({ allow: false, reason: 'malformed-signature' });
  });
});
