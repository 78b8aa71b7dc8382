/**
 * The fast-path proof (`src/request/scan.ts`, `literalOnly`): `readTarget` skips the paths other
 * servers act on (SPEC S4 R2) when the proof says none of them reads anything the literal reading
 * does not. A proof that says "nothing to rewrite" for a path some server does rewrite would drop
 * that server's readings: a real gap. So each path below that W, N or P reads differently must be
 * unproved, the readings the full path gives it are named, and the fast path must give them too;
 * the examples of `literalOnly`'s documentation are proved. A property then compares the fast and
 * the full path on generated paths made of the units the proof turns on (`.`, `..`, `\`, `;`,
 * `%`, `#`, escapes of every class). Written to kill the mutants the broader suites let through
 * (mutants that only make the proof more conservative cost time, not readings: docs/testing.md).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runs } from '../support/runs.js';

// Every test loads `src/` afresh: the proof's patterns and the `fastPath` switch are built when
// the module loads, and a mutant of one is seen only by a test that loads it (docs/testing.md).
type Scan = typeof import('../../src/request/scan.js');
type Index = typeof import('../../src/index.js');
let literalOnly: Scan['literalOnly'];
let fastPath: Scan['fastPath'];
let parseRequestUrl: Index['parseRequestUrl'];
let policy: ReturnType<Index['definePolicy']>;

beforeEach(async () => {
  vi.resetModules();
  ({ literalOnly, fastPath } = await import('../../src/request/scan.js'));
  const index = await import('../../src/index.js');
  parseRequestUrl = index.parseRequestUrl;
  // Every part of a reading that a rewrite can change: delimiters (no catalogue) and `@`.
  policy = index.definePolicy({ delimiters: ['!', '-', '_'], atProcessing: true });
});

afterEach(() => {
  fastPath.enabled = true;
});

const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

/** The parse of `path` the fast way (as shipped) and the full way (every rewrite built). */
function bothWays(path: string) {
  fastPath.enabled = true;
  const fast = parseRequestUrl(`${HOST}${path}`, policy);
  fastPath.enabled = false;
  const full = parseRequestUrl(`${HOST}${path}`, policy);
  fastPath.enabled = true;
  return { fast, full };
}

const readingsOf = (p: ReturnType<typeof parseRequestUrl>) =>
  p.ok ? p.readings.map((r) => [r.source, r.key, r.access]) : p.code;

describe('S4 R2: a path some server rewrites is never proved', () => {
  // [clause, path, every reading the full path gives it]
  const cases: [string, string, (string | undefined)[][]][] = [
    [
      'S4 R2 W/N ".."',
      '/a/../b',
      [
        ['literal', 'a/../b', 'direct'],
        ['whatwg', 'b', 'direct'],
      ],
    ],
    [
      'S4 R2 W/N "." inside',
      '/a/./b',
      [
        ['literal', 'a/./b', 'direct'],
        ['whatwg', 'a/b', 'direct'],
      ],
    ],
    [
      'S4 R2 W/N every "/" before a "."',
      '/./.x',
      [
        ['literal', './.x', 'direct'],
        ['whatwg', '.x', 'direct'],
      ],
    ],
    [
      'S4 R2 W/N a final ".."',
      '/a/b/..',
      [
        ['literal', 'a/b/..', 'direct'],
        ['whatwg', 'a/', 'direct'],
        ['decoded', 'a', 'direct'],
      ],
    ],
    [
      'S4 R2 W/N a final "."',
      '/a/.',
      [
        ['literal', 'a/.', 'direct'],
        ['whatwg', 'a/', 'direct'],
        ['decoded', 'a', 'direct'],
      ],
    ],
    [
      'S4 R2 W "%2e%2e" first',
      '/%2e%2e/image/a.gif',
      [
        ['literal', '../image/a.gif', 'direct'],
        ['whatwg', 'image/a.gif', 'direct'],
      ],
    ],
    [
      'S4 R2 W "%2E" first',
      '/%2E/a',
      [
        ['literal', './a', 'direct'],
        ['whatwg', 'a', 'direct'],
      ],
    ],
    [
      'S4 R2 W "\\"',
      '/a\\b',
      [
        ['literal', 'a\\b', 'direct'],
        ['whatwg', 'a/b', 'direct'],
      ],
    ],
    [
      'S4 R2 W tab',
      '/a\tb',
      [
        ['literal', 'a\tb', 'direct'],
        ['whatwg', 'ab', 'direct'],
      ],
    ],
    [
      'S4 R2 P ";"',
      '/a;b',
      [
        ['literal', 'a;b', 'direct'],
        ['path-parameters', 'a', 'direct'],
      ],
    ],
    [
      'S4 R2 N "//"',
      '/a//b',
      [
        ['literal', 'a//b', 'direct'],
        ['decoded', 'a/b', 'direct'],
      ],
    ],
    [
      'S4 R2 N "%5F" decodes to a delimiter',
      '/a.jpg%5Fsmall',
      [
        ['literal', 'a.jpg_small', 'direct'],
        ['decoded', 'a.jpg', 'style'],
      ],
    ],
    [
      'S4 R2 N "%5f" decodes to a delimiter',
      '/a.jpg%5fsmall',
      [
        ['literal', 'a.jpg_small', 'direct'],
        ['decoded', 'a.jpg', 'style'],
      ],
    ],
    [
      'S4 R2 N "%21" decodes to a delimiter',
      '/a.jpg%21small',
      [
        ['literal', 'a.jpg!small', 'direct'],
        ['decoded', 'a.jpg', 'style'],
      ],
    ],
    [
      'S4 R2 N "%2D" after a canonical "%40"',
      '/a%40b.jpg%2Dsmall',
      [
        ['literal', 'a@b.jpg-small', 'direct'],
        ['decoded', 'a@b.jpg', 'style'],
      ],
    ],
    [
      'S4 R2 N "%2F" decodes to "/"',
      '/x%2F..%2Fa.jpg',
      [
        ['literal', 'x/../a.jpg', 'direct'],
        ['decoded', 'a.jpg', 'direct'],
      ],
    ],
  ];
  for (const [clause, path, want] of cases) {
    it(`${clause}: ${JSON.stringify(path)}`, () => {
      expect(literalOnly(path)).toBe(false);
      const { fast, full } = bothWays(path);
      expect(readingsOf(full)).toEqual(want);
      expect(readingsOf(fast)).toEqual(want);
    });
  }
});

describe('S4 R2: the documented proofs', () => {
  for (const path of [
    '/image/cat.jpg',
    '/image/cat%402x.jpg',
    '/image/%E5%9B%BE.jpg',
    '/image/a%20b%3B%23%25.jpg',
    '/a/.well-known/x%40y',
  ]) {
    it(JSON.stringify(path), () => {
      expect(literalOnly(path)).toBe(true);
      // Nothing to prove it against but the full path: every reading it gives is literal.
      const { full } = bothWays(path);
      expect(full.ok && full.readings.every((r) => r.source === 'literal')).toBe(true);
    });
  }
});

describe('S4 R2: the fast path reads what the full path reads', () => {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('a', 'b.jpg', 'small', 'x1') },
    { weight: 5, arbitrary: fc.constant('/') },
    { weight: 4, arbitrary: fc.constantFrom('.', '..', '.a', 'a.') },
    {
      weight: 4,
      arbitrary: fc.constantFrom('%2e', '%2E', '%2f', '%2F', '%5F', '%5f', '%21', '%2D', '%40'),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom('%41', '%30', '%7E', '%20', '%0A', '%e5%9b%be', '%E5%9B%BE'),
    },
    // Escapes `encodeURIComponent` would write otherwise (lower-case hex, unreserved bytes).
    {
      weight: 2,
      arbitrary: fc.constantFrom('%0a', '%1f', '%3a', '%39', '%7a', '%7e', '%C3%a9', '%Ea%9B%BE'),
    },
    { weight: 2, arbitrary: fc.constantFrom('\\', ';', '#', '%', '\t') },
    { weight: 2, arbitrary: fc.constantFrom('!', '-', '_', '@') },
  );
  const path = fc.array(piece, { maxLength: 8 }).map((p) => `/${p.join('')}`);

  it('whole parse results are equal, and a proved path has literal readings only', () => {
    fc.assert(
      fc.property(path, (p) => {
        const { fast, full } = bothWays(p);
        if (!isDeepStrictEqual(fast, full)) expect({ p, fast }).toStrictEqual({ p, fast: full });
        if (!p.includes('#') && literalOnly(p) && full.ok)
          expect(
            full.readings.filter((r) => r.source !== 'literal'),
            p,
          ).toEqual([]);
      }),
      { numRuns: runs(3000) },
    );
  });
});
