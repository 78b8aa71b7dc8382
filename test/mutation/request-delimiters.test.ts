/**
 * Delimiter-style splits near the limits that `test/mutation/delimiters.test.ts` does not reach
 * (SPEC S4 "Delimiter style", `src/request/delimiters.ts`): a `%` earlier in the key widens the
 * scan window to three times the longest name, yet an unescaped remainder of 64 characters is
 * still no style name; a key whose last character is just past ASCII (U+0080) has no catalogue
 * split and must not break the catalogue lookup; and, loaded afresh, the empty answer of a
 * catalogue lookup is empty (a module-level constant, seen only by a test that loads the module).
 * Each answer is the plain reading of the spec, by a small model, and spelled out where short.
 * Written to kill the mutants the broader suites let through.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { definePolicy, type Policy } from '../../src/index.js';
import { delimiterSplits } from '../../src/request/delimiters.js';
import { StyleIndex } from '../../src/request/styles.js';
import { delimiterModel } from '../support/delimiter-model.js';
import { runs } from '../support/runs.js';

/** The library's splits of `rawKey` inside a target, as a request holds it. */
function splits(rawKey: string, policy: Policy, before = '/', after = '') {
  const target = `${before}${rawKey}${after}`;
  return delimiterSplits(
    target,
    before.length,
    before.length + rawKey.length,
    new StyleIndex(policy),
  );
}

const noCatalogue = definePolicy({ delimiters: ['-', '!'] });
const catalogue = definePolicy({ delimiters: ['-', '!'], styles: ['small', 'y', 's'.repeat(63)] });

describe('S4 an unescaped remainder is a style name only up to 63 characters, whatever the window', () => {
  const s63 = 's'.repeat(63);
  const s64 = 's'.repeat(64);
  const cases: [string, string, Policy, string, ReturnType<typeof delimiterModel>][] = [
    ['S4', 'a % before the delimiter, 64 characters after it', noCatalogue, `k%41-${s64}`, []],
    [
      'S4',
      'a % before the delimiter, 63 after it',
      noCatalogue,
      `k%41-${s63}`,
      [{ at: 4, delimiter: '-', style: s63 }],
    ],
    ['S4', 'a % just before the delimiter, 64 after it', noCatalogue, `k%2D!${s64}`, []],
    [
      'S4',
      'a % before two delimiters, both valid',
      noCatalogue,
      `k%41!${'s'.repeat(58)}-sss`,
      [
        { at: 63, delimiter: '-', style: 'sss' },
        { at: 4, delimiter: '!', style: `${'s'.repeat(58)}-sss` },
      ],
    ],
    ['S4', 'a catalogue: 64 characters after a %', catalogue, `k%41!${s64}`, []],
    [
      'S4',
      'a catalogue: its 63-character name after a %',
      catalogue,
      `k%41!${s63}`,
      [{ at: 4, delimiter: '!', style: s63 }],
    ],
  ];

  for (const [clause, name, policy, raw, want] of cases) {
    it(`${clause}: ${name}`, () => {
      expect(delimiterModel(raw, policy)).toEqual(want);
      expect(splits(raw, policy)).toEqual(want);
      expect(splits(raw, policy, 'https://h.example/', '?q=%41')).toEqual(want);
    });
  }
});

describe('S4 a key that ends past ASCII has no catalogue split', () => {
  const cases: [string, string, string][] = [
    ['S4', 'U+0080 after a delimiter', 'k!\u0080'],
    ['S4', 'U+0080 after a catalogue name', 'k!small\u0080'],
    ['S4', 'U+007F after a delimiter', 'k!\u007f'],
    ['S4', 'a letter past ASCII', 'k-smallé'],
  ];
  for (const [clause, name, raw] of cases) {
    it(`${clause}: ${name}`, () => {
      expect(splits(raw, catalogue)).toEqual([]);
      expect(splits(raw, noCatalogue)).toEqual([]);
      expect(splits(raw, catalogue, 'https://h.example/', '?q=1')).toEqual([]);
    });
  }
});

describe('S4 long remainders around a % agree with the plain reading', () => {
  const head = fc
    .array(fc.constantFrom('k', 's', '-', '!', '%41', '%2D', '$', 'é'), { maxLength: 6 })
    .map((a) => `k${a.join('')}`);
  const tail = fc
    .tuple(
      fc.constantFrom('s', '%73', 'x'),
      fc.integer({ min: 58, max: 70 }),
      fc.array(fc.constantFrom('s', '%73', '-', '!', '$'), { maxLength: 3 }),
    )
    .map(([unit, n, rest]) => unit.repeat(n) + rest.join(''));
  const policies = [noCatalogue, catalogue, definePolicy({ delimiters: ['!'], styles: ['x'] })];

  it('every key of a head, a delimiter and a tail of 58 to 70 units', () => {
    fc.assert(
      fc.property(head, fc.constantFrom('-', '!'), tail, fc.constantFrom(0, 1, 2), (h, d, t, p) => {
        const policy = policies[p] as Policy;
        const raw = `${h}${d}${t}`;
        const want = delimiterModel(raw, policy);
        expect(splits(raw, policy)).toEqual(want);
        expect(splits(raw, policy, 'https://h.example/', '?q=%41')).toEqual(want);
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('S4 loaded afresh: a catalogue lookup that finds nothing is empty', () => {
  it('no name of the catalogue ends the key, or its last character is not ASCII', async () => {
    vi.resetModules();
    const fresh = await import('../../src/request/delimiters.js');
    const { StyleIndex: FreshIndex } = await import('../../src/request/styles.js');
    const view = new FreshIndex(definePolicy({ delimiters: ['!'], styles: ['small'] }));
    const at = (raw: string) => fresh.delimiterSplits(`/${raw}`, 1, 1 + raw.length, view);
    expect(at('k!large')).toEqual([]);
    expect(at('k!smal')).toEqual([]);
    expect(at('k!é')).toEqual([]);
    expect(at('k!small')).toEqual([{ at: 1, delimiter: '!', style: 'small' }]);
  });
});
