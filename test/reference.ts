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

/** UTF-8 length of a string (TextEncoder is fine here: tests only). */
const bytes = (s: string) => new TextEncoder().encode(s).length;

/** S4 decoding, the obvious way: decodeURIComponent, with `+` left alone, and no lone surrogates. */
export function referenceDecode(raw: string): string | undefined {
  if (/\p{Surrogate}/u.test(raw)) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export interface ReferenceReading {
  key: string;
  access: 'direct' | 'style' | 'inline' | 'ambiguous';
  style?: string;
  delimiter?: string;
}

const STYLE = /^[A-Za-z0-9_.-]{1,63}$/;
const validKey = (k: string) => k !== '' && k[0] !== '/' && k[0] !== '\\' && bytes(k) <= 1023;

/**
 * S4 readings of a raw path (leading `/`) and raw query (without `?`), written plainly:
 * `undefined` for an invalid request, `[]` for a bucket-level one.
 */
export function referenceReadings(
  path: string,
  query: string,
  policy: Policy,
): ReferenceReading[] | undefined {
  const params: [string, string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const name = referenceDecode(rawName);
    const value = referenceDecode(eq === -1 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    params.push([rawName, name, value]);
  }
  const processes = params.filter(([, name]) => name === 'x-oss-process');
  let query_: { access: ReferenceReading['access']; style?: string } | undefined;
  if (processes.length > 1 || processes.some(([raw]) => raw !== 'x-oss-process'))
    query_ = { access: 'ambiguous' };
  else if (processes.length === 1) {
    const v = (processes[0] as [string, string, string])[2];
    const m = /^style\/(.*)$/s.exec(v);
    query_ =
      m && STYLE.test(m[1] as string)
        ? { access: 'style', style: m[1] as string }
        : { access: 'inline' };
  }
  const raw = path.slice(1);
  if (raw === '') return [];
  const whole = referenceDecode(raw);
  if (whole === undefined || whole[0] === '/' || whole[0] === '\\') return undefined;
  const splits: { key: string; delimiter: string; style: string }[] = [];
  for (let i = raw.length - 1; i >= 1; i--) {
    const d = raw[i] as string;
    if (!(policy.delimiters as readonly string[]).includes(d)) continue;
    const style = referenceDecode(raw.slice(i + 1));
    if (style === undefined || !STYLE.test(style)) continue;
    if (policy.styles !== undefined && !policy.styles.includes(style)) continue;
    const key = referenceDecode(raw.slice(0, i)) as string;
    splits.push({ key, delimiter: d, style });
    if (policy.styles !== undefined) break;
  }
  const combine = (
    key: string,
    pathStyle?: { delimiter: string; style: string },
  ): ReferenceReading => {
    const r: ReferenceReading = { key, access: 'direct' };
    if (pathStyle)
      Object.assign(r, { access: 'style', style: pathStyle.style, delimiter: pathStyle.delimiter });
    if (query_?.access === 'style') Object.assign(r, { access: 'style', style: query_.style });
    else if (query_) {
      r.access = query_.access;
      delete r.style;
    }
    return r;
  };
  const readings = splits.filter((s) => validKey(s.key)).map((s) => combine(s.key, s));
  if ((policy.styles === undefined || readings.length === 0) && validKey(whole))
    readings.push(combine(whole));
  return readings.length === 0 ? undefined : readings;
}
