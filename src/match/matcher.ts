/**
 * The compiled matcher (SPEC S3): a policy's rules and extensions prepared once, so that a check
 * reads the key about once and allocates nothing unless a case-insensitive rule meets non-ASCII.
 * @module
 */
import type { Policy, ProtectionRule } from '../policy/model.js';
import { Dispatch } from './dispatch.js';
import { isImageContentType } from './extension.js';
import { endsWithFolded, MATCH, NO_MATCH, startsWithFolded, UNSURE } from './fold.js';
import { extensionDigit, PACKED_LENGTH, PackedSet } from './packed.js';

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

interface CompiledRule {
  readonly index: number;
  readonly rule: ProtectionRule;
  readonly ci: boolean;
  /** Lower-cased when `ci` (as S3 says: `prefix.toLowerCase()`), else as written. */
  readonly prefix: string | undefined;
  readonly suffix: string | undefined;
}

/** @internal */
export class Matcher implements CompiledPolicy {
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
