/**
 * The facts about letter case that make the automaton exact (src/match/fold.ts), checked against
 * every code unit and code point of the running engine, so that a Unicode update in V8 that broke
 * one of them would fail here rather than let a key through.
 */
import { describe, expect, it } from 'vitest';
import { foldR2, foldUnit } from '../src/match/fold.js';
import { referenceFold } from './reference.js';

const isAscii = (s: string) => /^[\0-\x7f]*$/.test(s);
const KELVIN = 0x212a;
const CAPITAL_I_WITH_DOT = 0x130;

/** Every unit (or code point) in `from..to` for which `bad` returns a reason, as hex strings. */
function failures(from: number, to: number, bad: (u: number) => string | undefined): string[] {
  const out: string[] = [];
  for (let u = from; u <= to; u++) {
    const why = bad(u);
    if (why !== undefined) out.push(`U+${u.toString(16)}: ${why}`);
  }
  return out;
}

describe('S3 letter case, unit by unit', () => {
  it('toLowerCase keeps every BMP unit one unit long, except İ', () => {
    expect(String.fromCharCode(CAPITAL_I_WITH_DOT).toLowerCase()).toBe('i\u0307');
    const bad = failures(0, 0xffff, (u) => {
      const lower = String.fromCharCode(u).toLowerCase();
      return u !== CAPITAL_I_WITH_DOT && lower.length !== 1 ? JSON.stringify(lower) : undefined;
    });
    expect(bad).toEqual([]);
  });

  it('toLowerCase turns no unit into ASCII except ASCII and the Kelvin sign', () => {
    expect(String.fromCharCode(KELVIN).toLowerCase()).toBe('k');
    const bad = failures(0x80, 0xffff, (u) => {
      if (u === KELVIN || u === CAPITAL_I_WITH_DOT) return undefined;
      const lower = String.fromCharCode(u).toLowerCase();
      return lower.charCodeAt(0) < 0x80 ? JSON.stringify(lower) : undefined;
    });
    expect(bad).toEqual([]);
  });

  it('toLowerCase keeps a supplementary code point a supplementary code point', () => {
    const bad = failures(0x10000, 0x10ffff, (cp) => {
      const lower = String.fromCodePoint(cp).toLowerCase();
      return lower.length !== 2 || (lower.codePointAt(0) as number) < 0x10000
        ? JSON.stringify(lower)
        : undefined;
    });
    expect(bad).toEqual([]);
  });

  it('context (final sigma) never turns a unit into ASCII or changes the length', () => {
    const bad = failures(0x80, 0xffff, (u) => {
      if (u === CAPITAL_I_WITH_DOT || u === KELVIN || (u >= 0xd800 && u <= 0xdfff))
        return undefined;
      const c = String.fromCharCode(u);
      for (const s of [`A${c}`, `${c}A`, `A${c}A`, `\u0391${c}`, `\u0391${c}\u0391`]) {
        const lower = s.toLowerCase();
        if (lower.length !== s.length || isAscii(lower[s.indexOf(c)] as string))
          return `${JSON.stringify(s)} → ${JSON.stringify(lower)}`;
      }
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it('foldUnit is the folded way of one unit wherever that lands in ASCII', () => {
    const bad = failures(0, 0xffff, (u) => {
      const folded = referenceFold(String.fromCharCode(u));
      const f = foldUnit(u);
      const ascii = isAscii(folded) && folded.length === 1;
      if (ascii ? f !== folded.charCodeAt(0) : f < 0x80) return `foldUnit gives ${f}`;
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it('foldR2 is the reference fold', () => {
    for (const s of [
      '\u017fecret',
      'PR\u0130VATE',
      '\u0131mage',
      'Stra\u00dfe',
      'A\u03a3',
      '\u212a',
      'x\ud800',
    ]) {
      expect(foldR2(s)).toBe(referenceFold(s));
    }
  });
});
