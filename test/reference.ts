/**
 * The obvious model of SPEC S3, written for clarity, not speed. Tests compare the compiled
 * matcher with it on generated inputs; benchmarks never use it as a baseline.
 */
import type { Policy, ProtectionRule } from '../src/index.js';

/**
 * S3 R2's folded form: `ſ` U+017F, `İ` U+0130, `ı` U+0131 mapped to `s`, `i`, `i`, then
 * `toLowerCase`. Written with a plain replace, independently of src/match/fold.ts.
 */
export function referenceFold(s: string): string {
  return s
    .replace(/\u017f/g, 's')
    .replace(/[\u0130\u0131]/g, 'i')
    .toLowerCase();
}

/**
 * One affix comparison (S3.1): exact, or for a case-insensitive rule the plain way
 * (`key.toLowerCase()` against `affix.toLowerCase()`) or the folded way (R2: both sides through
 * {@link referenceFold}). Each affix of a rule may match either way (the spec's "a comparison …
 * also matches"): the prefix the plain way and the suffix the folded way is a match.
 */
export function referenceAffixMatches(
  key: string,
  affix: string,
  caseInsensitive: boolean,
  side: 'prefix' | 'suffix',
): boolean {
  const test = (k: string, a: string) => (side === 'prefix' ? k.startsWith(a) : k.endsWith(a));
  if (!caseInsensitive) return test(key, affix);
  return (
    test(key.toLowerCase(), affix.toLowerCase()) || test(referenceFold(key), referenceFold(affix))
  );
}

export function referenceRuleMatches(key: string, rule: ProtectionRule): boolean {
  const ci = rule.caseInsensitive;
  return (
    (rule.prefix === undefined || referenceAffixMatches(key, rule.prefix, ci, 'prefix')) &&
    (rule.suffix === undefined || referenceAffixMatches(key, rule.suffix, ci, 'suffix'))
  );
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
  // S3.2 compares in ASCII case; R2 adds the folded way. Listed extensions are lower-case ASCII.
  const listed = [asciiLower(ext), referenceFold(ext)].find((e) => policy.extensions.includes(e));
  return listed === undefined ? undefined : { kind: 'extension', extension: listed };
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
  delimiterStyle?: string;
  pathProcessing?: 'empty-style' | 'at';
}

const STYLE = /^[A-Za-z0-9_.-]{1,63}$/;
const validKey = (k: string) => k !== '' && k[0] !== '/' && k[0] !== '\\' && bytes(k) <= 1023;
const PROCESS_NAMES = ['x-oss-process', 'x-oss-async-process'];

type QueryAccess = { access: ReferenceReading['access']; style?: string } | undefined;

/** The query's processing (S4 and S4 R2), plainly; `null` when the query does not decode. */
function referenceQuery(query: string): QueryAccess | null {
  const params: [string, string, string][] = [];
  let variant = false;
  const decodePlus = (t: string) => referenceDecode(t.replace(/\+/g, ' '));
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const name = decodePlus(rawName);
    const value = decodePlus(eq === -1 ? '' : part.slice(eq + 1));
    if (name === undefined || value === undefined) return null;
    if (PROCESS_NAMES.includes(name.toLowerCase()) && rawName !== 'x-oss-process') variant = true;
    for (const piece of part.split(';').slice(1)) {
      const after = decodePlus(piece.split('=')[0] as string);
      if (after !== undefined && PROCESS_NAMES.includes(after.toLowerCase())) variant = true;
    }
    params.push([rawName, name, value]);
  }
  const processes = params.filter(([raw]) => raw === 'x-oss-process');
  if (variant || processes.length > 1) return { access: 'ambiguous' };
  if (processes.length === 0) return undefined;
  const v = (processes[0] as [string, string, string])[2];
  const m = /^style\/(.*)$/s.exec(v);
  return m && STYLE.test(m[1] as string)
    ? { access: 'style', style: m[1] as string }
    : { access: 'inline' };
}

/** The readings of one raw path under one query's processing (no rewrites). */
function referencePathReadings(
  path: string,
  q: QueryAccess,
  policy: Policy,
  at: boolean,
): ReferenceReading[] | undefined {
  const raw = path.slice(1);
  if (raw === '') return [];
  const whole = referenceDecode(raw);
  if (whole === undefined || whole[0] === '/' || whole[0] === '\\') return undefined;
  const enabled = (d: string) => (policy.delimiters as readonly string[]).includes(d);
  const splits: { key: string; delimiter: string; style: string }[] = [];
  for (let i = raw.length - 1; i >= 1; i--) {
    const d = raw[i] as string;
    if (!enabled(d)) continue;
    const style = referenceDecode(raw.slice(i + 1));
    if (style === undefined || !STYLE.test(style)) continue;
    if (policy.styles !== undefined && !policy.styles.includes(style)) continue;
    const key = referenceDecode(raw.slice(0, i)) as string;
    splits.push({ key, delimiter: d, style });
    if (policy.styles !== undefined) break;
  }
  const combine = (key: string, pathStyle?: { delimiter: string; style: string }) => {
    const r: ReferenceReading = { key, access: 'direct' };
    if (pathStyle)
      Object.assign(r, {
        access: 'style',
        style: pathStyle.style,
        delimiter: pathStyle.delimiter,
        delimiterStyle: pathStyle.style,
      });
    if (q?.access === 'style') Object.assign(r, { access: 'style', style: q.style });
    else if (q) {
      r.access = q.access;
      delete r.style;
    }
    return r;
  };
  const readings = splits.filter((s) => validKey(s.key)).map((s) => combine(s.key, s));
  if ((policy.styles === undefined || readings.length === 0) && validKey(whole))
    readings.push(combine(whole));
  if (readings.length === 0) return undefined;
  // R2: an empty style after each enabled delimiter of the final run of delimiter characters.
  for (let i = raw.length - 1; i >= 1 && '!-_/'.includes(raw[i] as string); i--) {
    const key = referenceDecode(raw.slice(0, i)) as string;
    if (enabled(raw[i] as string) && validKey(key))
      readings.push({
        key,
        access: 'inline',
        delimiter: raw[i] as string,
        delimiterStyle: '',
        pathProcessing: 'empty-style',
      });
  }
  // R2: legacy `@` processing in the last segment.
  if (at) {
    for (let i = raw.lastIndexOf('/') + 1; i < raw.length; i++) {
      const key = referenceDecode(raw.slice(0, i)) as string;
      if (i > 0 && raw[i] === '@' && validKey(key))
        readings.push({ key, access: 'inline', pathProcessing: 'at' });
    }
  }
  return readings;
}

/** Dot segments resolved with a stack: `.` dropped, `..` pops (never above the root). */
function referenceDots(segments: string[], isDot: (s: string) => 1 | 2 | 0): string[] {
  const out: string[] = [];
  segments.forEach((s, i) => {
    const dot = isDot(s);
    if (dot === 2) out.pop();
    if (dot !== 0 && i === segments.length - 1) out.push('');
    if (dot === 0) out.push(s);
  });
  return out;
}

/** The N rewrite, plainly: decode, merge slashes, resolve dots; both trailing forms. */
function referenceDecoded(path: string): string[] {
  const decoded = referenceDecode(path);
  if (decoded === undefined) return [];
  const segments = decoded.split(/\/+/).slice(1);
  const out = referenceDots(segments, (s) => (s === '.' ? 1 : s === '..' ? 2 : 0));
  const encode = (segs: string[]) =>
    `/${segs
      .map((s) => encodeURIComponent(s))
      .join('/')
      .replace(/^\/+/, '')}`;
  const forms = [encode(out)];
  const last = segments[segments.length - 1];
  if ((last === '.' || last === '..') && out[out.length - 1] === '') {
    const clean = encode(out.filter((s, i) => !(i === out.length - 1 && s === '')));
    if (clean !== forms[0]) forms.push(clean);
  }
  return forms;
}

/**
 * The paths other servers act on (S4 R2): W through the real WHATWG URL parser, N and P then N
 * written plainly. The path must hold no `?` or `#`.
 */
/**
 * The WHATWG URL path state, character by character, for a special scheme (the standard's
 * algorithm, not Node's: Node 20's parser leaves `/x/.a/../b` unresolved).
 */
function referenceWhatwg(path: string): string {
  const input = path.replace(/[\t\n\r]/g, '');
  const segments: string[] = [];
  let buffer = '';
  for (let i = 1; i <= input.length; i++) {
    const c = input[i];
    if (c === undefined || c === '/' || c === '\\') {
      const lower = buffer.toLowerCase();
      const double = ['..', '.%2e', '%2e.', '%2e%2e'].includes(lower);
      const single = ['.', '%2e'].includes(lower);
      if (double) {
        segments.pop();
        if (c === undefined) segments.push('');
      } else if (single) {
        if (c === undefined) segments.push('');
      } else segments.push(buffer);
      buffer = '';
    } else buffer += c;
  }
  return `/${segments.join('/')}`;
}

export function referenceRewrites(path: string): string[] {
  const whatwg = referenceWhatwg(path).replace(/^\/+/, '/');
  const withoutParams = path
    .split('/')
    .map((s) => s.split(';')[0])
    .join('/');
  return [
    whatwg,
    ...referenceDecoded(path),
    ...(path.includes(';') ? referenceDecoded(withoutParams) : []),
  ];
}

const sameReading = (a: ReferenceReading, b: ReferenceReading) =>
  a.key === b.key &&
  a.access === b.access &&
  a.style === b.style &&
  a.delimiter === b.delimiter &&
  a.delimiterStyle === b.delimiterStyle &&
  a.pathProcessing === b.pathProcessing;

/**
 * S4 readings of a raw path (leading `/`, no `?` or `#`) and raw query (without `?`), written
 * plainly: `undefined` for an invalid request, `[]` for a bucket-level one. The literal readings
 * first, then those of each rewritten path (S4 R2), each reading once.
 */
export function referenceReadings(
  path: string,
  query: string,
  policy: Policy,
  at = policy.atProcessing,
): ReferenceReading[] | undefined {
  const q = referenceQuery(query);
  if (q === null) return undefined;
  const literal = referencePathReadings(path, q, policy, at);
  if (literal === undefined || literal.length === 0) return literal;
  const out = [...literal];
  for (const p of referenceRewrites(path)) {
    if (p === path) continue;
    for (const r of referencePathReadings(p, q, policy, at) ?? [])
      if (!out.some((o) => sameReading(o, r))) out.push(r);
  }
  return out;
}
