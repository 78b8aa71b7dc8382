/**
 * Policy diagnostics (docs/behaviour.md#lint-warnings): a valid policy that probably does not do
 * what its author meant. Warnings, never errors.
 * @module
 */
import { formatPath, type Policy, type ProtectionRule } from './model.js';

/** Stable machine codes of {@link PolicyWarning}. */
export type PolicyWarningCode =
  | 'prefix-not-folder'
  | 'redundant-rule'
  | 'delimiters-without-catalogue'
  | 'slash-delimiter'
  | 'style-contains-delimiter'
  | 'wildcard-with-wide-rule'
  | 'catalogue-without-delimiter'
  | 'protects-nothing'
  | 'suffix-without-dot';

/** One warning: where, a stable code, and a sentence a person can act on. */
export interface PolicyWarning {
  readonly path: readonly (string | number)[];
  /** The same path for people: `rules[3].prefix`. */
  readonly at: string;
  readonly code: PolicyWarningCode;
  readonly message: string;
}

const warning = (
  path: (string | number)[],
  code: PolicyWarningCode,
  message: string,
): PolicyWarning =>
  Object.freeze({ path: Object.freeze(path), at: formatPath(path), code, message });

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Every key `inner` matches with this affix also has the affix of `outer` (`atStart`: prefixes,
 * else suffixes). Case-insensitive reasoning is limited to ASCII, where lower-casing is exact
 * and per character; elsewhere the answer is "no", so no rule is called redundant wrongly.
 */
function affixCovered(
  outerAffix: string | undefined,
  outerCi: boolean,
  innerAffix: string | undefined,
  innerCi: boolean,
  atStart: boolean,
): boolean {
  if (outerAffix === undefined) return true;
  if (innerAffix === undefined) return false;
  const has = (text: string, part: string) =>
    atStart ? text.startsWith(part) : text.endsWith(part);
  if (!outerCi) return !innerCi && has(innerAffix, outerAffix);
  if (NON_ASCII.test(outerAffix) || NON_ASCII.test(innerAffix)) return false;
  return has(innerAffix.toLowerCase(), outerAffix.toLowerCase());
}

/** Every key `inner` matches is matched by `outer` too. */
const ruleCovers = (outer: ProtectionRule, inner: ProtectionRule): boolean =>
  affixCovered(outer.prefix, outer.caseInsensitive, inner.prefix, inner.caseInsensitive, true) &&
  affixCovered(outer.suffix, outer.caseInsensitive, inner.suffix, inner.caseInsensitive, false);

/** The listed extension every key matched by `rule` has, if its suffix fixes one. */
function suffixExtension(rule: ProtectionRule, extensions: readonly string[]): string | undefined {
  const suffix = rule.suffix;
  if (suffix === undefined) return undefined;
  const dot = suffix.lastIndexOf('.');
  if (dot === -1 || suffix.indexOf('/', dot) !== -1) return undefined;
  const ext = suffix.slice(dot + 1);
  // Extensions compare ASCII-case-insensitively; a case-sensitive suffix only narrows that.
  return /^[A-Za-z0-9]+$/.test(ext) && extensions.includes(ext.toLowerCase())
    ? ext.toLowerCase()
    : undefined;
}

const describeRule = (rule: ProtectionRule): string =>
  [
    rule.prefix === undefined ? undefined : `prefix "${rule.prefix}"`,
    rule.suffix === undefined ? undefined : `suffix "${rule.suffix}"`,
  ]
    .filter((s) => s !== undefined)
    .join(' + ');

/** Image extensions a suffix may be meant as (docs/behaviour.md#lint-warnings): without its dot it matches `notjpg`. */
const IMAGE_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'heic',
  'avif',
  'svg',
]);

function ruleWarnings(policy: Policy): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  if (policy.rules.length === 0 && policy.extensions.length === 0) {
    out.push(
      warning(
        [],
        'protects-nothing',
        'The policy has no rules and no extensions, so it protects no object: every original stays readable anonymously. Add "extensions" (such as ["jpg", "png"]) or "rules".',
      ),
    );
  }
  const wildcard = policy.extensions[0] === '*';
  policy.rules.forEach((rule, i) => {
    const prefix = rule.prefix;
    // A prefix ending in a bare name reads like a folder, but also matches its longer siblings.
    const last = prefix?.slice(prefix.lastIndexOf('/') + 1) ?? '';
    if (prefix !== undefined && /^[A-Za-z0-9]+$/.test(last)) {
      out.push(
        warning(
          ['rules', i, 'prefix'],
          'prefix-not-folder',
          `The prefix "${prefix}" has no trailing "/": it also protects "${prefix}s/…" and "${prefix}-archive/…"; write "${prefix}/" if you mean the folder.`,
        ),
      );
    }
    const suffix = rule.suffix;
    // ASCII lower-casing on purpose: the list is ASCII, and `İ`-style folds must not make a match.
    if (
      suffix !== undefined &&
      IMAGE_EXTENSIONS.has(suffix.replace(/[A-Z]/g, (c) => c.toLowerCase()))
    ) {
      out.push(
        warning(
          ['rules', i, 'suffix'],
          'suffix-without-dot',
          `The suffix "${suffix}" has no ".": it also protects "not${suffix}" and "a/${suffix}", which are not .${suffix} files; write ".${suffix}" if you mean the extension.`,
        ),
      );
    }
    const by = policy.rules.findIndex(
      (other, j) => j !== i && ruleCovers(other, rule) && (j < i || !ruleCovers(rule, other)),
    );
    const ext = wildcard ? undefined : suffixExtension(rule, policy.extensions);
    if (by !== -1) {
      out.push(
        warning(
          ['rules', i],
          'redundant-rule',
          `Rule ${i} (${describeRule(rule)}) protects nothing rule ${by} (${describeRule(policy.rules[by] as ProtectionRule)}) does not already protect; remove one of them.`,
        ),
      );
    } else if (ext !== undefined) {
      out.push(
        warning(
          ['rules', i],
          'redundant-rule',
          `Rule ${i} (${describeRule(rule)}) only protects keys ending in ".${ext}", which the extension list already protects; remove the rule or the extension.`,
        ),
      );
    }
    if (wildcard && (prefix === undefined || prefix.length < 2)) {
      out.push(
        warning(
          ['rules', i],
          'wildcard-with-wide-rule',
          `With extensions ["*"] every image is protected already; rule ${i} (${describeRule(rule)}) also protects every non-image object it matches, which is seldom meant.`,
        ),
      );
    }
  });
  return out;
}

function styleWarnings(policy: Policy): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  const { delimiters, styles } = policy;
  if (
    delimiters.length > 0 &&
    styles === undefined &&
    policy.rules.some((r) => r.prefix !== undefined)
  ) {
    out.push(
      warning(
        ['styles'],
        'delimiters-without-catalogue',
        `Delimiters are enabled but there is no style catalogue: delimiter-style URLs (key${delimiters[0]}style) under prefix rules will be denied, because the whole path may be the key. Add "styles" with the bucket's style names.`,
      ),
    );
  }
  const slash = delimiters.indexOf('/');
  if (slash !== -1) {
    out.push(
      warning(
        ['delimiters', slash],
        'slash-delimiter',
        'With "/" as a delimiter every path with a folder can be read as key/style: "dir/a.jpg" may be the key "dir" with the style "a.jpg". Prefer "!", "-" or "_".',
      ),
    );
  }
  styles?.forEach((name, i) => {
    const inside = delimiters.find((d) => name.includes(d));
    if (inside !== undefined) {
      out.push(
        warning(
          ['styles', i],
          'style-contains-delimiter',
          `The style "${name}" contains the enabled delimiter "${inside}": in key${inside}${name} the delimiter appears twice, and only the catalogue tells which split is meant.`,
        ),
      );
    }
  });
  if (styles !== undefined && delimiters.length === 0) {
    out.push(
      warning(
        ['styles'],
        'catalogue-without-delimiter',
        'A style catalogue is set but no delimiter is enabled: styles work as ?x-oss-process=style/NAME only, not as key!NAME. Fine if that is what you use.',
      ),
    );
  }
  return out;
}

/**
 * Warnings about a valid policy (docs/behaviour.md#lint-warnings): a prefix that looks like a
 * folder but has no trailing `/`, a rule another rule or the extension list makes redundant,
 * delimiters without a style catalogue under prefix rules, `/` as a delimiter, a style name
 * containing an enabled delimiter, `*` with a wide rule, a catalogue without delimiters, a policy
 * that protects nothing (no rules, no extensions), a suffix that is an image extension without its
 * dot (`jpg`, which also matches `notjpg`). Each has a path, a stable code and a sentence.
 *
 * @example
 * lintPolicy(definePolicy({ rules: [{ prefix: 'image' }] }))
 * // [{ at: 'rules[0].prefix', code: 'prefix-not-folder', message: 'The prefix "image" has no trailing "/": …' }]
 */
export function lintPolicy(policy: Policy): readonly PolicyWarning[] {
  return [...ruleWarnings(policy), ...styleWarnings(policy)];
}
