/**
 * Delimiter-style readings (SPEC S4, `src/request/delimiters.ts`, `styles.ts`): where a raw path
 * splits into `key + delimiter + style`, compared with the plain reading of the spec on every
 * short path over a small alphabet, and on long paths around the limits (63-character names,
 * escapes that triple a name's raw length, a `%` far before the tail). Only literal enabled
 * delimiters count; the remainder, decoded, must be a style name; with a catalogue the last
 * occurrence whose remainder is in the catalogue is the only split, without one every valid
 * occurrence is. Written to kill the mutants the broader suites let through.
 */
import { describe, expect, it } from 'vitest';
import { definePolicy, type Policy, type PolicyInput } from '../../src/index.js';
import { delimiterSplits } from '../../src/request/delimiters.js';
import { StyleIndex } from '../../src/request/styles.js';
import { delimiterModel } from '../support/delimiter-model.js';

const views = new WeakMap<Policy, StyleIndex>();

/** The library's splits of `rawKey`, placed inside a larger target as a request would hold it. */
function splits(rawKey: string, policy: Policy, before = '/', after = '') {
  let view = views.get(policy);
  if (view === undefined) {
    view = new StyleIndex(policy);
    views.set(policy, view);
  }
  const target = `${before}${rawKey}${after}`;
  return delimiterSplits(target, before.length, before.length + rawKey.length, view);
}

const POLICIES: Record<string, PolicyInput> = {
  'no catalogue, "-" and "!"': { delimiters: ['-', '!'] },
  'no catalogue, all four': { delimiters: ['-', '!', '_', '/'] },
  'catalogue, "-" "!" "_"': { delimiters: ['-', '!', '_'], styles: ['a', 'ab', 'b-a', 'A', 'a_b'] },
  'catalogue of one long name': { delimiters: ['!'], styles: ['x'.repeat(63)] },
  'catalogue sharing last characters': { delimiters: ['-', '/'], styles: ['ba', 'a', 'cba', 'b'] },
  'empty catalogue': { delimiters: ['-'], styles: [] },
};

describe('S4 delimiter splits agree with the plain reading', () => {
  const alphabet = ['a', 'b', 'A', '-', '!', '_', '/', '%2D', '%61', '%', '$', 'é'];

  for (const [name, input] of Object.entries(POLICIES)) {
    it(`every path of up to 4 symbols, ${name}`, () => {
      const policy = definePolicy(input);
      const wrong: string[] = [];
      let paths = [''];
      for (let n = 1; n <= 4; n++) {
        paths = paths.flatMap((p) => alphabet.map((c) => p + c));
        for (const raw of paths) {
          const want = JSON.stringify(delimiterModel(raw, policy));
          if (JSON.stringify(splits(raw, policy)) !== want) wrong.push(raw);
          else if (JSON.stringify(splits(raw, policy, 'https://h.example/', '?x=1')) !== want)
            wrong.push(`in an absolute target: ${raw}`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  }
});

describe('S4 delimiter splits on long paths', () => {
  const noCatalogue = definePolicy({ delimiters: ['-', '!'] });
  const long = definePolicy({ delimiters: ['!'], styles: ['x'.repeat(63), 'y'] });
  const one = definePolicy({ delimiters: ['!'], styles: ['y'] });
  const catalogue = definePolicy({ delimiters: ['-', '!', '_'], styles: ['a', 'b-a'] });

  const cases: [string, Policy, string][] = [
    ['a 63-character remainder is a style name', noCatalogue, `k-${'s'.repeat(63)}`],
    ['a 64-character remainder is not', noCatalogue, `k-${'s'.repeat(64)}`],
    ['63 escaped characters are a style name', noCatalogue, `k-${'%73'.repeat(63)}`],
    ['64 escaped characters are not', noCatalogue, `k-${'%73'.repeat(64)}`],
    ['a mixed escaped remainder', noCatalogue, `k-${'s%73'.repeat(31)}s`],
    ['an escaped remainder that is not a style', noCatalogue, 'k-a%20b'],
    ['a bad escape in the remainder', noCatalogue, 'k-a%2'],
    ['an escaped delimiter is not a delimiter', noCatalogue, 'k%2Dsmall'],
    ['two delimiters, both valid', noCatalogue, 'k-a!b'],
    ['a non-style character ends the scan', noCatalogue, 'k-a$b-c'],
    ['a % far before the tail', noCatalogue, `k%2D${'y'.repeat(200)}-small`],
    ['a % in a long tail', noCatalogue, `k${'y'.repeat(200)}-sm%61ll`],
    ['the longest catalogue name', long, `k!${'x'.repeat(63)}`],
    ['longer than the longest catalogue name', long, `k!${'x'.repeat(64)}`],
    ['the longest name, escaped', long, `k!${'%78'.repeat(63)}`],
    ['a short name after a long key', long, `${'x'.repeat(300)}!y`],
    ['a catalogue name that is the whole key', long, '!y'],
    ['a catalogue name right after the first character', long, 'k!y'],
    ['a % before the catalogue tail', long, `a%21${'x'.repeat(70)}!y`],
    ['an escape in the last characters', long, 'k!%79'],
    ['a one-character catalogue, its name escaped', one, 'k!%79'],
    ['a one-character catalogue, a % just before the name', one, 'k%21y'],
    ['with a catalogue only the last match counts, escaped', catalogue, 'k-b-%61'],
    ['with a catalogue only the last match counts', catalogue, 'k-b-a'],
  ];

  for (const [name, policy, raw] of cases) {
    it(name, () => {
      expect(splits(raw, policy)).toEqual(delimiterModel(raw, policy));
      expect(splits(raw, policy, 'https://h.example/', '?x=1')).toEqual(
        delimiterModel(raw, policy),
      );
    });
  }

  it('the expected answers, spelled out', () => {
    expect(splits(`k-${'s'.repeat(63)}`, noCatalogue)).toEqual([
      { at: 1, delimiter: '-', style: 's'.repeat(63) },
    ]);
    expect(splits(`k-${'s'.repeat(64)}`, noCatalogue)).toEqual([]);
    expect(splits(`k-${'%73'.repeat(63)}`, noCatalogue)).toEqual([
      { at: 1, delimiter: '-', style: 's'.repeat(63) },
    ]);
    expect(splits('k-a!b', noCatalogue)).toEqual([{ at: 3, delimiter: '!', style: 'b' }]);
    expect(splits(`${'x'.repeat(300)}!y`, long)).toEqual([{ at: 300, delimiter: '!', style: 'y' }]);
    expect(splits('!y', long)).toEqual([]);
    expect(splits('k!y', long)).toEqual([{ at: 1, delimiter: '!', style: 'y' }]);
  });
});

describe('StyleIndex', () => {
  it('indexes the catalogue by length and last character, shortest first', () => {
    const view = new StyleIndex(
      definePolicy({ delimiters: ['_', '!'], styles: ['cba', 'a', 'ba', 'xy', 'x'.repeat(63)] }),
    );
    expect(view.any).toBe(true);
    expect(view.longestStyle).toBe(63);
    expect([...view.lengths.keys()].filter((n) => view.lengths[n] === 1)).toEqual([1, 2, 3, 63]);
    expect(view.byLastChar.get(0x61)).toEqual(['a', 'ba', 'cba']);
    expect(view.byLastChar.get(0x79)).toEqual(['xy']);
    expect(view.byLastChar.get(0x78)).toEqual(['x'.repeat(63)]);
    expect([...view.delimiters.keys()].filter((c) => view.delimiters[c] === 1)).toEqual([
      0x21, 0x5f,
    ]);
    expect(view.catalogue).toEqual(new Set(['cba', 'a', 'ba', 'xy', 'x'.repeat(63)]));
  });

  it('without a catalogue or delimiters', () => {
    const view = new StyleIndex(definePolicy({}));
    expect(view.any).toBe(false);
    expect(view.catalogue).toBeUndefined();
    expect(view.longestStyle).toBe(0);
    expect(view.byLastChar.size).toBe(0);
    expect(view.delimiters.every((v) => v === 0)).toBe(true);
    const empty = new StyleIndex(definePolicy({ styles: [] }));
    expect(empty.catalogue).toEqual(new Set());
  });
});
