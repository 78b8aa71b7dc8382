/**
 * What the library is measured against: the matcher a developer would write by hand, the same
 * policy as picomatch globs, two floors that only read the key, and the gateway check a developer
 * writes by hand in front of a bucket.
 */
import picomatch from 'picomatch';
import type { Policy, ProtectionRule } from '../src/index.js';

/** A key → answer function; the floor answers a number so its work cannot be dropped. */
export type KeyFn = (key: string) => unknown;

/**
 * The obvious hand-written matcher: lower-case the key once, try each rule with
 * `startsWith`/`endsWith`, then look the extension up with `includes`. Affixes are lower-cased
 * once up front, as a careful developer would, so the baseline is not a straw man.
 */
export function makeNaive(policy: Policy): (key: string) => boolean {
  const fold = (s: string | undefined, ci: boolean) =>
    s !== undefined && ci ? s.toLowerCase() : s;
  const rules = policy.rules.map((r) => ({
    ci: r.caseInsensitive,
    prefix: fold(r.prefix, r.caseInsensitive),
    suffix: fold(r.suffix, r.caseInsensitive),
  }));
  const wildcard = policy.extensions[0] === '*';
  const extensions = policy.extensions;
  return (key) => {
    const lower = key.toLowerCase();
    for (const r of rules) {
      const k = r.ci ? lower : key;
      if (
        (r.prefix === undefined || k.startsWith(r.prefix)) &&
        (r.suffix === undefined || k.endsWith(r.suffix))
      )
        return true;
    }
    if (wildcard) return true;
    const dot = lower.lastIndexOf('.');
    if (dot === -1 || dot < lower.lastIndexOf('/')) return false;
    return extensions.includes(lower.slice(dot + 1));
  };
}

/**
 * Options for rule globs. `bash: true` makes `*` match any text, `/` included, which is what
 * S3's "starts with prefix and ends with suffix" needs; picomatch's `**` only crosses `/` as a
 * whole path segment (`image**` would miss `images/a.jpg`), and then makes the slashes around it
 * optional (`a/**\/b` matches `a/b`). `strictSlashes` stops a trailing `/` from matching for free;
 * `dot` lets `*` match dot-files.
 */
export const RULE_GLOB_OPTIONS = { dot: true, bash: true, strictSlashes: true } as const;

/** Options for the extension glob: any letter case, dot-files included (S3: `.jpg` → `jpg`). */
export const EXTENSION_GLOB_OPTIONS = { dot: true, nocase: true } as const;

/**
 * Escape glob syntax so the text matches literally. A leading `.` is escaped too: picomatch drops
 * a leading `./` from a pattern.
 */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]{}()!+@|,]/g, '\\$&').replace(/^\./, '\\.');
}

/** A rule as one glob: `prefix*suffix` (see {@link RULE_GLOB_OPTIONS} for why `*`). */
export function ruleGlob(rule: ProtectionRule): string {
  return `${escapeGlob(rule.prefix ?? '')}*${rule.suffix === undefined ? '' : escapeGlob(rule.suffix)}`;
}

/** An extension list as one glob: `**\/*.{jpg,png}`; one extension has no braces (`{jpg}` is literal). */
export function extensionGlob(extensions: readonly string[]): string {
  return extensions.length === 1 ? `**/*.${extensions[0]}` : `**/*.{${extensions.join(',')}}`;
}

/** The policy as picomatch matchers, compiled once: case-sensitive rules, folded rules, extensions. */
export function makePicomatch(policy: Policy): (key: string) => boolean {
  const globs = (ci: boolean) => policy.rules.filter((r) => r.caseInsensitive === ci).map(ruleGlob);
  const matchers: ((key: string) => boolean)[] = [];
  const cs = globs(false);
  const ci = globs(true);
  if (cs.length > 0) matchers.push(picomatch(cs, RULE_GLOB_OPTIONS));
  if (ci.length > 0) matchers.push(picomatch(ci, { ...RULE_GLOB_OPTIONS, nocase: true }));
  // `**` is how a glob user writes "everything" for `extensions: ["*"]`.
  if (policy.extensions[0] === '*') matchers.push(picomatch('**', { dot: true }));
  else if (policy.extensions.length > 0)
    matchers.push(picomatch(extensionGlob(policy.extensions), EXTENSION_GLOB_OPTIONS));
  return (key) => {
    for (const m of matchers) if (m(key)) return true;
    return false;
  };
}

/**
 * The floor: read every code unit of the key once, nothing else, the way most code reads strings
 * (`key.charCodeAt(i)`). In a warm process that call site has seen every string shape and is
 * megamorphic (see src/match/units.ts).
 */
export function floor(key: string): number {
  let sum = 0;
  for (let i = 0; i < key.length; i++) sum += key.charCodeAt(i);
  return sum;
}

/**
 * The same loop through the uncurried builtin, written out at the call (as src/match does): no
 * property load on the key, so it stays fast on every string shape.
 */
export function floorUncurried(key: string): number {
  let sum = 0;
  const n = key.length;
  for (let i = 0; i < n; i++) sum += String.prototype.charCodeAt.call(key, i);
  return sum;
}

// A module-level constant: esbuild (and so tsup) bundles it as a `var`, which V8 cannot treat as a
// constant; the `.call` through it is then a real call.
const charCodeAt = String.prototype.charCodeAt;

/** The uncurried loop through a module-level constant, as a bundler ships it (see above). */
export function floorBundledConst(key: string): number {
  let sum = 0;
  const n = key.length;
  for (let i = 0; i < n; i++) sum += charCodeAt.call(key, i);
  return sum;
}

/**
 * The gateway check a developer writes by hand in front of a bucket: `new URL`, allow a style or a
 * signed URL found with `searchParams.get`, else deny a key the policy protects (`startsWith` /
 * `endsWith`, case-insensitive rules and the extension through `toLowerCase`). It is wrong in a
 * dozen ways (no delimiter styles, no decoding, `..` resolved by `URL`, `X-Oss-Process`, `+`,
 * `;`, signatures not checked for completeness…), and it is what users compare the library with.
 * Returns whether the request is allowed.
 */
export function makeGatewayCheck(policy: Policy): (url: string) => boolean {
  const rules = policy.rules.map((r) => ({
    ci: r.caseInsensitive,
    prefix: r.caseInsensitive ? r.prefix?.toLowerCase() : r.prefix,
    suffix: r.caseInsensitive ? r.suffix?.toLowerCase() : r.suffix,
  }));
  const everything = policy.extensions[0] === '*';
  const extensions = policy.extensions;
  return (url) => {
    const u = new URL(url);
    const process = u.searchParams.get('x-oss-process');
    if (process?.startsWith('style/')) return true;
    if (u.searchParams.get('Signature') !== null || u.searchParams.get('x-oss-signature') !== null)
      return true;
    const key = u.pathname.slice(1);
    const lower = key.toLowerCase();
    for (const r of rules) {
      const k = r.ci ? lower : key;
      if (
        (r.prefix === undefined || k.startsWith(r.prefix)) &&
        (r.suffix === undefined || k.endsWith(r.suffix))
      )
        return false;
    }
    if (everything) return false;
    const dot = lower.lastIndexOf('.');
    return dot === -1 || !extensions.includes(lower.slice(dot + 1));
  };
}
