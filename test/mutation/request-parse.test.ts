/**
 * Reading a request target (SPEC S4, `src/request/parse.ts`): OSS's error answers, field by
 * field; the path of a target with none; the host option; a key that is too long but still has a
 * delimiter reading; the processing a path asks for (an empty style after each enabled delimiter
 * in the final run of delimiter characters, `@` in the last segment only); readings that differ
 * in one field only are all kept (another server agreeing adds nothing, another server disagreeing
 * in any field does: S4 R2); and what a server keeping a raw `#` reads: its path to the first `?`,
 * its query (processing named, watermarks) only after one. Written to kill the mutants the broader
 * suites let through.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delimiter } from '../../src/index.js';

// Every test loads `src/` afresh: OSS's error answers are built when the module loads, and a
// mutant of one is seen only by a test that loads it (docs/testing.md, "Hybrid mutants").
type Index = typeof import('../../src/index.js');
let parseRequestUrl: Index['parseRequestUrl'];
let definePolicy: Index['definePolicy'];

beforeEach(async () => {
  vi.resetModules();
  ({ parseRequestUrl, definePolicy } = await import('../../src/index.js'));
});

const BUCKET_HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const HOST = `https://${BUCKET_HOST}`;

type Row = readonly (string | undefined)[];
/** Every field of every reading, in order: source, key, access, style, delimiter, its style, path processing. */
function readings(
  target: string,
  policy?: Parameters<Index['parseRequestUrl']>[1],
): Row[] | string {
  const parsed = parseRequestUrl(target, policy);
  if (!parsed.ok) return parsed.code;
  return parsed.readings.map((r) => [
    r.source,
    r.key,
    r.access,
    r.style,
    r.delimiter,
    r.delimiterStyle,
    r.pathProcessing,
  ]);
}
const U = undefined;

describe("S4: OSS's answers to a target it refuses", () => {
  const cases: [string, string, object][] = [
    [
      'S4 invalid escape',
      `${HOST}/image/%zz.jpg`,
      { status: 400, code: 'InvalidURI', message: 'Could not parse the specified URI.' },
    ],
    [
      'S4 key starting with "/"',
      `${HOST}/%2Fimage/cat.jpg`,
      { status: 400, code: 'InvalidObjectName', message: 'The specified object is not valid.' },
    ],
    [
      'S4 key starting with "\\"',
      `${HOST}/%5Cimage/cat.jpg`,
      { status: 400, code: 'InvalidObjectName', message: 'The specified object is not valid.' },
    ],
    [
      'S4 key of 1024 bytes',
      `${HOST}/${'a'.repeat(1024)}`,
      {
        status: 400,
        code: 'InvalidObjectName',
        message: 'The Length of Object name must be less than 1024',
      },
    ],
    [
      'S4 bucket label that is not a bucket name',
      'https://ab.oss-cn-hangzhou.aliyuncs.com/image/cat.jpg',
      { status: 400, code: 'InvalidBucketName', message: 'The specified bucket is not valid.' },
    ],
    [
      'S4 path-style request',
      'https://oss-cn-hangzhou.aliyuncs.com/examplebucket/image/cat.jpg',
      {
        status: 403,
        code: 'SecondLevelDomainForbidden',
        message: 'Please use virtual hosted style to access.',
      },
    ],
  ];
  for (const [clause, target, want] of cases) {
    it(`${clause}: ${target.slice(0, 80)}`, () => {
      expect(parseRequestUrl(target)).toStrictEqual({ ok: false, ...want });
    });
  }

  it('S4 a key too long for OSS, split at a delimiter into a key too long as well', () => {
    const policy = definePolicy({ delimiters: ['!'] });
    expect(parseRequestUrl(`${HOST}/${'a'.repeat(1100)}!small`, policy)).toStrictEqual({
      ok: false,
      status: 400,
      code: 'InvalidObjectName',
      message: 'The Length of Object name must be less than 1024',
    });
  });

  it('S4 a key too long for OSS whose delimiter reading is a valid key: that reading alone', () => {
    // 1,000 + 1 + 30 + 1 bytes: the whole path, and the key before the trailing "_", are too long.
    const policy = definePolicy({ delimiters: ['!', '_'] });
    const style = `${'x'.repeat(30)}_`;
    expect(readings(`${HOST}/${'a'.repeat(1000)}!${style}`, policy)).toEqual([
      ['literal', 'a'.repeat(1000), 'style', style, '!', style, U],
    ]);
  });
});

describe('S4: the path, the host option', () => {
  it('S4 a target with no path has the path "/" (a bucket-level request)', () => {
    for (const target of [HOST, `${HOST}?x=1`]) {
      const parsed = parseRequestUrl(target);
      expect(parsed.ok && [parsed.path, parsed.key, parsed.readings], target).toEqual([
        '/',
        undefined,
        [],
      ]);
    }
  });

  it('S4 an origin-form target takes its bucket from the host option', () => {
    const parsed = parseRequestUrl('/image/a.jpg', undefined, { host: BUCKET_HOST });
    expect(parsed.ok && [parsed.endpoint, parsed.bucket, parsed.key]).toEqual([
      'public',
      'examplebucket',
      'image/a.jpg',
    ]);
  });
});

describe('S4 R2 other processing forms: an empty style after a delimiter', () => {
  const cases: [string, string, Delimiter[], Row[]][] = [
    [
      'S4 R2 the final run holds a "-" that is not enabled',
      '/a.jpg!-!',
      ['!'],
      [
        ['literal', 'a.jpg!-!', 'direct', U, U, U, U],
        ['literal', 'a.jpg!-', 'inline', U, '!', '', 'empty-style'],
        ['literal', 'a.jpg', 'inline', U, '!', '', 'empty-style'],
      ],
    ],
    [
      'S4 R2 the final run holds a "/" that is not enabled',
      '/a.jpg!/!',
      ['!'],
      [
        ['literal', 'a.jpg!/!', 'direct', U, U, U, U],
        ['literal', 'a.jpg!/', 'inline', U, '!', '', 'empty-style'],
        ['literal', 'a.jpg', 'inline', U, '!', '', 'empty-style'],
      ],
    ],
    [
      'S4 R2 the final run holds a "_" that is not enabled',
      '/a.jpg!_!',
      ['!'],
      [
        ['literal', 'a.jpg!_!', 'direct', U, U, U, U],
        ['literal', 'a.jpg!_', 'inline', U, '!', '', 'empty-style'],
        ['literal', 'a.jpg', 'inline', U, '!', '', 'empty-style'],
      ],
    ],
    [
      'S4 R2 the final run is the whole key: no empty key, nothing before the path',
      '/!!',
      ['!', '/'],
      [
        ['literal', '!!', 'direct', U, U, U, U],
        ['literal', '!', 'inline', U, '!', '', 'empty-style'],
      ],
    ],
  ];
  for (const [clause, path, delimiters, want] of cases) {
    it(`${clause}: ${path}`, () => {
      expect(readings(`${HOST}${path}`, definePolicy({ delimiters }))).toEqual(want);
      // The origin form: the text before the key is the start of the target.
      const parsed = parseRequestUrl(path, definePolicy({ delimiters }), { host: BUCKET_HOST });
      expect(parsed.ok && parsed.readings.length).toBe(want.length);
    });
  }
});

describe('S4 R2 other processing forms: legacy "@" in the last segment', () => {
  const cases: [string, string, Row[]][] = [
    [
      'S4 R2 each "@" of the last segment',
      '/dir/a@2x@b.png',
      [
        ['literal', 'dir/a@2x@b.png', 'direct', U, U, U, U],
        ['literal', 'dir/a', 'inline', U, U, U, 'at'],
        ['literal', 'dir/a@2x', 'inline', U, U, U, 'at'],
      ],
    ],
    [
      'S4 R2 an "@" just before the last "/" is not in the last segment',
      '/a@/b.jpg',
      [['literal', 'a@/b.jpg', 'direct', U, U, U, U]],
    ],
    [
      'S4 R2 a "/" in the query does not move the last segment',
      '/a@b.jpg?/x',
      [
        ['literal', 'a@b.jpg', 'direct', U, U, U, U],
        ['literal', 'a', 'inline', U, U, U, 'at'],
      ],
    ],
    [
      'S4 R2 an "@" in the query is not in the path',
      '/a.jpg?x=@',
      [['literal', 'a.jpg', 'direct', U, U, U, U]],
    ],
    [
      'S4 R2 no "@", no processing reading',
      '/dir/a.jpg',
      [['literal', 'dir/a.jpg', 'direct', U, U, U, U]],
    ],
    ['S4 R2 an "@" first leaves no key', '/@x.jpg', [['literal', '@x.jpg', 'direct', U, U, U, U]]],
  ];
  for (const [clause, path, want] of cases) {
    it(`${clause}: ${path}`, () => {
      expect(readings(`${HOST}${path}`, definePolicy({ atProcessing: true }))).toEqual(want);
    });
  }
});

describe('S4 R2: a reading another server makes is kept when it differs in any field', () => {
  // A server keeping a raw `#` reads a path the literal reading never sees, with its own query:
  // after `/../..` it is the literal path again, read under that query.
  const cases: [string, string, Parameters<typeof definePolicy>[0], Row[]][] = [
    [
      'S4 R2 H: the same key, processed',
      '/a.jpg#/../../a.jpg?x-oss-process=image/resize,w_9',
      {},
      [
        ['literal', 'a.jpg', 'direct', U, U, U, U],
        ['raw-hash', 'a.jpg#/../../a.jpg', 'inline', U, U, U, U],
        ['raw-hash', 'a.jpg', 'inline', U, U, U, U],
      ],
    ],
    [
      'S4 R2 H: the same split, another query style',
      '/a.jpg!small#/../../a.jpg!small?x-oss-process=style/big',
      { delimiters: ['!'] },
      [
        ['literal', 'a.jpg', 'style', 'small', '!', 'small', U],
        ['literal', 'a.jpg!small', 'direct', U, U, U, U],
        ['raw-hash', 'a.jpg!small#/../../a.jpg', 'style', 'big', '!', 'small', U],
        ['raw-hash', 'a.jpg!small#/../../a.jpg!small', 'style', 'big', U, U, U],
        ['raw-hash', 'a.jpg', 'style', 'big', '!', 'small', U],
        ['raw-hash', 'a.jpg!small', 'style', 'big', U, U, U],
      ],
    ],
    [
      'S4 R2 H: the same key and style, another delimiter',
      '/a.jpg!small#/../../a.jpg-small',
      { delimiters: ['!', '-'] },
      [
        ['literal', 'a.jpg', 'style', 'small', '!', 'small', U],
        ['literal', 'a.jpg!small', 'direct', U, U, U, U],
        ['raw-hash', 'a.jpg!small#/../../a.jpg', 'style', 'small', '-', 'small', U],
        ['raw-hash', 'a.jpg!small#/../../a.jpg-small', 'direct', U, U, U, U],
        ['raw-hash', 'a.jpg', 'style', 'small', '-', 'small', U],
        ['raw-hash', 'a.jpg-small', 'direct', U, U, U, U],
      ],
    ],
    [
      'S4 R2 H: the same key, delimiter and style, another delimiter style',
      '/a.jpg!s1#/../../a.jpg!s2?x-oss-process=style/s1',
      { delimiters: ['!'] },
      [
        ['literal', 'a.jpg', 'style', 's1', '!', 's1', U],
        ['literal', 'a.jpg!s1', 'direct', U, U, U, U],
        ['raw-hash', 'a.jpg!s1#/../../a.jpg', 'style', 's1', '!', 's2', U],
        ['raw-hash', 'a.jpg!s1#/../../a.jpg!s2', 'style', 's1', U, U, U],
        ['raw-hash', 'a.jpg', 'style', 's1', '!', 's2', U],
        ['raw-hash', 'a.jpg!s2', 'style', 's1', U, U, U],
      ],
    ],
    [
      'S4 R2 H: the same key processed, by the query rather than by "@"',
      '/a.jpg@x#/../../a.jpg?x-oss-process=image/resize,w_9',
      { atProcessing: true },
      [
        ['literal', 'a.jpg@x', 'direct', U, U, U, U],
        ['literal', 'a.jpg', 'inline', U, U, U, 'at'],
        ['raw-hash', 'a.jpg@x#/../../a.jpg', 'inline', U, U, U, U],
        ['raw-hash', 'a.jpg', 'inline', U, U, U, U],
      ],
    ],
  ];
  for (const [clause, path, policy, want] of cases) {
    it(`${clause}: ${path}`, () => {
      expect(readings(`${HOST}${path}`, definePolicy(policy))).toEqual(want);
    });
  }
});

describe('S4 R2 H: what a server keeping a raw "#" reads', () => {
  it('S4 R2 H: without a "?" it reads no query, even one spelt after the "#"', () => {
    const parsed = parseRequestUrl(`${HOST}/a.jpg#&x-oss-process=image/resize,w_9`);
    expect(parsed.ok && [parsed.processRequested, parsed.readings.map((r) => r.access)]).toEqual([
      false,
      ['direct', 'direct'],
    ]);
  });

  it('S4 R2 H: processing named only in the query after the "#" is processing requested', () => {
    const parsed = parseRequestUrl(`${HOST}/a.jpg#?x-oss-process=image/resize,w_9`);
    expect(parsed.ok && [parsed.process, parsed.processRequested]).toEqual([
      { kind: 'none' },
      true,
    ]);
  });

  it('S4 R2 H: a path after the "#" that does not decode reads nothing (and nothing throws)', () => {
    expect(readings(`${HOST}/a.jpg#%zz`)).toEqual([['literal', 'a.jpg', 'direct', U, U, U, U]]);
  });

  it('S4 R2 H: a query after the "#" that does not decode throws nothing', () => {
    // Which readings it gives is left open here (see the report on `raw-hash` and bad queries).
    const parsed = parseRequestUrl(`${HOST}/a.jpg#/../b.jpg?x=%zz`);
    expect(parsed.ok && parsed.readings[0]).toMatchObject({ source: 'literal', key: 'a.jpg' });
  });
});

describe('S4 R2 other processing forms: the watermarks of every processing value', () => {
  const A = 'image_aW1hZ2UvYS5qcGc'; // image/a.jpg
  const S = 'image_c2VjcmV0L2xvZ28ucG5n'; // secret/logo.png
  const cases: [string, string, object][] = [
    [
      'S4 R2 one inline value, read once',
      `?x-oss-process=image/watermark,${A}`,
      { keys: ['image/a.jpg'], undecodable: false },
    ],
    [
      'S4 R2 one inline value, read once, on a path another server rewrites',
      `/../x?x-oss-process=image/watermark,${A}`,
      { keys: ['image/a.jpg'], undecodable: false },
    ],
    [
      'S4 R2 both values of a duplicated parameter',
      `?x-oss-process=image/watermark,${A}&x-oss-process=image/watermark,${S}`,
      { keys: ['image/a.jpg', 'secret/logo.png'], undecodable: false },
    ],
    [
      'S4 R2 an undecodable value first',
      `?x-oss-process=image/watermark,image_!!!&x-oss-process=image/watermark,${A}`,
      { keys: ['image/a.jpg'], undecodable: true },
    ],
    [
      'S4 R2 an undecodable value last',
      `?x-oss-process=image/watermark,${A}&x-oss-process=image/watermark,image_!!!`,
      { keys: ['image/a.jpg'], undecodable: true },
    ],
    [
      'S4 R2 H: the query after a raw "#"',
      `#?x-oss-process=image/watermark,${S}`,
      { keys: ['secret/logo.png'], undecodable: false },
    ],
  ];
  for (const [clause, tail, want] of cases) {
    it(`${clause}: ${tail.slice(0, 70)}`, () => {
      const parsed = parseRequestUrl(`${HOST}/a.jpg${tail}`);
      expect(parsed.ok && parsed.watermarks).toEqual(want);
    });
  }
});
