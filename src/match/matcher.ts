/**
 * The compiled matcher (docs/behaviour.md#matching-keys): a policy's rules and extensions prepared
 * once into the two state machines of `automaton.ts`, so that a check walks a few units from each
 * end of the key and allocates nothing. Affixes the machines do not hold (non-ASCII, or longer than
 * {@link MAX_TABLE_AFFIX}) take an exact slower path, rule by rule.
 *
 * **String reads.** A server hands the matcher keys of several internal shapes: flat one-byte and
 * two-byte strings, slices of the request target, concatenations. A call written
 * `key.charCodeAt(i)` starts with a property load on `key` whose inline cache is keyed on the
 * string's shape: once the call site has seen more than four shapes it goes megamorphic, V8 stops
 * inlining it, and a loop that reads a short key once gets several times slower (the `floor`
 * against `floor (uncurried)` figures of `bench/matcher.bench.ts`, warm condition). So every read
 * of a key on the hot path is written `String.prototype.charCodeAt.call(key, i)`: no property load
 * on the key, and a target TurboFan knows, which it inlines into a read that works on every shape.
 * It is written out at each use on purpose. A module-level `const charCodeAt = …` would read
 * better, but bundlers (esbuild, hence tsup, which builds `dist/`) turn top-level `const` into
 * `var`, V8 then cannot treat the binding as a constant, and every `.call` through it becomes a
 * real call: about 3× slower on every shape (the `floor (bundled const)` figure).
 * @module
 */
import type { Policy, ProtectionRule } from '../policy/model.js';
import { type AffixPath, buildAutomaton, wideColumn } from './automaton.js';
import { isImageContentType, keyExtension } from './extension.js';
import { foldR2, foldUnit, hasNonAscii } from './fold.js';

/** Options of {@link isProtected} and {@link matchProtection}. */
export interface MatchOptions {
  /**
   * The object's `Content-Type`, when known. Only `extensions: ["*"]` reads it: with it, `*`
   * protects `image/*` objects only. Absent: unknown, so `*` protects every key.
   */
  readonly contentType?: string;
}

/** Why a key is protected: the first matching rule, else the extension, else `*`. */
export type ProtectionMatch =
  | { readonly kind: 'rule'; readonly index: number; readonly rule: ProtectionRule }
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'wildcard' };

/** A policy prepared for the hot path; see {@link compilePolicy}. */
export interface CompiledPolicy {
  readonly policy: Policy;
  /** Same as {@link isProtected} with this policy. */
  isProtected(key: string, options?: MatchOptions): boolean;
  /** Same as {@link matchProtection} with this policy. */
  match(key: string, options?: MatchOptions): ProtectionMatch | undefined;
}

/**
 * Longest affix the machines hold. Longer ones are compared on their own (as fast per unit, but
 * not shared with other affixes), which keeps a policy's table small: 10 rules of 1,023-byte
 * affixes would otherwise build tens of thousands of states.
 * @internal
 */
export const MAX_TABLE_AFFIX = 64;

/**
 * Most extensions the suffix machine holds; a longer list is looked up in a set instead (exact
 * too, but it reads the whole extension and allocates). OSS buckets list a handful.
 * @internal
 */
export const MAX_TABLE_EXTENSIONS = 256;

/**
 * Rule bits are the low bits of an accept word (one per rule: `LIMITS.maxRules` is 10, a test pins
 * that), and an extension's index + 1 sits above them. The hot code writes this and the rule mask
 * as literals (`10`, `0x3ff`): a bundler turns module constants into `var`s, which V8 then reads
 * from memory at every use instead of folding them.
 * @internal
 */
export const EXTENSION_SHIFT = 10;

/** An affix compared on its own, exactly: non-ASCII, or too long for the table. */
class ExactAffix {
  /** Whether the affix is ASCII: then a case-insensitive comparison folds unit by unit, in place. */
  readonly ascii: boolean;
  /** `affix.toLowerCase()`: the plain way (docs/behaviour.md#letter-case). */
  readonly lower: string;
  /** The folded way (docs/behaviour.md#letter-case). */
  readonly folded: string;

  constructor(
    readonly text: string,
    readonly ci: boolean,
    readonly atStart: boolean,
  ) {
    this.ascii = !hasNonAscii(text);
    this.lower = text.toLowerCase();
    this.folded = foldR2(text);
  }
}

/** The affixes of a rule that the machines do not hold (at least one is set). */
interface ExactRule {
  readonly prefix: ExactAffix | undefined;
  readonly suffix: ExactAffix | undefined;
}

const WILDCARD: ProtectionMatch = Object.freeze({ kind: 'wildcard' });

/** Units of an ASCII affix in walk order, folded when the comparison is case-insensitive. */
function walkUnits(affix: string, ci: boolean, reversed: boolean): number[] {
  const units: number[] = [];
  for (let i = 0; i < affix.length; i++) {
    const u = affix.charCodeAt(reversed ? affix.length - 1 - i : i);
    units.push(ci ? foldUnit(u) : u);
  }
  return units;
}

/** @internal */
export class Matcher implements CompiledPolicy {
  private readonly table: Int32Array;
  private readonly prefixStart: number;
  private readonly suffixStart: number;
  /** The prefix machine holds nothing: every rule passes the prefix side, no walk needed. */
  private readonly noPrefixes: boolean;
  /** Rules that pass the prefix side whatever the key (no prefix, or one on the exact path). */
  private readonly prefixFree: number;
  /** Rules whose suffix is in the suffix machine: only they need the walk from the end. */
  private readonly suffixRules: number;
  /** Whether the suffix machine holds extensions: then every key needs the walk from the end. */
  private readonly tableExtensions: boolean;
  /** Rules with an affix on the exact slower path. */
  private readonly exactMask: number;
  private readonly exactRules: readonly (ExactRule | undefined)[];
  /** A list too long for the table: lower-case extensions. */
  private readonly extensionSet: ReadonlySet<string> | undefined;
  private readonly wildcard: boolean;
  /** Match results are immutable, so each is made once, not per call. */
  private readonly ruleMatches: readonly ProtectionMatch[];
  private readonly extensionMatches: readonly ProtectionMatch[];
  /** States in the table, for the build-cost report. */
  readonly states: number;
  // The last key the exact slower path lower-cased, and its two forms: `match` is often called
  // again on the same key (evaluate's readings), and the forms cost more than everything else.
  private formsOf = '';
  private lowered = '';
  private folded = '';

  constructor(readonly policy: Policy) {
    this.ruleMatches = policy.rules.map((rule, index) =>
      Object.freeze({ kind: 'rule' as const, index, rule }),
    );
    const prefixes: AffixPath[] = [];
    const suffixes: AffixPath[] = [];
    let prefixFree = 0;
    let suffixFree = 0;
    let suffixRules = 0;
    let exactMask = 0;
    const inTable = (s: string) => s.length <= MAX_TABLE_AFFIX && !hasNonAscii(s);
    this.exactRules = policy.rules.map((rule, index): ExactRule | undefined => {
      const bit = 1 << index;
      const ci = rule.caseInsensitive;
      let prefix: ExactAffix | undefined;
      let suffix: ExactAffix | undefined;
      if (rule.prefix !== undefined && inTable(rule.prefix))
        prefixes.push({ units: walkUnits(rule.prefix, ci, false), ci, accept: bit });
      else {
        // No prefix, or one compared on its own: this rule passes the prefix walk whatever the key.
        prefixFree |= bit;
        if (rule.prefix !== undefined) prefix = new ExactAffix(rule.prefix, ci, true);
      }
      if (rule.suffix !== undefined && inTable(rule.suffix)) {
        suffixes.push({ units: walkUnits(rule.suffix, ci, true), ci, accept: bit });
        suffixRules |= bit;
      } else {
        suffixFree |= bit;
        if (rule.suffix !== undefined) suffix = new ExactAffix(rule.suffix, ci, false);
      }
      if (prefix === undefined && suffix === undefined) return undefined;
      exactMask |= bit;
      return { prefix, suffix };
    });
    this.wildcard = policy.extensions[0] === '*';
    const listed = this.wildcard ? [] : policy.extensions;
    this.extensionMatches = listed.map((extension) =>
      Object.freeze({ kind: 'extension' as const, extension }),
    );
    // docs/behaviour.md#extensions: the key's extension is `ext` exactly when the key ends with
    // `.ext` (an extension holds
    // no `.` or `/`), compared case-insensitively, so an extension is a folded suffix.
    const inTableExtensions = listed.length <= MAX_TABLE_EXTENSIONS;
    if (inTableExtensions)
      listed.forEach((ext, i) => {
        suffixes.push({
          units: walkUnits(`.${ext}`, true, true),
          ci: true,
          accept: (i + 1) << EXTENSION_SHIFT,
        });
      });
    this.extensionSet = inTableExtensions ? undefined : new Set(listed);
    this.tableExtensions = inTableExtensions && listed.length > 0;
    this.suffixRules = suffixRules;
    this.exactMask = exactMask;

    const a = buildAutomaton(prefixes, suffixes, prefixFree, suffixFree);
    this.table = a.table;
    this.prefixStart = a.prefixStart;
    this.suffixStart = a.suffixStart;
    this.noPrefixes = a.noPrefixes;
    this.prefixFree = prefixFree;
    this.states = a.states;
  }

  /** Accept words of the states the prefix machine passes through, OR-ed (start state included). */
  private forward(key: string, n: number): number {
    const t = this.table;
    let s = this.prefixStart;
    let acc = t[s] as number;
    for (let i = 0; i < n; i++) {
      const u = String.prototype.charCodeAt.call(key, i);
      // Column 1 + u for an ASCII unit (a literal: see automaton.ts for the row layout).
      s = t[s + (u < 0x80 ? u + 1 : wideColumn(u))] as number;
      if (s === 0) break;
      const a = t[s] as number;
      acc |= a;
      if (a < 0) break; // TERMINAL: no affix goes on from here
    }
    return acc & 0x7fffffff; // without TERMINAL
  }

  /** The same from the end, through the suffix machine. */
  private backward(key: string, n: number): number {
    const t = this.table;
    let s = this.suffixStart;
    let acc = t[s] as number;
    for (let i = n - 1; i >= 0; i--) {
      const u = String.prototype.charCodeAt.call(key, i);
      // Column 1 + u for an ASCII unit (a literal: see automaton.ts for the row layout).
      s = t[s + (u < 0x80 ? u + 1 : wideColumn(u))] as number;
      if (s === 0) break;
      const a = t[s] as number;
      acc |= a;
      if (a < 0) break; // TERMINAL: no affix goes on from here
    }
    return acc & 0x7fffffff; // without TERMINAL
  }

  /**
   * Rules that may match (prefix side and suffix side both passed) and the extension's index + 1
   * (0 for none), packed as one accept word. The walk from the end is skipped when no candidate
   * rule has a suffix in the table and no extension is listed there.
   */
  private scan(key: string): number {
    // `'' + key` is `key` (callers check it is a string), typed as a string for TurboFan, which
    // then reads the length directly; `key.length` is a property load whose inline cache goes
    // megamorphic once it has seen every string shape (`node --log-ic` after the warm-up showed it).
    // biome-ignore lint/style/useTemplate: a template literal compiles to a ToString call instead
    const n = ('' + key).length;
    const pre = this.noPrefixes ? this.prefixFree : this.forward(key, n);
    if (!this.tableExtensions && (pre & this.suffixRules) === 0) return pre & 0x3ff;
    const suf = this.backward(key, n);
    return (pre & suf & 0x3ff) | (suf & ~0x3ff);
  }

  /** Index of the first candidate rule that matches once its exact affixes are compared, or -1. */
  private firstRule(key: string, candidates: number): number {
    let left = candidates;
    while (left !== 0) {
      const bit = left & -left;
      left ^= bit;
      const index = 31 - Math.clz32(bit);
      if ((bit & this.exactMask) === 0) return index;
      const r = this.exactRules[index] as ExactRule;
      if (
        (r.prefix === undefined || this.exact(key, r.prefix)) &&
        (r.suffix === undefined || this.exact(key, r.suffix))
      )
        return index;
    }
    return -1;
  }

  /** docs/behaviour.md#letter-case for an affix outside the table: exact, either way for a case-insensitive one. */
  private exact(key: string, a: ExactAffix): boolean {
    if (!a.ci)
      return a.atStart
        ? String.prototype.startsWith.call(key, a.text)
        : String.prototype.endsWith.call(key, a.text);
    if (a.ascii) return foldedAsciiAffix(key, a.lower, a.atStart);
    if (key !== this.formsOf) {
      this.lowered = String.prototype.toLowerCase.call(key);
      this.folded = foldR2(key);
      this.formsOf = key;
    }
    return a.atStart
      ? String.prototype.startsWith.call(this.lowered, a.lower) ||
          String.prototype.startsWith.call(this.folded, a.folded)
      : String.prototype.endsWith.call(this.lowered, a.lower) ||
          String.prototype.endsWith.call(this.folded, a.folded);
  }

  /** The listed extension of `key` when the list was too long for the table, or -1. */
  private setExtension(key: string): number {
    const set = this.extensionSet;
    if (set === undefined) return -1;
    const ext = keyExtension(key);
    if (ext === undefined) return -1;
    let folded = '';
    for (let i = 0; i < ext.length; i++) {
      const u = foldUnit(String.prototype.charCodeAt.call(ext, i));
      if (u >= 0x80) return -1; // listed extensions are ASCII
      folded += String.fromCharCode(u);
    }
    return set.has(folded) ? this.policy.extensions.indexOf(folded) : -1;
  }

  isProtected(key: string, options?: MatchOptions): boolean {
    // Only a string names an object (JavaScript callers may pass anything; this never throws).
    if (typeof key !== 'string') return false;
    if (this.wildcard && isImageContentType(options?.contentType)) return true;
    const word = this.scan(key);
    if (word >>> 10 !== 0) return true; // an extension (EXTENSION_SHIFT)
    const candidates = word & 0x3ff; // RULE_BITS
    if (
      candidates !== 0 &&
      ((candidates & this.exactMask) === 0 || this.firstRule(key, candidates) !== -1)
    )
      return true;
    return this.extensionSet !== undefined && this.setExtension(key) !== -1;
  }

  match(key: string, options?: MatchOptions): ProtectionMatch | undefined {
    if (typeof key !== 'string') return undefined;
    const word = this.scan(key);
    const candidates = word & 0x3ff; // RULE_BITS
    if (candidates !== 0) {
      const index = this.firstRule(key, candidates);
      if (index !== -1) return this.ruleMatches[index];
    }
    if (this.wildcard) return isImageContentType(options?.contentType) ? WILDCARD : undefined;
    const ext = word >>> 10; // EXTENSION_SHIFT
    if (ext !== 0) return this.extensionMatches[ext - 1];
    if (this.extensionSet === undefined) return undefined;
    const i = this.setExtension(key);
    return i === -1 ? undefined : this.extensionMatches[i];
  }
}

/**
 * `key` starts (or ends) with the ASCII `lower` under docs/behaviour.md#letter-case
 * case-insensitivity, either way: unit by
 * unit through {@link foldUnit}, exact for an ASCII affix (see `fold.ts`).
 */
function foldedAsciiAffix(key: string, lower: string, atStart: boolean): boolean {
  const n = key.length;
  const m = lower.length;
  if (m > n) return false;
  const off = atStart ? 0 : n - m;
  for (let j = 0; j < m; j++)
    if (
      foldUnit(String.prototype.charCodeAt.call(key, off + j)) !==
      String.prototype.charCodeAt.call(lower, j)
    )
      return false;
  return true;
}
