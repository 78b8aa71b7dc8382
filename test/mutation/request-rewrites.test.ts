/**
 * The paths other servers act on (SPEC S4 R2 "Readings by other servers", `src/request/rewrites.ts`,
 * docs/behaviour.md#readings-by-other-servers): W against the WHATWG URL parser itself (the
 * behaviour it models), N against a plain decode / merge / resolve / re-encode model with both
 * trailing forms after a final dot segment, P's stripping of `;…`, and the cheap tests that say
 * whether W or N is tried, against the list of units the spec says trigger each one (sound: a
 * rewrite that changes the path is always tried; and cheap: a path with none of them tries none).
 * Written to kill the mutants the broader suites let through: most of them are hidden there
 * because N resolves dot segments just as W does, so a wrong W reading is never seen.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runs } from '../support/runs.js';

// Every test loads `src/` afresh: the dot-segment and escape patterns are built when the module
// loads, and a mutant of one is seen only by a test that loads it (docs/testing.md).
type Rewrites = typeof import('../../src/request/rewrites.js');
let R: Rewrites;
type Index = typeof import('../../src/index.js');
let parseRequestUrl: Index['parseRequestUrl'];
let definePolicy: Index['definePolicy'];

beforeEach(async () => {
  vi.resetModules();
  R = await import('../../src/request/rewrites.js');
  ({ parseRequestUrl, definePolicy } = await import('../../src/index.js'));
});

const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

/** `/` left at the start after a rewrite are stripped to one (S4 R2, rules for every rewrite). */
const rootedRef = (p: string): string => `/${p.replace(/^\/+/, '')}`;

/** W, as the thing it models: the WHATWG URL parser of an http URL. */
const whatwgRef = (path: string): string => rootedRef(new URL(`http://h${path}`).pathname);

const wellFormed = (s: string): boolean =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/**
 * N, plainly: decode (strict UTF-8), merge repeated `/`, resolve `.` and `..` (none above the
 * root), re-encode each segment with `encodeURIComponent`. A final dot segment gives the path
 * with a trailing `/` (RFC 3986, nginx) and without (Go's `path.Clean`); a path that already
 * ended in `/` keeps it (Go's `net/http` restores it); `/` only once.
 */
function decodedRef(path: string): string[] {
  if (!wellFormed(path)) return [];
  let d: string;
  try {
    d = decodeURIComponent(path);
  } catch {
    return [];
  }
  const parts = d.split('/').slice(1);
  const endsInSlash = parts[parts.length - 1] === '';
  const segments = parts.filter((s) => s !== '');
  const last = segments[segments.length - 1];
  const finalDot = !endsInSlash && (last === '.' || last === '..');
  const stack: string[] = [];
  for (const s of segments) {
    if (s === '.') continue;
    if (s === '..') stack.pop();
    else stack.push(s);
  }
  const clean = `/${stack.map((s) => encodeURIComponent(s)).join('/')}`;
  const rfc = clean === '/' || !(endsInSlash || finalDot) ? clean : `${clean}/`;
  return finalDot && rfc !== clean ? [rfc, clean] : [rfc];
}

// --- W ------------------------------------------------------------------------------------------

describe('S4 R2 W: the WHATWG URL reading', () => {
  const cases: [string, string, string][] = [
    ['S4 R2 W example', '/secret/../image/a.gif', '/image/a.gif'],
    ['S4 R2 W example: backslash', '/image\\a.gif', '/image/a.gif'],
    ['S4 R2 W example: no decoding', '/p%2Fq/../image/a.gif', '/image/a.gif'],
    ['S4 R2 W: a final "." leaves a "/"', '/a/.', '/a/'],
    ['S4 R2 W: a final ".." leaves a "/"', '/a/b/..', '/a/'],
    ['S4 R2 W: a final "%2E" leaves a "/"', '/a.jpg/%2E', '/a.jpg/'],
    ['S4 R2 W: ".." above the root is dropped', '/../a', '/a'],
    ['S4 R2 W: "%2e%2E", ".%2e", "%2e." are ".."', '/a/%2e%2E/b/.%2e/c/%2e./d', '/d'],
    ['S4 R2 W: a "." segment is removed', '/a/./b', '/a/b'],
    ['S4 R2 W: "a." is a segment, not a dot', '/a./b', '/a./b'],
    ['S4 R2 W: "a.." is a segment, not a dot', '/x/a../b', '/x/a../b'],
    ['S4 R2 W: ".a" is a segment, not a dot', '/.a/b', '/.a/b'],
    ['S4 R2 W: "..a" is a segment, not a dot', '/x/..a/b', '/x/..a/b'],
    ['S4 R2 W: "..." is a segment, not a dot', '/x/.../b', '/x/.../b'],
    ['S4 R2 W: "a%2e" is a segment', '/x/a%2e/b', '/x/a%2e/b'],
    ['S4 R2 W: leading "/" stripped to one', '/..//image/a.gif', '/image/a.gif'],
    ['S4 R2 W: leading "/" after "\\"', '/\\\\image/a.gif', '/image/a.gif'],
    ['S4 R2 W: slashes inside are not merged', '/a//b', '/a//b'],
    ['S4 R2 W: tab and newlines dropped', '/ima\tge/\na.g\rif', '/image/a.gif'],
    ['S4 R2 W: "%5C" is data', '/image%5Ca.gif', '/image%5Ca.gif'],
    ['S4 R2 W: "/" alone', '/', '/'],
  ];
  for (const [clause, path, want] of cases) {
    it(`${clause}: ${JSON.stringify(path)}`, () => {
      expect(R.whatwgPath(path)).toBe(want);
      expect(whatwgRef(path)).toBe(want);
    });
  }

  const unit = fc.constantFrom(
    'a',
    'b.jpg',
    '/',
    '/',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2f',
    '%41',
    '\\',
    '\t',
    '\n',
    '\r',
    ';',
    '!',
    '-',
    '_',
    '@',
    '~',
  );
  // A target whose path starts with `//` is refused before any rewrite (it would name a host to
  // WHATWG URL), so the rewrites only ever see paths with one leading `/`.
  const path = fc
    .array(unit, { maxLength: 10 })
    .map((u) => `/${u.join('')}`)
    .filter((p) => !p.startsWith('//'));

  it('S4 R2 W: is what the WHATWG URL parser gives, leading "/" stripped to one', () => {
    fc.assert(
      fc.property(path, (p) => {
        expect(R.whatwgPath(p)).toBe(whatwgRef(p));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('S4 R2 W is tried whenever it changes the path, and never on a path without its units', () => {
    const triggers = /[\\\t\n\r]|\/\.|\/%2e/i;
    fc.assert(
      fc.property(path, (p) => {
        // A path starting with `//` is a key starting with `/`: refused before any rewrite.
        if (R.whatwgPath(p) !== p && !p.startsWith('//')) expect(R.whatwgMayChange(p)).toBe(true);
        expect(R.whatwgMayChange(p)).toBe(triggers.test(p));
      }),
      { numRuns: runs(2000) },
    );
    // One unit each, alone, after a plain path (the cases the generator makes least often).
    for (const [p, want] of [
      ['/a.jpg', false],
      ['/a%41.jpg', false],
      ['/a%2e', false],
      ['/a;b', false],
      ['/a\\b', true],
      ['/a/.b', true],
      ['/a/%2Eb', true],
      ['/a\tb', true],
      ['/a\nb', true],
      ['/a\rb', true],
    ] as const)
      expect(R.whatwgMayChange(p), JSON.stringify(p)).toBe(want);
  });

  it('S4 R2 W through a request: a backslash is read as "/" (N leaves it as data)', () => {
    const policy = definePolicy({ rules: [{ prefix: 'image/' }] });
    const parsed = parseRequestUrl(`${HOST}/image\\a.gif`, policy);
    expect(parsed.ok && parsed.readings.map((r) => [r.source, r.key])).toEqual([
      ['literal', 'image\\a.gif'],
      ['whatwg', 'image/a.gif'],
    ]);
  });
});

// --- N ------------------------------------------------------------------------------------------

describe('S4 R2 N: the decoding reading', () => {
  const cases: [string, string, string[]][] = [
    ['S4 R2 N example', '/x/%2e%2e/image/a.gif', ['/image/a.gif']],
    ['S4 R2 N example: "%2F" is a separator', '/p%2Fq/../image/a.gif', ['/p/image/a.gif']],
    ['S4 R2 N: a final "." both ways', '/a.jpg/.', ['/a.jpg/', '/a.jpg']],
    ['S4 R2 N: a final ".." both ways', '/a/b.jpg/..', ['/a/', '/a']],
    ['S4 R2 N: a final escaped ".." both ways', '/a/b/%2E%2e', ['/a/', '/a']],
    ['S4 R2 N: a trailing "/" is kept, once', '/x/../b/', ['/b/']],
    ['S4 R2 N: repeated trailing "/" merged', '/a//', ['/a/']],
    ['S4 R2 N: up to the root, once', '/a/..', ['/']],
    ['S4 R2 N: "." at the root, once', '/.', ['/']],
    ['S4 R2 N: "a.." is not ".."', '/x/a../b', ['/x/a../b']],
    ['S4 R2 N: "..a" is not ".."', '/x/..a/b', ['/x/..a/b']],
    ['S4 R2 N: ".a" is not "."', '/x/.a/b', ['/x/.a/b']],
    ['S4 R2 N: "a." is not "."', '/x/a./b', ['/x/a./b']],
    ['S4 R2 N: slashes merged', '/a//b///c', ['/a/b/c']],
    [
      'S4 R2 N: re-encoded per segment',
      '/%e5%9b%be/a%20b%3B%23%5C@',
      ['/%E5%9B%BE/a%20b%3B%23%5C%40'],
    ],
    ['S4 R2 N: unreserved escapes decode', '/%41%2D%5F%21~', ['/A-_!~']],
    ['S4 R2 N: an invalid escape reads nothing', '/a/%zz/../b', []],
    ['S4 R2 N: an encoded surrogate reads nothing', '/a/%ED%A0%80/../b', []],
    ['S4 R2 N: a lone surrogate reads nothing', '/a/\ud800/../b', []],
  ];
  for (const [clause, path, want] of cases) {
    it(`${clause}: ${JSON.stringify(path)}`, () => {
      expect(R.decodedPaths(path)).toEqual(want);
      expect(decodedRef(path)).toEqual(want);
    });
  }

  const unit = fc.constantFrom(
    'a',
    'b.jpg',
    '/',
    '/',
    '/',
    '.',
    '..',
    '...',
    'a.',
    '.a',
    '%2e',
    '%2E',
    '%2f',
    '%2F',
    '%41',
    '%21',
    '%5F',
    '%40',
    '%25',
    '%20',
    '%E5%9B%BE',
    '%zz',
    '!',
    '@',
    ';',
    '\\',
  );
  const path = fc.array(unit, { maxLength: 10 }).map((u) => `/${u.join('')}`);

  it('S4 R2 N: is the plain decode, merge, resolve, re-encode', () => {
    fc.assert(
      fc.property(path, (p) => {
        expect(R.decodedPaths(p)).toEqual(decodedRef(p));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('S4 R2 N is tried whenever it changes the reading, and never on a path without its units', () => {
    // Escapes that change a reading when decoded: ".", "/", the delimiters and "@".
    const triggers = /\/\/|\/\.|%(?:2[ef1d]|5f|40)/i;
    fc.assert(
      fc.property(path, (p) => {
        expect(R.decodedMayChange(p)).toBe(triggers.test(p));
        expect(R.STRUCTURAL_ESCAPE.test(p)).toBe(/%(?:2[ef1d]|5f|40)/i.test(p));
      }),
      { numRuns: runs(2000) },
    );
    for (const [p, want] of [
      ['/a.jpg', false],
      ['/a%41%20%3B.jpg', false],
      ['/a;b', false],
      ['/a\\b', false],
      ['/a//b', true],
      ['/a/.b', true],
    ] as const)
      expect(R.decodedMayChange(p), JSON.stringify(p)).toBe(want);
    // Each escape the pattern names, in both cases, and its neighbours that it does not.
    for (const e of ['2e', '2E', '2f', '2F', '21', '2d', '2D', '5f', '5F', '40'])
      expect(R.STRUCTURAL_ESCAPE.test(`/a%${e}b`), e).toBe(true);
    for (const e of ['2c', '20', '22', '2B', '5E', '5C', '50', '41', '4F', '30', '60', '7F'])
      expect(R.STRUCTURAL_ESCAPE.test(`/a%${e}b`), e).toBe(false);
  });

  it('S4 R2 N through a request: an escaped "_" is a delimiter once decoded', () => {
    const policy = definePolicy({ extensions: ['jpg'], delimiters: ['_'], styles: ['small'] });
    const parsed = parseRequestUrl(`${HOST}/image/a.jpg%5Fsmall`, policy);
    expect(parsed.ok && parsed.readings.map((r) => [r.source, r.key, r.access, r.style])).toEqual([
      ['literal', 'image/a.jpg_small', 'direct', undefined],
      ['decoded', 'image/a.jpg', 'style', 'small'],
    ]);
  });
});

// --- P ------------------------------------------------------------------------------------------

describe('S4 R2 P: path parameters', () => {
  const cases: [string, string, string][] = [
    ['S4 R2 P example', '/image;x=1/a.gif', '/image/a.gif'],
    ['S4 R2 P example: hides a dot segment', '/secret/..;/image/a.gif', '/secret/../image/a.gif'],
    ['S4 R2 P example: last segment', '/a.jpg;v=1', '/a.jpg'],
    ['S4 R2 P: in every segment', '/a;1/b;2;3/c;', '/a/b/c'],
    ['S4 R2: "%3B" is data', '/a%3Bv=1/b', '/a%3Bv=1/b'],
  ];
  for (const [clause, path, want] of cases) {
    it(`${clause}: ${JSON.stringify(path)}`, () => {
      expect(R.withoutPathParameters(path)).toBe(want);
    });
  }
});
