/**
 * The query of a request target (SPEC S4 "Query" and "Processing parameter", R2;
 * `src/request/query.ts`): split on `&`, then on the first `=` before the next `&`, names and
 * values strictly decoded with `+` as a space, and `x-oss-process` classified. Pinned here: the
 * bounds (`readQuery` reads `target[start, end)` and nothing outside it, whatever `start` is),
 * strict decoding (an invalid escape or a lone surrogate makes the query unreadable), and the
 * ambiguous forms, above all a processing name hidden beside a raw `;` inside another parameter
 * (`a=b;x-oss-process=…`, which a server that also splits on `;` reads as processing): its value
 * (up to the next `;`, decoded) is among the values judged, and the query counts as naming
 * processing (a `POST` with it is persistent processing, S7 R2).
 *
 * Compared with a plain reading of the spec on every short query over a small alphabet, on
 * random longer ones, and at hand-picked rows. Written to kill the mutants the broader suites let
 * through (the module-level constants are checked on a freshly loaded module).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseQuery, readQuery } from '../../src/request/query.js';
import { runs } from '../support/runs.js';

type Process =
  | { kind: 'none' }
  | { kind: 'style'; style: string }
  | { kind: 'inline'; value: string }
  | { kind: 'ambiguous'; why: string; values: string[] };

interface ModelQuery {
  params: [string, string][];
  process: Process;
  processNamed: boolean;
}

/** S4 R2: a query name or value, strictly percent-decoded, `+` a space. */
function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** `x-oss-process` or `x-oss-async-process`, ignoring letter case (S4 R2). */
const processName = (name: string) =>
  name.toLowerCase() === 'x-oss-process' || name.toLowerCase() === 'x-oss-async-process';

const STYLE = /^style\/[A-Za-z0-9_.-]{1,63}$/;

/** SPEC S4's query and processing-parameter rules, read plainly with `split`. */
function model(query: string): ModelQuery | undefined {
  try {
    encodeURIComponent(query); // throws on a lone surrogate: no UTF-8 can hold one
  } catch {
    return undefined;
  }
  const params: [string, string][] = [];
  const values: string[] = [];
  let why: string | undefined;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const name = decode(rawName);
    const value = decode(eq === -1 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    if (rawName === 'x-oss-process') values.push(value);
    else if (processName(name)) {
      why ??= rawName.includes('%') ? 'escaped-name' : 'name-variant';
      values.push(value);
    }
    // A server that also splits on `;` sees each segment after a raw `;` as a parameter, and
    // the one before the first `;` too when it holds no `=` (with one, it is this name).
    const segments = part.split(';');
    for (const [k, segment] of segments.entries()) {
      if (segments.length === 1 || (k === 0 && segment.includes('='))) continue;
      const e = segment.indexOf('=');
      const hidden = decode(e === -1 ? segment : segment.slice(0, e));
      if (hidden === undefined || !processName(hidden)) continue;
      why ??= 'after-semicolon';
      const raw = e === -1 ? '' : segment.slice(e + 1);
      values.push(decode(raw) ?? raw);
    }
    params.push([name, value]);
  }
  const named = values.length > 0;
  let process: Process;
  if (why !== undefined) process = { kind: 'ambiguous', why, values };
  else if (values.length === 0) process = { kind: 'none' };
  else if (values.length > 1) process = { kind: 'ambiguous', why: 'duplicated', values };
  else if (STYLE.test(values[0] as string))
    process = { kind: 'style', style: (values[0] as string).slice(6) };
  else process = { kind: 'inline', value: values[0] as string };
  return { params, process, processNamed: named };
}

/** What lies after the query's end in the second embedding: nothing of it may be read. */
const AFTER = '#&;x-oss-process=image/x;X-Oss-Process%zz+=';

/**
 * The library's reading of `query` in three places: alone from index 0 (so a `%`, `+`, `;` or
 * `=` at index 1 or 2 is seen), after `/k?` to the end, and after `/k?` up to a `#` followed by
 * text that would change the result if it were read.
 */
function embeddings(query: string) {
  const n = query.length;
  return [
    ['alone', readQuery(query, 0, n, false)],
    ['after /k?', readQuery(`/k?${query}`, 3, 3 + n, false)],
    ['before #', readQuery(`/k?${query}${AFTER}`, 3, 3 + n, false)],
    ['before #, checked well-formed', readQuery(`/k?${query}${AFTER}`, 3, 3 + n, true)],
  ] as const;
}

function disagreements(query: string): string[] {
  const want = JSON.stringify(model(query));
  const wrong: string[] = [];
  for (const [where, got] of embeddings(query))
    if (JSON.stringify(got) !== want) wrong.push(`${where}: ${JSON.stringify(query)}`);
  return wrong;
}

const TOKENS = [
  'a',
  '=',
  '&',
  ';',
  '+',
  '%41',
  '%',
  'style/s',
  'x-oss-process',
  'X-Oss-Process',
  'x-oss-%70rocess',
  'x-oss-async-process',
  'abcdefghijklm', // 13 characters, like x-oss-process
];

describe('S4 R2 the query agrees with the plain reading', () => {
  it('every query of up to 4 tokens, in every embedding', () => {
    const wrong: string[] = [];
    let queries = [''];
    for (let n = 1; n <= 4; n++) {
      queries = queries.flatMap((q) => TOKENS.map((t) => q + t));
      for (const q of queries) wrong.push(...disagreements(q));
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('random longer queries', () => {
    const token = fc.oneof(
      fc.constantFrom(...TOKENS, '%2F', '%3B', '%3D', '%E5%9B%BE', '%E5', 'é', 'image/resize,w_9'),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        expect(disagreements(tokens.join(''))).toEqual([]);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('S4 R2 a processing name after a raw ";" inside a parameter', () => {
  const hiddenAfter = (values: string[]) => ({
    kind: 'ambiguous',
    why: 'after-semicolon',
    values,
  });
  const rows: [clause: string, query: string, process: unknown][] = [
    [
      'S4 R2 (docs example)',
      'a=b;x-oss-process=image/resize,w_9',
      hiddenAfter(['image/resize,w_9']),
    ],
    ['S4 R2 in the name', 'a;x-oss-process=image/x', hiddenAfter(['image/x'])],
    ['S4 R2 then the end', 'a=b;x-oss-process', hiddenAfter([''])],
    ['S4 R2 then ";"', 'a=b;x-oss-process;c=d', hiddenAfter([''])],
    ['S4 R2 then "&"', 'a=b;x-oss-process&c=d', hiddenAfter([''])],
    ['S4 R2 then "&", unnamed', 'a;x-oss-process&c', hiddenAfter([''])],
    ['S4 R2 value up to the next ";"', 'a=b;x-oss-process=image/x;c=d', hiddenAfter(['image/x'])],
    [
      'S4 R2 value up to the "&", not to a ";" of the next parameter',
      'a=b;x-oss-process=image/x&c=d;e',
      hiddenAfter(['image/x']),
    ],
    [
      'S4 R2 the value decoded',
      'a=b;x-oss-process=image%2Fwatermark%2Cimage_YQ',
      hiddenAfter(['image/watermark,image_YQ']),
    ],
    ['S4 R2 "+" in the value is a space', 'a=b;x-oss-process=a+b', hiddenAfter(['a b'])],
    ['S4 R2 another letter case', 'a=b;X-OSS-PROCESS=v', hiddenAfter(['v'])],
    ['S4 R2 the asynchronous name', 'a=b;x-oss-async-process=v', hiddenAfter(['v'])],
    ['S4 R2 a name with escapes', 'a=b;x-oss-%70rocess=v', hiddenAfter(['v'])],
    ['S4 R2 two of them', 'a=b;x-oss-process=v;x-oss-process=w', hiddenAfter(['v', 'w'])],
    ['S4 R2 in the second parameter', 'a=1&b=2;x-oss-process=v', hiddenAfter(['v'])],
    [
      'S4 R2 inside the processing parameter itself',
      'x-oss-process=style/s;x-oss-process=image/x',
      hiddenAfter(['style/s;x-oss-process=image/x', 'image/x']),
    ],
    [
      'S4 R2 the first reason is kept',
      'X-Oss-Process=v;x-oss-process=w',
      { kind: 'ambiguous', why: 'name-variant', values: ['v;x-oss-process=w', 'w'] },
    ],
    // Not a processing name after the `;`.
    ['S4 R2 a longer name', 'a=b;x-oss-processes=v', { kind: 'none' }],
    ['S4 R2 a name with a space', 'a=b;x-oss-%70ro+cess=v', { kind: 'none' }],
    ['S4 R2 a name with a space, no escape', 'a=b;x-oss-pro+cess=v', { kind: 'none' }],
    ['S4 R2 an escaped "="', 'a=b;x-oss-process%3Dv', { kind: 'none' }],
    ['S4 an escaped ";" is data', 'a=b%3Bx-oss-process=v', { kind: 'none' }],
    ['S4 the ";" of another parameter', 'ax-oss-process=1&b;c', { kind: 'none' }],
    ['S4 a ";" at the start of a parameter', ';x-oss-process=v', hiddenAfter(['v'])],
  ];

  it.each(rows)('%s: %s', (_clause, query, process) => {
    for (const [where, got] of embeddings(query)) {
      expect(got?.process, where).toEqual(process);
      // Any processing name the query may hold counts: a POST with it processes (S7 R2).
      expect(got?.processNamed, where).toBe((process as { kind: string }).kind !== 'none');
    }
  });
});

describe('S4 names that are not processing names', () => {
  it.each([
    ['13 characters', 'abcdefghijklm=1'],
    ['19 characters', 'abcdefghijklmnopqrs=1'],
    ['13 characters after a ";"', 'a=b;abcdefghijklm=1'],
    ['19 characters after a ";"', 'a=b;abcdefghijklmnopqrs=1'],
    ['x-oss-process with a suffix', 'x-oss-process2=1'],
    ['x-oss-process with a space', 'x-oss-process+=1'],
  ])('%s: %s', (_name, query) => {
    for (const [where, got] of embeddings(query)) {
      expect(got?.process, where).toEqual({ kind: 'none' });
      expect(got?.processNamed, where).toBe(false);
    }
  });
});

describe('S4 the split and the decoding, from the first index', () => {
  it.each([
    ['S4 "=" at index 1', 'a=b', [['a', 'b']]],
    ['S4 "=" at index 3', 'abc=d', [['abc', 'd']]],
    [
      'S4 "=" at index 1, then another parameter',
      'a=1&bc=2&d',
      [
        ['a', '1'],
        ['bc', '2'],
        ['d', ''],
      ],
    ],
    [
      'S4 the first "=" before the next "&"',
      'a&b=c=d',
      [
        ['a', ''],
        ['b', 'c=d'],
      ],
    ],
    ['S4 escape at index 1', 'a%41=1', [['aA', '1']]],
    ['S4 R2 "+" at index 1', 'a+b=c', [['a b', 'c']]],
    ['S4 escape at index 0', '%41=%2B', [['A', '+']]],
  ] as const)('%s: %s', (_clause, query, params) => {
    expect(readQuery(query, 0, query.length, false)?.params).toEqual(params);
    expect(parseQuery(query, 0, query.length)).toEqual(params);
  });

  it('S4 R2 a ";" at index 1 hides a processing name too', () => {
    const q = 'a;x-oss-process=image/x';
    expect(readQuery(q, 0, q.length, false)?.process).toEqual({
      kind: 'ambiguous',
      why: 'after-semicolon',
      values: ['image/x'],
    });
  });
});

describe('S4 an invalid escape or a lone surrogate makes the query unreadable', () => {
  it.each([
    ['an invalid escape in a value', 'a=%zz'],
    ['an invalid escape in a name', '%zz=1'],
    ['a truncated escape', 'a=1&b=%4'],
    ['a lone %', 'x-oss-process=%'],
    ['an overlong form', 'a=%C0%AF'],
    ['an encoded surrogate', 'a=%ED%A0%80'],
    ['incomplete UTF-8', 'a=%E5%9B'],
    ['an invalid escape after a ";"', 'a=b;x-oss-process=%zz'],
    ['a lone high surrogate', 'a=\uD800'],
    ['a lone low surrogate in a name', '\uDC00=1'],
    ['a lone surrogate with escapes', 'a=%41\uD800'],
  ])('%s: %j', (_name, query) => {
    expect(readQuery(query, 0, query.length, false)).toBeUndefined();
    expect(readQuery(`/k?${query}`, 3, 3 + query.length, false)).toBeUndefined();
    expect(parseQuery(`/k?${query}`, 3, 3 + query.length)).toBeUndefined();
  });

  it('S4 only the query is checked: a lone surrogate before it is not the query', () => {
    const target = '/\uD800?a=1';
    expect(parseQuery(target, 3, target.length)).toEqual([['a', '1']]);
    expect(readQuery(target, 3, target.length, false)?.params).toEqual([['a', '1']]);
  });

  it('a surrogate pair is well-formed', () => {
    expect(parseQuery('a=\uD83D\uDE00', 0, 4)).toEqual([['a', '\uD83D\uDE00']]);
  });
});

describe('module-level constants, on a freshly loaded module', () => {
  it('S4 an empty query reads nothing, and names no processing', async () => {
    vi.resetModules();
    const q = await import('../../src/request/query.js');
    const none = { params: [], process: { kind: 'none' }, processNamed: false };
    expect(q.readQuery('/k?', 3, 3, false)).toEqual(none);
    expect(q.readQuery('/k', 2, 2, true)).toEqual(none);
    expect(q.NO_QUERY).toEqual(none);
    expect(q.NO_PROCESS).toEqual({ kind: 'none' });
    // The processing-name test is a module-level function.
    expect(q.readQuery('X-Oss-Process=1', 0, 15, false)?.process).toEqual({
      kind: 'ambiguous',
      why: 'name-variant',
      values: ['1'],
    });
    expect(q.readQuery('a;x-oss-async-process', 0, 21, false)?.processNamed).toBe(true);
    expect(q.readQuery('x-oss-process=style/s', 0, 21, false)?.process).toEqual({
      kind: 'style',
      style: 's',
    });
  });
});

describe('S4 R2 H: the query a server keeping a raw # reads is read as written where it does not decode', () => {
  const cases: [string, string, [string, string][], unknown][] = [
    [
      'S4 R2 H',
      'x=%zz&x-oss-process=style/a',
      [
        ['x', '%zz'],
        ['x-oss-process', 'style/a'],
      ],
      { kind: 'style', style: 'a' },
    ],
    [
      'S4 R2 H',
      'x-oss-process=style/sm%zzall',
      [['x-oss-process', 'style/sm%zzall']],
      { kind: 'inline', value: 'style/sm%zzall' },
    ],
    [
      'S4 R2 H',
      'a%zz=1&b=%41',
      [
        ['a%zz', '1'],
        ['b', 'A'],
      ],
      { kind: 'none' },
    ],
    [
      'S4 R2 H',
      'x-oss-pro%zzcess=image/resize',
      [['x-oss-pro%zzcess', 'image/resize']],
      { kind: 'none' },
    ],
    [
      'S4 R2 H',
      'v=\ud800&x-oss-process=image/resize',
      [
        ['v', '\ud800'],
        ['x-oss-process', 'image/resize'],
      ],
      { kind: 'inline', value: 'image/resize' },
    ],
  ];
  for (const [clause, query, params, process] of cases) {
    it(`${clause}: ${JSON.stringify(query)}`, () => {
      const target = `/k?${query}#tail`;
      const start = 3;
      const end = 3 + query.length;
      expect(readQuery(target, start, end, false)).toBeUndefined();
      expect(readQuery(target, start, end, false, true)).toEqual({
        params,
        process,
        processNamed: query.includes('x-oss-process='),
      });
    });
  }

  it('a query that decodes reads the same either way', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z=&;%0-9A-F+-]{0,24}$/), (query) => {
        const strict = readQuery(query, 0, query.length, false);
        if (strict !== undefined)
          expect(readQuery(query, 0, query.length, false, true)).toEqual(strict);
      }),
      { numRuns: runs(500) },
    );
  });
});
