/**
 * Strings of each internal shape V8 gives them, built deliberately, for the warm benchmarks and
 * the matcher's equivalence tests. A server's keys come in all of these (a key decoded from the
 * request is flat, one sliced out of the target is a slice, one built by string concatenation is
 * a rope), and code that reads strings through property loads slows down once a call site has
 * seen several of them (see `src/match/units.ts`).
 *
 * V8 facts the builders rely on (`test/string-shapes.test.ts` checks them with `%DebugPrint`):
 * `String.fromCharCode` makes a flat (sequential) string, one-byte when every unit is at most
 * U+00FF; `slice` of 13 units or more makes a sliced string that points into its parent, a
 * shorter one a flat copy in the parent's encoding; `+` with a result of 13 units or more makes a
 * cons string (a rope). Lone surrogates survive all of them (TextDecoder would replace them).
 */

/** The four shapes. */
export const SHAPES = ['flat one-byte', 'flat two-byte', 'sliced', 'concatenated'] as const;
export type Shape = (typeof SHAPES)[number];

/** Shorter strings are never sliced or cons strings: V8 copies them flat. */
export const MIN_INDIRECT_LENGTH = 13;

/** A fresh flat string with the same code units (one-byte when they all fit in one byte). */
export function flat(s: string): string {
  const units: number[] = [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  // Keys and request targets are short: one call never comes near the argument limit.
  return String.fromCharCode(...units);
}

/** Whether every unit fits in one byte, so that a flat one-byte form exists. */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * The string as `shape`, or `undefined` when V8 has no such form for it: a key with a unit above
 * U+00FF has no one-byte form; a one-byte key of 13 units or more has no flat two-byte form (a
 * long slice of a two-byte parent is a sliced string); a key shorter than 13 units is never sliced
 * nor concatenated. `salt` varies where a slice starts and where a concatenation splits.
 */
export function inShape(s: string, shape: Shape, salt = 0): string | undefined {
  const n = s.length;
  switch (shape) {
    case 'flat one-byte':
      return isLatin1(s) ? flat(s) : undefined;
    case 'flat two-byte':
      if (!isLatin1(s)) return flat(s);
      // A short slice of a two-byte parent is copied in two-byte form.
      return n < MIN_INDIRECT_LENGTH ? flat(`${s}\u0100`).slice(0, n) : undefined;
    case 'sliced': {
      if (n < MIN_INDIRECT_LENGTH) return undefined;
      // Sliced out of a request-target-like parent, one-byte or two-byte by the salt.
      const head = salt % 2 === 0 ? 'https://b.oss-cn-hangzhou.aliyuncs.com/' : 'GET /\u4e2d/';
      const start = head.length + (salt % 3);
      const parent = flat(`${head}${'/'.repeat(salt % 3)}${s}?x-oss-process=style/small`);
      return parent.slice(start, start + n);
    }
    case 'concatenated': {
      if (n < MIN_INDIRECT_LENGTH) return undefined;
      const at = 1 + (salt % (n - 1));
      return flat(s.slice(0, at)) + flat(s.slice(at));
    }
  }
}

/** Every form of `s` that exists, each labelled with its shape. */
export function allShapes(s: string, salt = 0): [Shape, string][] {
  const out: [Shape, string][] = [];
  for (const shape of SHAPES) {
    const v = inShape(s, shape, salt);
    if (v !== undefined) out.push([shape, v]);
  }
  return out;
}
