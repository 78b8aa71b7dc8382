/**
 * Rule dispatch (SPEC S3): which rules can still match a key, from its first two or last two code
 * units, so that a check costs about one rule whatever the rule count.
 * @module
 */

/** The key's possible code units for an affix unit: both letter cases when the rule folds case. */
const variants = (unit: number, ci: boolean): number[] =>
  ci && unit >= 0x61 && unit <= 0x7a ? [unit, unit - 0x20] : [unit];

/**
 * Rule candidates by the key's first two code units (for prefixes) or last two (for suffixes):
 * a bit mask of the rules that can still match. ASCII pairs index small typed arrays; a key with
 * non-ASCII there, or shorter than two units, falls back to the first unit alone (a map for
 * non-ASCII units, plus every case-insensitive rule, since a non-ASCII letter may lower-case to
 * anything). The tables only ever over-approximate: the rules are then checked in full.
 */
/** @internal */
export class Dispatch {
  /** By the first unit. */
  private readonly single = new Int32Array(128);
  /** By the first unit, then the second; a row only for first units some affix uses. */
  private readonly pairs: (Int32Array | undefined)[] = new Array(128).fill(undefined);
  private readonly other = new Map<number, number>();
  /** Rules without this affix: they pass this test whatever the key. */
  free = 0;
  /** Case-insensitive rules with this affix: candidates whenever the key's unit is non-ASCII. */
  private folded = 0;

  /** `first` and `second` are the affix's units in key order (`second` NaN for a one-unit affix). */
  add(bit: number, first: number, second: number, ci: boolean): void {
    if (ci) this.folded |= bit;
    if (first >= 0x80) {
      if (!ci) this.other.set(first, (this.other.get(first) ?? 0) | bit);
      return;
    }
    for (const u of variants(first, ci)) {
      this.single[u] = (this.single[u] ?? 0) | bit;
      // A non-ASCII second unit never pairs with an ASCII key unit: only the fallback finds it.
      if (second >= 0x80) continue;
      let row = this.pairs[u];
      if (row === undefined) {
        row = new Int32Array(128);
        this.pairs[u] = row;
      }
      if (Number.isNaN(second)) for (let v = 0; v < 128; v++) row[v] = (row[v] ?? 0) | bit;
      else for (const v of variants(second, ci)) row[v] = (row[v] ?? 0) | bit;
    }
  }

  candidates(first: number, second: number): number {
    if (first < 0x80) {
      if (second < 0x80) {
        const row = this.pairs[first];
        return (row === undefined ? 0 : (row[second] ?? 0)) | this.free;
      }
      return (this.single[first] ?? 0) | this.free;
    }
    if (Number.isNaN(first)) return this.free; // the key is empty
    return (this.other.get(first) ?? 0) | this.folded | this.free;
  }
}
