/**
 * Is an object key protected? (SPEC S3) A policy is compiled once into dispatch tables, so the
 * cost of a check does not grow with the number of rules, and nothing is allocated per call
 * unless a case-insensitive rule meets a non-ASCII character.
 * @module
 */
import { isImageContentType, keyExtension } from './extension.js';
import {
  definePolicy,
  isPolicy,
  type Policy,
  type PolicyInput,
  type ProtectionRule,
} from './policy.js';

/** Options of {@link isProtected} and {@link matchProtection}. */
export interface MatchOptions {
  /**
   * The object's `Content-Type`, when known. Only `extensions: ["*"]` reads it: with it, `*`
   * protects `image/*` objects only; without it, every key.
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

const MATCH = 1;
const NO_MATCH = 0;
/** A case-insensitive comparison met non-ASCII: only the exact S3 definition can tell. */
const UNSURE = 2;

const lowerAscii = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

/** `key.toLowerCase().startsWith(p)` for a lower-cased `p`, without lower-casing `key` when ASCII. */
function startsWithFolded(key: string, p: string): number {
  const len = key.length;
  for (let j = 0; j < p.length; j++) {
    if (j >= len) return NO_MATCH;
    const c = key.charCodeAt(j);
    if (c >= 0x80) return UNSURE;
    if (lowerAscii(c) !== p.charCodeAt(j)) return NO_MATCH;
  }
  return MATCH;
}

/** `key.toLowerCase().endsWith(s)` for a lower-cased `s`, without lower-casing `key` when ASCII. */
function endsWithFolded(key: string, s: string): number {
  const off = key.length - s.length;
  for (let j = s.length - 1; j >= 0; j--) {
    if (off + j < 0) return NO_MATCH;
    const c = key.charCodeAt(off + j);
    if (c >= 0x80) return UNSURE;
    if (lowerAscii(c) !== s.charCodeAt(j)) return NO_MATCH;
  }
  return MATCH;
}

interface CompiledRule {
  readonly index: number;
  readonly rule: ProtectionRule;
  readonly ci: boolean;
  /** Lower-cased when `ci` (as S3 says: `prefix.toLowerCase()`), else as written. */
  readonly prefix: string | undefined;
  readonly suffix: string | undefined;
}

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
class Dispatch {
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

/** Base-37 digit of an extension character, 0 when the character cannot be in a protected extension. */
function extensionDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x2f; // 0-9 → 1..10
  const l = lowerAscii(c);
  return l >= 0x61 && l <= 0x7a ? l - 0x56 : 0; // a-z → 11..36
}

/**
 * Packed extensions → their names: a small open-addressing table of doubles, since a `Map` with
 * number keys costs more than the whole rest of an extension check.
 */
class PackedSet {
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
const PACKED_LENGTH = 10;

function packExtension(ext: string): number {
  let code = 0;
  for (let i = ext.length - 1; i >= 0; i--) code = code * 37 + extensionDigit(ext.charCodeAt(i));
  return code;
}

class Matcher implements CompiledPolicy {
  private readonly rules: readonly CompiledRule[];
  private readonly prefixes = new Dispatch();
  private readonly suffixes = new Dispatch();
  private readonly packed: PackedSet;
  private readonly long = new Set<string>();
  /** Length of the longest listed extension: the scan for a key's extension stops there. */
  private readonly longestExtension: number;
  private readonly wildcard: boolean;
  /** Match results are immutable, so each is made once, not per call. */
  private readonly ruleMatches: readonly ProtectionMatch[];
  private readonly extensionMatches = new Map<string, ProtectionMatch>();

  constructor(readonly policy: Policy) {
    this.ruleMatches = policy.rules.map((rule, index) =>
      Object.freeze({ kind: 'rule' as const, index, rule }),
    );
    this.rules = policy.rules.map((rule, index) => {
      const ci = rule.caseInsensitive;
      const fold = (s: string | undefined) => (s !== undefined && ci ? s.toLowerCase() : s);
      return { index, rule, ci, prefix: fold(rule.prefix), suffix: fold(rule.suffix) };
    });
    for (const r of this.rules) {
      const bit = 1 << r.index;
      const { prefix: p, suffix: x } = r;
      if (p === undefined) this.prefixes.free |= bit;
      else this.prefixes.add(bit, p.charCodeAt(0), p.charCodeAt(1), r.ci);
      if (x === undefined) this.suffixes.free |= bit;
      else this.suffixes.add(bit, x.charCodeAt(x.length - 1), x.charCodeAt(x.length - 2), r.ci);
    }
    this.wildcard = policy.extensions[0] === '*';
    const listed = this.wildcard ? [] : policy.extensions;
    this.longestExtension = Math.max(0, ...listed.map((e) => e.length));
    this.packed = new PackedSet(listed.filter((e) => e.length <= PACKED_LENGTH));
    for (const ext of listed) {
      if (ext.length > PACKED_LENGTH) this.long.add(ext);
      this.extensionMatches.set(ext, Object.freeze({ kind: 'extension' as const, extension: ext }));
    }
  }

  /** Index of the first rule that matches, or -1. */
  private ruleIndex(key: string): number {
    let candidates = this.prefixes.candidates(key.charCodeAt(0), key.charCodeAt(1));
    if (candidates === 0) return -1;
    const end = key.length;
    candidates &= this.suffixes.candidates(key.charCodeAt(end - 1), key.charCodeAt(end - 2));
    let lowered: string | undefined;
    while (candidates !== 0) {
      const bit = candidates & -candidates;
      candidates ^= bit;
      const r = this.rules[31 - Math.clz32(bit)] as CompiledRule;
      if (!r.ci) {
        if (
          (r.prefix === undefined || key.startsWith(r.prefix)) &&
          (r.suffix === undefined || key.endsWith(r.suffix))
        ) {
          return r.index;
        }
        continue;
      }
      let p = r.prefix === undefined ? MATCH : startsWithFolded(key, r.prefix);
      let s = p === NO_MATCH || r.suffix === undefined ? MATCH : endsWithFolded(key, r.suffix);
      if (p === UNSURE || s === UNSURE) {
        // The exact S3 definition: lower-case the whole key (once per call).
        lowered ??= key.toLowerCase();
        p = r.prefix === undefined || lowered.startsWith(r.prefix) ? MATCH : NO_MATCH;
        s = r.suffix === undefined || lowered.endsWith(r.suffix) ? MATCH : NO_MATCH;
      }
      if (p === MATCH && s === MATCH) return r.index;
    }
    return -1;
  }

  /** The protected extension of `key` (lower-case), or undefined. */
  private extension(key: string): string | undefined {
    const longest = this.longestExtension;
    if (longest === 0) return undefined;
    const end = key.length;
    let code = 0;
    for (let i = end - 1; i >= 0; i--) {
      const c = key.charCodeAt(i);
      if (c === 0x2e) {
        const n = end - 1 - i;
        if (n === 0) return undefined;
        return n <= PACKED_LENGTH ? this.packed.get(code) : this.longExtension(key.slice(i + 1));
      }
      const digit = extensionDigit(c);
      // Protected extensions are ASCII letters and digits: anything else (`/` included) ends the search.
      if (digit === 0 || end - i > longest) return undefined;
      code = code * 37 + digit;
    }
    return undefined;
  }

  private longExtension(ext: string): string | undefined {
    const lower = ext.toLowerCase();
    return this.long.has(lower) ? lower : undefined;
  }

  isProtected(key: string, options?: MatchOptions): boolean {
    if (this.wildcard)
      return isImageContentType(options?.contentType) || this.ruleIndex(key) !== -1;
    return this.extension(key) !== undefined || this.ruleIndex(key) !== -1;
  }

  match(key: string, options?: MatchOptions): ProtectionMatch | undefined {
    const index = this.ruleIndex(key);
    if (index !== -1) return this.ruleMatches[index];
    if (this.wildcard) return isImageContentType(options?.contentType) ? WILDCARD : undefined;
    const extension = this.extension(key);
    return extension === undefined ? undefined : this.extensionMatches.get(extension);
  }
}

const WILDCARD: ProtectionMatch = Object.freeze({ kind: 'wildcard' });

const cache = new WeakMap<object, Matcher>();
// The last policy used: one identity check instead of a WeakMap lookup on the hot path.
let lastPolicy: unknown;
let lastMatcher: Matcher | undefined;

/**
 * Prepare a policy for the hot path. The free functions {@link isProtected} and
 * {@link matchProtection} call this and cache the result per policy, so calling them costs the
 * same; use the compiled form when you want the preparation visible.
 *
 * A look-alike policy object (parsed JSON, or one made by another copy of this package) is
 * validated first and throws {@link PolicyError} when invalid.
 *
 * @example
 * const compiled = compilePolicy(definePolicy({ rules: [{ prefix: 'image/' }] }));
 * compiled.isProtected('image/a.jpg') // true
 */
export function compilePolicy(policy: Policy): CompiledPolicy {
  if (policy === lastPolicy && lastMatcher !== undefined) return lastMatcher;
  let matcher = cache.get(policy);
  if (matcher === undefined) {
    matcher = new Matcher(isPolicy(policy) ? policy : definePolicy(policy as PolicyInput));
    // An unfrozen look-alike may still change, so it is compiled afresh on every call.
    if (!Object.isFrozen(policy)) return matcher;
    cache.set(policy, matcher);
  }
  lastPolicy = policy;
  lastMatcher = matcher;
  return matcher;
}

/**
 * Whether an object key is protected by a policy (SPEC S3): a rule matches (prefix and suffix,
 * case-insensitively when the rule says so), the key's extension is listed (any letter case), or
 * the policy protects every image (`["*"]`).
 *
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'image/' }], extensions: ['jpg'] });
 * isProtected('image/cat.gif', policy) // true: rule 0
 * isProtected('docs/CAT.JPG', policy)  // true: extension jpg
 * isProtected('docs/cat.gif', policy)  // false
 */
export function isProtected(key: string, policy: Policy, options?: MatchOptions): boolean {
  return compilePolicy(policy).isProtected(key, options);
}

/**
 * Why a key is protected: the first matching rule (with its index), else the protected
 * extension, else `*`; `undefined` when the key is not protected.
 *
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'raw/', suffix: '.tif' }], extensions: ['png'] });
 * matchProtection('raw/a.tif', policy) // { kind: 'rule', index: 0, rule: { prefix: 'raw/', suffix: '.tif', … } }
 * matchProtection('b.PNG', policy)     // { kind: 'extension', extension: 'png' }
 */
export function matchProtection(
  key: string,
  policy: Policy,
  options?: MatchOptions,
): ProtectionMatch | undefined {
  return compilePolicy(policy).match(key, options);
}

/** One rule's test against a key, for explanations. */
export interface RuleTest {
  readonly index: number;
  readonly rule: ProtectionRule;
  /** `undefined` when the rule has no prefix. */
  readonly prefixMatches: boolean | undefined;
  readonly suffixMatches: boolean | undefined;
  readonly matches: boolean;
}

/** Every test S3 makes on a key, for people: see {@link explainProtection}. */
export interface ProtectionExplanation {
  readonly key: string;
  readonly rules: readonly RuleTest[];
  /** The key's extension as written (S3.2), if it has one. */
  readonly extension: string | undefined;
  /** Whether that extension is in the list (any letter case). */
  readonly extensionListed: boolean;
  /** The policy protects every image (`["*"]`), and whether that applies to this content type. */
  readonly wildcard: boolean;
  readonly wildcardApplies: boolean;
  /** The verdict, the same as {@link matchProtection}'s. */
  readonly match: ProtectionMatch | undefined;
}

/**
 * Every test S3 makes on a key: each rule's prefix and suffix, the extension, `*`. Slower than
 * {@link matchProtection} (it runs every test, the plain way); meant for tools and logs.
 *
 * @example
 * explainProtection('Images/a.png', definePolicy({ rules: [{ prefix: 'images/' }] })).rules[0]
 * // { index: 0, prefixMatches: false, suffixMatches: undefined, matches: false, … }
 */
export function explainProtection(
  key: string,
  policy: Policy,
  options?: MatchOptions,
): ProtectionExplanation {
  const compiled = compilePolicy(policy);
  const lowered = key.toLowerCase();
  const rules = compiled.policy.rules.map((rule, index): RuleTest => {
    const k = rule.caseInsensitive ? lowered : key;
    const fold = (s: string) => (rule.caseInsensitive ? s.toLowerCase() : s);
    const prefixMatches = rule.prefix === undefined ? undefined : k.startsWith(fold(rule.prefix));
    const suffixMatches = rule.suffix === undefined ? undefined : k.endsWith(fold(rule.suffix));
    return {
      index,
      rule,
      prefixMatches,
      suffixMatches,
      matches: prefixMatches !== false && suffixMatches !== false,
    };
  });
  const extension = keyExtension(key);
  const wildcard = compiled.policy.extensions[0] === '*';
  return {
    key,
    rules,
    extension,
    extensionListed:
      extension !== undefined &&
      !wildcard &&
      compiled.policy.extensions.includes(asciiLower(extension)),
    wildcard,
    wildcardApplies: wildcard && isImageContentType(options?.contentType),
    match: compiled.match(key, options),
  };
}

const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
