/**
 * `styleUrl` (SPEC S7, `src/build/style-url.ts`): what it refuses, with the exact error a caller
 * sees (code and message), which bases it takes, the dot segments no escaping can save, and the
 * escaping of enabled delimiters. Written to kill the mutants the broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import {
  type Delimiter,
  definePolicy,
  encodeObjectKey,
  evaluate,
  type PolicyInput,
  StyleUrlError,
  styleUrl,
} from '../../src/index.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const POLICY: PolicyInput = { rules: [{ prefix: 'image/' }], delimiters: ['!'], styles: ['small'] };

/** The error `styleUrl` throws, or a failure when it returns. */
function refusal(call: () => string): StyleUrlError {
  try {
    const url = call();
    throw new Error(`expected a StyleUrlError, got ${url}`);
  } catch (error) {
    if (!(error instanceof StyleUrlError)) throw error;
    return error;
  }
}

describe('S7 refusals: code and message (case table)', () => {
  const rows: [string, () => string, string, string][] = [
    [
      'a base with a path',
      () => styleUrl(`${H}/path`, 'k', 'small', definePolicy(POLICY)),
      'invalid-base',
      `The base must be an origin such as "https://bucket.oss-cn-hangzhou.aliyuncs.com" (or ""), not "${H}/path".`,
    ],
    [
      'a key starting with "/"',
      () => styleUrl(H, '/k', 'small', definePolicy(POLICY)),
      'invalid-key',
      '"/k" is not an OSS object key: 1–1023 UTF-8 bytes, not starting with "/" or "\\".',
    ],
    [
      'a style name with "@"',
      () => styleUrl(H, 'k', 'sm@ll', definePolicy(POLICY)),
      'invalid-style',
      '"sm@ll" is not a style name: use 1–63 of A–Z, a–z, 0–9, "_", "." and "-".',
    ],
    [
      'a style outside the catalogue',
      () => styleUrl(H, 'k', 'large', definePolicy({ styles: ['small', 'big'] })),
      'unknown-style',
      `The style "large" is not in the policy's catalogue (small, big).`,
    ],
    [
      'any style, when the catalogue is empty',
      () => styleUrl(H, 'k', 'large', definePolicy({ styles: [] })),
      'unknown-style',
      `The style "large" is not in the policy's catalogue (empty).`,
    ],
    [
      'a delimiter the policy has not enabled',
      () => styleUrl(H, 'k', 'small', definePolicy({ delimiters: ['!', '-'] }), { delimiter: '_' }),
      'delimiter-not-enabled',
      'The delimiter "_" is not enabled (enabled: ! -); use query style or enable it.',
    ],
    [
      'a delimiter, when none is enabled',
      () => styleUrl(H, 'k', 'small', definePolicy({}), { delimiter: '!' }),
      'delimiter-not-enabled',
      'The delimiter "!" is not enabled (enabled: none); use query style or enable it.',
    ],
  ];
  for (const [name, call, code, message] of rows) {
    it(`S7 ${name}: ${code}`, () => {
      const error = refusal(call);
      expect(error).toMatchObject({ name: 'StyleUrlError', code, message });
    });
  }

  it('S7 a delimiter URL a prefix rule denies without a catalogue: the decision, and its hint', () => {
    const policy = definePolicy({ rules: [{ prefix: 'image/' }], delimiters: ['!'] });
    const decision = evaluate({ url: `${H}/image/a.jpg!small` }, policy);
    if (decision.allow) throw new Error('the fixture must be denied');
    const error = refusal(() => styleUrl(H, 'image/a.jpg', 'small', policy, { delimiter: '!' }));
    expect(error.code).toBe('not-allowed');
    expect(error.message).toBe(
      `No URL for "image/a.jpg" with style "small" would be served: ${decision.code}: ${decision.message} ${decision.hint}`,
    );
  });
});

describe('S7 bases: an origin, with or without "/", or ""', () => {
  const policy = definePolicy(POLICY);
  const rows: [string, string, string | undefined][] = [
    ['an https origin', H, `${H}/image/a.jpg?x-oss-process=style/small`],
    ['an origin with a trailing "/"', `${H}/`, `${H}/image/a.jpg?x-oss-process=style/small`],
    [
      'an origin with a port',
      'http://127.0.0.1:9000',
      'http://127.0.0.1:9000/image/a.jpg?x-oss-process=style/small',
    ],
    ['another scheme', 'svn+ssh://h', 'svn+ssh://h/image/a.jpg?x-oss-process=style/small'],
    ['no base', '', '/image/a.jpg?x-oss-process=style/small'],
    ['no host', 'https://', undefined],
    ['a host with a space', 'https://a b', undefined],
    ['a query', `${H}?a`, undefined],
    ['a fragment', `${H}#a`, undefined],
    ['a scheme starting with a digit', '1http://h', undefined],
    ['no scheme', '//h', undefined],
    ['text before the origin', `x ${H}`, undefined],
    ['two slashes after the host', `${H}//`, undefined],
  ];
  for (const [name, base, url] of rows) {
    it(`S7 ${name}`, () => {
      if (url === undefined)
        expect(refusal(() => styleUrl(base, 'image/a.jpg', 'small', policy)).code).toBe(
          'invalid-base',
        );
      else expect(styleUrl(base, 'image/a.jpg', 'small', policy)).toBe(url);
    });
  }
});

describe('S7 dot segments are refused, escaped or not; dots inside a segment are fine', () => {
  const policy = definePolicy(POLICY);
  const refused = [
    '.',
    '..',
    'a/./b',
    'a/../b',
    'a/.',
    'a/..',
    './a',
    '../a',
    '%2e/a',
    'a/%2E%2e/b',
    'a/.%2E',
  ];
  for (const key of refused) {
    it(`S7 refuses ${JSON.stringify(key)}`, () => {
      const error = refusal(() => styleUrl(H, key, 'small', policy));
      expect(error.code).toBe('not-allowed');
      expect(error.message).toBe(
        `No URL can read "${key}": its "." or ".." segments are removed by browsers and HTTP clients before the request is sent (escaping does not help: %2E counts as a dot), so the link would read another key.`,
      );
    });
  }
  for (const key of ['a.', '.a', 'a..b/c', '...', 'a/...', 'a/.b', '%2ea', 'a/b.']) {
    it(`S7 builds ${JSON.stringify(key)}`, () => {
      const url = styleUrl(H, key, 'small', policy);
      expect(url).toBe(`${H}/${encodeObjectKey(key)}?x-oss-process=style/small`);
    });
  }
});

describe('S7 enabled delimiters are escaped where a server could split', () => {
  const rows: [string, Delimiter[], string, string, Delimiter | undefined, string][] = [
    [
      'a trailing delimiter of the key, query style',
      ['!'],
      'a!',
      'small',
      undefined,
      '/a%21?x-oss-process=style/small',
    ],
    [
      'every trailing delimiter',
      ['!', '-'],
      'a-!',
      'small',
      undefined,
      '/a%2D%21?x-oss-process=style/small',
    ],
    [
      'a delimiter not enabled stays',
      ['!'],
      'a-',
      'small',
      undefined,
      '/a-?x-oss-process=style/small',
    ],
    [
      'a delimiter inside the key no reading splits at stays',
      ['!'],
      'a!b',
      'small',
      '!',
      '/a!b!small',
    ],
    [
      '"_" is escaped as %5F (upper-case hex)',
      ['_'],
      'a_',
      'small',
      undefined,
      '/a%5F?x-oss-process=style/small',
    ],
    ['a delimiter inside the style name', ['-'], 'a', 'small-v2', '-', '/a-small%2Dv2'],
  ];
  for (const [name, delimiters, key, style, delimiter, url] of rows) {
    it(`S7 ${name}`, () => {
      const policy = definePolicy({ delimiters, styles: ['small', 'small-v2', 'v2'] });
      expect(styleUrl('', key, style, policy, { delimiter })).toBe(url);
    });
  }
});
