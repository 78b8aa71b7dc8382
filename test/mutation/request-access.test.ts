/**
 * Request headers in the shapes `test/mutation/access.test.ts` leaves out (SPEC S4 "Reading a
 * request", `src/request/access.ts`): a Fetch `Headers` answers with what its `get` gives, which
 * folds every repeat of a name into one comma-joined value, `Set-Cookie` too (its `forEach`
 * yields those one by one); headers that are not an object, such as a string, are no headers even
 * for a name that the string itself has as a property (`length`, `0`); and, loaded afresh, a
 * Fetch `Headers` is still recognised as one (the test for it is a module-level function, seen
 * only by a test that loads the module). Fetch `Headers` are compared with a plain model over
 * generated header lists. Written to kill the mutants the broader suites let through.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { headerValue, headerValues } from '../../src/index.js';
import { headerNames } from '../../src/request/access.js';
import { runs } from '../support/runs.js';

describe('S4 a Fetch Headers folds repeats as the Fetch standard does', () => {
  const cases: [string, string, [string, string][], string, string[]][] = [
    [
      'S4',
      'two Set-Cookie headers',
      [
        ['Set-Cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ],
      'set-cookie',
      ['a=1, b=2'],
    ],
    ['S4', 'one Set-Cookie header', [['Set-Cookie', 'a=1']], 'set-cookie', ['a=1']],
    [
      'S4',
      'another name, repeated',
      [
        ['X-A', '1'],
        ['B', 'b'],
        ['x-a', '2'],
      ],
      'x-a',
      ['1, 2'],
    ],
    ['S4', 'an absent name', [['Set-Cookie', 'a=1']], 'x-a', []],
  ];

  for (const [clause, name, pairs, header, want] of cases) {
    it(`${clause}: ${name}`, () => {
      const request = { headers: new Headers(pairs) };
      expect(headerValues(request, header)).toEqual(want);
      expect(headerValue(request, header)).toBe(want.length === 0 ? undefined : want.join(', '));
    });
  }

  it('S4: every header list, as the model reads it', () => {
    const names = fc.constantFrom('set-cookie', 'Set-Cookie', 'x-a', 'X-A', 'b');
    const values = fc.constantFrom('1', 'a=2', 'x y', 'z');
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 6 }), names, (pairs, asked) => {
        const name = asked.toLowerCase();
        // The model: the values of that name in any case, in order, joined as one.
        const found = pairs.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
        const want = found.length === 0 ? [] : [found.join(', ')];
        expect(headerValues({ headers: new Headers(pairs) }, name)).toEqual(want);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('S4 headers that are not an object are no headers', () => {
  const cases: [string, string, unknown, string][] = [
    ['S4', 'a string, asked for "length"', 'x-a: 1', 'length'],
    ['S4', 'a string, asked for "0"', 'x-a: 1', '0'],
    ['S4', 'a number', 42, 'length'],
    ['S4', 'a boolean', true, 'x-a'],
  ];
  for (const [clause, name, headers, header] of cases) {
    it(`${clause}: ${name}`, () => {
      expect(headerValues({ headers } as never, header)).toEqual([]);
      expect(headerValue({ headers } as never, header)).toBeUndefined();
      expect(headerNames({ headers } as never)).toEqual([]);
    });
  }
});

describe('S4 loaded afresh, a Fetch Headers is read as one', () => {
  it('its values and its names', async () => {
    vi.resetModules();
    const fresh = await import('../../src/request/access.js');
    const headers = new Headers([
      ['Host', 'h.example'],
      ['X-A', '1'],
      ['x-a', '2'],
    ]);
    expect(fresh.headerValues({ headers }, 'x-a')).toEqual(['1, 2']);
    expect(fresh.headerValue({ headers }, 'host')).toBe('h.example');
    expect(fresh.headerNames({ headers })).toEqual(['host', 'x-a']);
    expect(fresh.headerValues({ headers }, 'b')).toEqual([]);
  });
});
