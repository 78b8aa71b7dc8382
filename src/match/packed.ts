/**
 * Protected extensions packed as numbers (SPEC S3.2): an extension of up to 10 letters and digits
 * is one base-37 number, looked up in a small open-addressing table.
 * @module
 */
import { lowerAscii } from './fold.js';

/** Base-37 digit of an extension character, 0 when the character cannot be in a protected extension. */
/** @internal */
export function extensionDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x2f; // 0-9 → 1..10
  const l = lowerAscii(c);
  return l >= 0x61 && l <= 0x7a ? l - 0x56 : 0; // a-z → 11..36
}

/**
 * Packed extensions → their names: a small open-addressing table of doubles, since a `Map` with
 * number keys costs more than the whole rest of an extension check.
 */
/** @internal */
export class PackedSet {
  private readonly codes: Float64Array;
  private readonly names: string[];
  private readonly mask: number;

  constructor(extensions: readonly string[]) {
    let size = 8;
    while (size < extensions.length * 2) size *= 2;
    this.codes = new Float64Array(size);
    this.names = new Array<string>(size).fill('');
    this.mask = size - 1;
    for (const ext of extensions) {
      let i = this.slot(packExtension(ext));
      while (this.codes[i] !== 0) i = (i + 1) & this.mask;
      this.codes[i] = packExtension(ext);
      this.names[i] = ext;
    }
  }

  private slot(code: number): number {
    return (Math.imul(code >>> 0, 0x9e3779b1) >>> 16) & this.mask;
  }

  /** The extension packed as `code`, if listed (codes are never 0: every digit is at least 1). */
  get(code: number): string | undefined {
    for (let i = this.slot(code); ; i = (i + 1) & this.mask) {
      const c = this.codes[i];
      if (c === code) return this.names[i];
      if (c === 0) return undefined;
    }
  }
}

/** Extensions up to this length are looked up as a number (37^10 < 2^53), longer ones as text. */
/** @internal */
export const PACKED_LENGTH = 10;

/** @internal */
export function packExtension(ext: string): number {
  let code = 0;
  for (let i = ext.length - 1; i >= 0; i--) code = code * 37 + extensionDigit(ext.charCodeAt(i));
  return code;
}
