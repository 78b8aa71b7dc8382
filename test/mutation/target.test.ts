/**
 * Locating the parts of a request target (SPEC S4, `src/request/target.ts`): the origin form
 * (`/key?query`) and the absolute form with any RFC 3986 scheme (`scheme://host/key?query`),
 * nothing normalised, the target cut at the first raw `#`. Written to kill the mutants the
 * broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import { parseRequestUrl } from '../../src/index.js';
import { locate, splitTarget } from '../../src/request/target.js';

const HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';

describe('S4 absolute targets: any RFC 3986 scheme, then "://"', () => {
  it('reads the host and key after schemes of letters, digits, "+", "-" and "."', () => {
    for (const scheme of ['http', 'https', 'HTTPS', 'svn+ssh', 'a1', 'x-y', 'a.b', 'z', 'Zz9+-.']) {
      const parsed = parseRequestUrl(`${scheme}://${HOST}/image/a.jpg`);
      expect(parsed.ok && [parsed.bucket, parsed.key], scheme).toEqual([
        'examplebucket',
        'image/a.jpg',
      ]);
    }
  });

  it('refuses as InvalidURI what is neither form', () => {
    for (const target of [
      'http:/x/a.jpg',
      'http:x',
      'http:',
      'http',
      'https//h/a.jpg',
      '1http://h/a.jpg',
      '+a://h/a.jpg',
      '.a://h/a.jpg',
      'ht_tp://h/a.jpg',
      'ht tp://h/a.jpg',
      'h~://h/a.jpg',
      'a/b://h/a.jpg',
      'é://h/a.jpg',
      '@://h/a.jpg',
      '[://h/a.jpg',
      '`://h/a.jpg',
      '{://h/a.jpg',
      '://h/a.jpg',
      'image/a.jpg',
      '',
    ]) {
      expect(parseRequestUrl(target), JSON.stringify(target)).toEqual({
        ok: false,
        status: 400,
        code: 'InvalidURI',
        message: 'Could not parse the specified URI.',
      });
      expect(splitTarget(target), JSON.stringify(target)).toBeUndefined();
    }
  });

  it('characters just outside the scheme alphabet end it', () => {
    // "/" 0x2f, ":" handled, "@" 0x40, "[" 0x5b, "`" 0x60, "{" 0x7b: each is not a scheme character.
    for (const c of ['/', '@', '[', '`', '{', ',', '*', '_']) {
      expect(locate(`a${c}b://h/k`), c).toBeUndefined();
    }
    for (const c of ['0', '9', 'A', 'Z', 'a', 'z', '+', '-', '.']) {
      expect(locate(`a${c}b://h/k`), c).toBeDefined();
    }
  });
});

describe('S4 where the host, path and query are', () => {
  const cases: [string, ReturnType<typeof splitTarget>][] = [
    ['/a.jpg', { rawHost: undefined, path: '/a.jpg', queryStart: 7, queryEnd: 6 }],
    ['/a.jpg?x=1', { rawHost: undefined, path: '/a.jpg', queryStart: 7, queryEnd: 10 }],
    ['/', { rawHost: undefined, path: '/', queryStart: 2, queryEnd: 1 }],
    ['/?x', { rawHost: undefined, path: '/', queryStart: 2, queryEnd: 3 }],
    ['/a#b?c', { rawHost: undefined, path: '/a', queryStart: 3, queryEnd: 2 }],
    ['/a?b#c?d', { rawHost: undefined, path: '/a', queryStart: 3, queryEnd: 4 }],
    ['https://h/a.jpg', { rawHost: 'h', path: '/a.jpg', queryStart: 16, queryEnd: 15 }],
    ['https://h:8080/a?q', { rawHost: 'h:8080', path: '/a', queryStart: 17, queryEnd: 18 }],
    ['https://h', { rawHost: 'h', path: '/', queryStart: 10, queryEnd: 9 }],
    ['https://h?q=/x', { rawHost: 'h', path: '/', queryStart: 10, queryEnd: 14 }],
    ['https://h/', { rawHost: 'h', path: '/', queryStart: 11, queryEnd: 10 }],
    ['https://h#/a.jpg', { rawHost: 'h', path: '/', queryStart: 10, queryEnd: 9 }],
    ['https://h/a#?q', { rawHost: 'h', path: '/a', queryStart: 12, queryEnd: 11 }],
    ['https://h/a?q#r?s', { rawHost: 'h', path: '/a', queryStart: 12, queryEnd: 13 }],
    ['https://u@h/a/b', { rawHost: 'u@h', path: '/a/b', queryStart: 16, queryEnd: 15 }],
    ['https://h?a#b/c', { rawHost: 'h', path: '/', queryStart: 10, queryEnd: 11 }],
  ];

  for (const [target, want] of cases) {
    it(JSON.stringify(target), () => {
      expect(splitTarget(target)).toEqual(want);
      const at = locate(target);
      expect(at).toBeDefined();
      if (at !== undefined && want !== undefined) {
        expect(target.slice(at.queryStart, Math.max(at.queryStart, at.queryEnd))).toBe(
          target.slice(want.queryStart, Math.max(want.queryStart, want.queryEnd)),
        );
        if (want.rawHost === undefined) expect(at.authorityEnd).toBe(-1);
        else expect(target.slice(at.authorityStart, at.authorityEnd)).toBe(want.rawHost);
      }
    });
  }

  it('is not fooled by a target that is not a string', () => {
    expect(locate(undefined as unknown as string)).toBeUndefined();
    expect(locate(42 as unknown as string)).toBeUndefined();
    expect(parseRequestUrl(undefined as unknown as string)).toMatchObject({ code: 'InvalidURI' });
  });
});
