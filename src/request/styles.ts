/**
 * A policy's delimiters and style catalogue, indexed for delimiter readings
 * (docs/behaviour.md#delimiter-styles); built once per policy as part of its compiled form.
 * @module
 */
import type { Policy } from '../policy/model.js';

/** What delimiter reading needs of a policy. @internal */
export class StyleIndex {
  /** 1 at the character code of each enabled delimiter (a typed array: no out-of-bounds reads). */
  readonly delimiters = new Uint8Array(128);
  readonly any: boolean;
  readonly catalogue: ReadonlySet<string> | undefined;
  /** Length of the catalogue's longest name. */
  readonly longestStyle: number;
  /** 1 at each length a catalogue name has: most remainders are ruled out before any slicing. */
  readonly lengths = new Uint8Array(64);
  /** Catalogue names by the code of their last character, shortest first. */
  readonly byLastChar = new Map<number, readonly string[]>();
  /**
   * {@link byLastChar} as an array over the ASCII codes (style names are ASCII), an empty list
   * where no name ends: read in bounds on every request, cheaper than the `Map` lookup.
   */
  readonly lastCharNames: readonly (readonly string[])[];

  constructor(policy: Policy) {
    const styles = policy.styles ?? [];
    this.catalogue = policy.styles === undefined ? undefined : new Set(styles);
    this.longestStyle = Math.max(0, ...styles.map((n) => n.length));
    for (const name of styles) this.lengths[name.length] = 1;
    for (const name of [...styles].sort((a, b) => a.length - b.length)) {
      const last = name.charCodeAt(name.length - 1);
      this.byLastChar.set(last, [...(this.byLastChar.get(last) ?? []), name]);
    }
    this.lastCharNames = Array.from({ length: 128 }, (_, c) => this.byLastChar.get(c) ?? []);
    for (const d of policy.delimiters) this.delimiters[d.charCodeAt(0)] = 1;
    this.any = policy.delimiters.length > 0;
  }
}
