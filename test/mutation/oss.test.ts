/**
 * OSS's own rules (`src/oss/`), pinned at their edges: the key's UTF-8 byte limit with every
 * width of character (S2, S4), the style-name alphabet (S4 delimiter readings), the region and
 * bucket labels of OSS hosts (S4), and the well-formedness check on engines without
 * `String.prototype.isWellFormed`. Written to kill the mutants the broader suites let through.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  definePolicy,
  evaluate,
  parseRequestUrl,
  StyleUrlError,
  styleUrl,
  validatePolicy,
} from '../../src/index.js';
import { isStyleNameChar, objectKeyProblem } from '../../src/oss/names.js';
import { utf8Length } from '../../src/oss/text.js';

const H = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';
const bytes = (s: string) => new TextEncoder().encode(s).length;

// One character of each UTF-8 width, at both ends of each range, and both ends of the
// high-surrogate range (U+10000 starts with U+D800, U+10FFFF with U+DBFF).
const EDGES = [
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '\u{10000}',
  '\u{10ffff}',
  '\u{1f600}',
];

describe('S2/S4 UTF-8 length (oss/text.ts) agrees with TextEncoder', () => {
  it('on every width of character, alone and among ASCII', () => {
    for (const c of EDGES) {
      for (const s of [
        c,
        `a${c}`,
        `${c}b`,
        `ab${c}${c}cd`,
        c.repeat(400),
        `${'x'.repeat(300)}${c}`,
      ]) {
        expect(utf8Length(s), JSON.stringify(s)).toBe(bytes(s));
      }
    }
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('plain/ascii.jpg')).toBe(15);
  });
});

describe('S2/S4 an object key is 1–1023 UTF-8 bytes (oss/names.ts objectKeyProblem)', () => {
  // Keys of exactly 1023 and 1024 bytes, made of characters of each width.
  const limitKeys: [string, string, string][] = [
    ['1-byte', 'a'.repeat(1023), 'a'.repeat(1024)],
    ['2-byte', `${'é'.repeat(511)}a`, 'é'.repeat(512)],
    ['2-byte U+0080', `${'\u0080'.repeat(511)}a`, '\u0080'.repeat(512)],
    ['3-byte U+0800', '\u0800'.repeat(341), `${'\u0800'.repeat(341)}a`],
    ['4-byte U+10000', `${'\u{10000}'.repeat(255)}abc`, `${'\u{10000}'.repeat(255)}abcd`],
    ['4-byte U+10FFFF', `${'\u{10ffff}'.repeat(255)}abc`, `${'\u{10ffff}'.repeat(255)}abcd`],
  ];

  for (const [width, fits, tooLong] of limitKeys) {
    it(`${width}: 1023 bytes is a key, 1024 is too long`, () => {
      expect(bytes(fits)).toBe(1023);
      expect(bytes(tooLong)).toBe(1024);
      expect(objectKeyProblem(fits)).toBeUndefined();
      expect(objectKeyProblem(tooLong)).toBe('too-long');
    });

    it(`${width}: a request for a 1024-byte key is 400 InvalidObjectName, 1023 is read`, () => {
      const tooLongUrl = parseRequestUrl(`${H}/${encodeURIComponent(tooLong)}`);
      expect(tooLongUrl).toMatchObject({
        ok: false,
        status: 400,
        code: 'InvalidObjectName',
        message: 'The Length of Object name must be less than 1024',
      });
      const fitsUrl = parseRequestUrl(`${H}/${encodeURIComponent(fits)}`);
      expect(fitsUrl.ok && fitsUrl.key).toBe(fits);
    });

    it(`${width}: a policy affix of 1024 bytes is too-long, 1023 is valid (S2)`, () => {
      expect(validatePolicy({ rules: [{ suffix: fits }] }).ok).toBe(true);
      const r = validatePolicy({ rules: [{ suffix: tooLong }] });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.issues.map((i) => [i.code, i.at])).toEqual([['too-long', 'rules[0].suffix']]);
        expect(r.issues[0]?.message).toContain('1024 UTF-8 bytes');
      }
    });
  }

  it('names each problem: empty, leading slash or backslash, lone surrogate', () => {
    expect(objectKeyProblem('')).toBe('empty');
    expect(objectKeyProblem('/a.jpg')).toBe('leading-slash');
    expect(objectKeyProblem('\\a.jpg')).toBe('leading-slash');
    expect(objectKeyProblem('a\ud800.jpg')).toBe('not-unicode');
    expect(objectKeyProblem('a\udc00')).toBe('not-unicode');
    expect(objectKeyProblem('a/\u{1f600}.jpg')).toBeUndefined();
  });

  it('styleUrl refuses a key with a lone surrogate with its own error (S7), not a URIError', () => {
    const policy = definePolicy({ rules: [{ prefix: 'a' }] });
    const call = () => styleUrl(H, 'a\ud800.jpg', 'small', policy);
    expect(call).toThrow(StyleUrlError);
    expect(call).toThrow(/is not an OSS object key/);
  });
});

describe('S4 style names are 1–63 of [A-Za-z0-9_.-] (oss/names.ts)', () => {
  const STYLE_CHAR = /^[A-Za-z0-9_.-]$/;

  it('isStyleNameChar accepts exactly that alphabet', () => {
    for (let c = 0; c < 0x300; c++) {
      expect(isStyleNameChar(c), `U+${c.toString(16)}`).toBe(
        STYLE_CHAR.test(String.fromCharCode(c)),
      );
    }
  });

  it('a delimiter followed by non-style characters is no delimiter reading', () => {
    // Without a catalogue every remainder that is a style name is a reading (S4); these are not.
    const policy = definePolicy({ extensions: ['jpg'], delimiters: ['-'] });
    for (const tail of ['a$b', 'a b', 'a[b', 'a~b', 'a{b', 'a`b', 'a\u00e9b', 'a:b']) {
      const url = `${H}/x.jpg-${tail}`;
      const parsed = parseRequestUrl(url, policy);
      expect(parsed.ok, url).toBe(true);
      if (parsed.ok) {
        expect(
          parsed.readings.map((r) => [r.key, r.delimiterStyle]),
          url,
        ).toEqual([[`x.jpg-${tail}`, undefined]]);
      }
    }
    // The control: a remainder that is a style name is a reading.
    const ok = parseRequestUrl(`${H}/x.jpg-a_b.9`, policy);
    expect(ok.ok && ok.readings.map((r) => r.delimiterStyle)).toContain('a_b.9');
  });

  it('an invalid style name is refused with a sentence that states the rule', () => {
    const r = validatePolicy({ styles: ['no spaces'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]?.code).toBe('invalid-style-name');
      expect(r.issues[0]?.message).toContain('1–63 of A–Z, a–z, 0–9, "_", "." and "-"');
    }
    expect(() => styleUrl(H, 'a.jpg', 'a b', definePolicy({}))).toThrow(
      /not a style name: use 1–63 of A–Z, a–z, 0–9/,
    );
  });
});

describe('S4 OSS host labels (oss/names.ts REGION_NAME, BUCKET_NAME)', () => {
  it('a host whose region label is not a region is a custom domain', () => {
    for (const host of [
      'examplebucket.oss-cn_hangzhou.aliyuncs.com',
      'examplebucket.oss-cn-hangzhou-.aliyuncs.com',
      'examplebucket.oss--cn.aliyuncs.com',
      'examplebucket.oss-cn-hangzhou_-internal.aliyuncs.com',
      'examplebucket.cn_hangzhou.oss.aliyuncs.com',
    ]) {
      const parsed = parseRequestUrl(`https://${host}/a.jpg`);
      expect(parsed.ok && [parsed.endpoint, parsed.bucket], host).toEqual([
        'custom-domain',
        undefined,
      ]);
    }
    const control = parseRequestUrl(`${H}/a.jpg`);
    expect(control.ok && [control.endpoint, control.region, control.bucket]).toEqual([
      'public',
      'cn-hangzhou',
      'examplebucket',
    ]);
  });

  it('bucket labels of 3–63 of [a-z0-9-], not starting or ending with "-"', () => {
    const decide = (bucket: string) =>
      evaluate({ url: `https://${bucket}.oss-cn-hangzhou.aliyuncs.com/a.jpg` }, definePolicy({}));
    for (const bucket of ['abc', 'a-b', '0a9', 'a'.repeat(63)])
      expect(decide(bucket).allow).toBe(true);
    for (const bucket of ['ab', '-ab', 'ab-', 'a'.repeat(64), 'a_b']) {
      expect(decide(bucket), bucket).toMatchObject({
        allow: false,
        status: 400,
        code: 'InvalidBucketName',
      });
    }
  });
});

describe('S4 well-formedness without String.prototype.isWellFormed (older engines)', () => {
  const proto = String.prototype as { isWellFormed?: unknown };
  const native = proto.isWellFormed;

  afterEach(() => {
    proto.isWellFormed = native;
    vi.resetModules();
  });

  it('the regular-expression fallback finds exactly the lone surrogates', async () => {
    delete proto.isWellFormed;
    vi.resetModules();
    const fallback = await import('../../src/oss/text.js');
    for (const s of ['', 'a.jpg', 'a/\u{1f600}.jpg', '\ud83d\ude00']) {
      expect(fallback.isWellFormed(s), JSON.stringify(s)).toBe(true);
    }
    for (const s of ['\ud800', 'a\udc00', '\ude00\ud83d', 'x\ud83d']) {
      expect(fallback.isWellFormed(s), JSON.stringify(s)).toBe(false);
    }
  });
});
