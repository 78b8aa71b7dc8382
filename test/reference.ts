/**
 * The obvious model of SPEC S3, written for clarity, not speed. Tests compare the compiled
 * matcher with it on generated inputs; benchmarks never use it as a baseline.
 */
import type { Policy, ProtectionRule } from '../src/index.js';

export function referenceRuleMatches(key: string, rule: ProtectionRule): boolean {
  const k = rule.caseInsensitive ? key.toLowerCase() : key;
  const p =
    rule.prefix === undefined
      ? undefined
      : rule.caseInsensitive
        ? rule.prefix.toLowerCase()
        : rule.prefix;
  const s =
    rule.suffix === undefined
      ? undefined
      : rule.caseInsensitive
        ? rule.suffix.toLowerCase()
        : rule.suffix;
  return (p === undefined || k.startsWith(p)) && (s === undefined || k.endsWith(s));
}

/** S3.2: text after the last `.` that follows the last `/`, if non-empty. */
export function referenceExtension(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  if (dot === -1 || dot < key.lastIndexOf('/')) return undefined;
  const ext = key.slice(dot + 1);
  return ext === '' ? undefined : ext;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** S3.3: with a content type, `*` protects `image/*` only; without one (or an empty one), every key. */
export function referenceIsImageType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const media = contentType.split(';')[0]?.trim() ?? '';
  if (media === '') return true;
  return asciiLower(media.split('/')[0] ?? '') === 'image';
}

export type ReferenceMatch =
  | { kind: 'rule'; index: number }
  | { kind: 'extension'; extension: string }
  | { kind: 'wildcard' };

export function referenceMatch(
  key: string,
  policy: Policy,
  contentType?: string,
): ReferenceMatch | undefined {
  const index = policy.rules.findIndex((r) => referenceRuleMatches(key, r));
  if (index !== -1) return { kind: 'rule', index };
  if (policy.extensions[0] === '*')
    return referenceIsImageType(contentType) ? { kind: 'wildcard' } : undefined;
  const ext = referenceExtension(key);
  if (ext === undefined) return undefined;
  const lower = asciiLower(ext);
  return policy.extensions.includes(lower) ? { kind: 'extension', extension: lower } : undefined;
}

export function referenceIsProtected(key: string, policy: Policy, contentType?: string): boolean {
  return referenceMatch(key, policy, contentType) !== undefined;
}
