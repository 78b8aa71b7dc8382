/**
 * Strict percent-decoding (SPEC S4, `src/request/decode.ts`): every `%` starts two hex digits,
 * the bytes are well-formed UTF-8, a lone surrogate is refused whether escaped or raw, `+` stays
 * `+`; and a range of a longer string decodes as that slice would. Written to kill the mutants
 * the broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import { parseRequestUrl } from '../../src/index.js';
import { decodeWellFormed, percentDecode } from '../../src/request/decode.js';

describe('S4 percent-decoding', () => {
  it('decodes what is valid', () => {
    expect(percentDecode('a%20b+c')).toBe('a b+c');
    expect(percentDecode('%E5%9B%BE')).toBe('图');
    expect(percentDecode('%F0%9F%98%80')).toBe('😀');
    expect(percentDecode('%25')).toBe('%');
    expect(percentDecode('')).toBe('');
    expect(percentDecode('plain')).toBe('plain');
    expect(percentDecode('😀é')).toBe('😀é');
  });

  it('refuses bad escapes, bad UTF-8 and lone surrogates, escaped or raw', () => {
    for (const bad of [
      '%',
      '%2',
      '%zz',
      'a%g0',
      '%C0%AF',
      '%ED%A0%80',
      '%F4%90%80%80',
      '%E5%9B',
      '%FF',
      'a\ud800',
      '\udc00',
      '\ud800%41',
      'x\udfffy',
    ]) {
      expect(percentDecode(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('a range decodes as its slice', () => {
    const s = 'xx%41%42yy';
    expect(percentDecode(s, 2, 8)).toBe('AB');
    expect(percentDecode(s, 0, 2)).toBe('xx');
    expect(percentDecode(s, 2)).toBe('AByy');
    expect(percentDecode(s, 3, 8)).toBe('41B');
    expect(percentDecode(s, 2, 4)).toBeUndefined();
    expect(percentDecode('\ud800abc', 1)).toBe('abc');
    expect(percentDecode('abc\ud800', 0, 3)).toBe('abc');
    expect(percentDecode('abc\ud800', 0, 4)).toBeUndefined();
  });

  it('decodeWellFormed: text without escapes is itself', () => {
    expect(decodeWellFormed('a+b')).toBe('a+b');
    expect(decodeWellFormed('a%2Bb')).toBe('a+b');
    expect(decodeWellFormed('a%2')).toBeUndefined();
  });

  it('a request whose path holds a lone surrogate, raw or escaped, is 400 InvalidURI', () => {
    for (const path of ['/a\ud800.jpg', '/a%ED%A0%80.jpg', '/%C0%AF']) {
      expect(
        parseRequestUrl(`https://examplebucket.oss-cn-hangzhou.aliyuncs.com${path}`),
        JSON.stringify(path),
      ).toMatchObject({ ok: false, status: 400, code: 'InvalidURI' });
    }
  });
});
