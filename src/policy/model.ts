/**
 * The policy model (docs/behaviour.md#the-policy): the types of a policy as written and as
 * validated, and the one error type configuration mistakes throw.
 * @module
 */
import type { Delimiter } from '../oss/names.js';

/** A prefix/suffix rule as a person writes it: at least one of `prefix` and `suffix`. */
export type ProtectionRuleInput =
  | {
      /** Keys that start with this (1–1023 UTF-8 bytes, not `/` or `\\` first). */
      readonly prefix: string;
      /** Keys that end with this (1–1023 UTF-8 bytes). Absent: any end. */
      readonly suffix?: string;
      /** Compare letter case-insensitively. Absent: the policy's `caseInsensitive`. */
      readonly caseInsensitive?: boolean;
    }
  | {
      /** Keys that start with this. Absent: any start. */
      readonly prefix?: string;
      /** Keys that end with this (1–1023 UTF-8 bytes). */
      readonly suffix: string;
      /** Compare letter case-insensitively. Absent: the policy's `caseInsensitive`. */
      readonly caseInsensitive?: boolean;
    };

/** What {@link definePolicy} accepts: the JSON form of a policy. */
export interface PolicyInput {
  /** Ignored; lets editors find the JSON Schema. */
  readonly $schema?: string;
  /**
   * Up to 10 prefix/suffix rules.
   * @default []
   */
  readonly rules?: readonly ProtectionRuleInput[];
  /**
   * Default for rules that do not set their own `caseInsensitive`.
   * @default false
   */
  readonly caseInsensitive?: boolean;
  /**
   * Protected extensions (`jpg`, `.PNG`), or exactly `["*"]` for every image.
   * @default []
   */
  readonly extensions?: readonly string[];
  /**
   * Enabled style delimiters.
   * @default []
   */
  readonly delimiters?: readonly Delimiter[];
  /**
   * The bucket's style catalogue. Absent: no catalogue, so every valid style name is accepted
   * and delimiter readings are ambiguous.
   */
  readonly styles?: readonly string[];
  /**
   * Whether the legacy `key@params` processing syntax reaches the bucket through its OSS hosts
   * (OSS's `OssDomainSupportAtProcess`). When true, `a.jpg@100w` is inline processing.
   * @default false
   */
  readonly atProcessing?: boolean;
}

/** A normalised rule: `caseInsensitive` is resolved from the policy default. */
export interface ProtectionRule {
  readonly prefix?: string;
  readonly suffix?: string;
  readonly caseInsensitive: boolean;
}

declare const policyBrand: unique symbol;

/**
 * A validated, normalised, deep-frozen policy. Only {@link definePolicy} and
 * {@link validatePolicy} make one, so every function that takes a `Policy` can trust it.
 */
export interface Policy {
  readonly rules: readonly ProtectionRule[];
  readonly caseInsensitive: boolean;
  /** Lower-case, without leading `.`; or `["*"]`. */
  readonly extensions: readonly string[];
  /** Sorted in ASCII order: `!`, `-`, `/`, `_`. */
  readonly delimiters: readonly Delimiter[];
  /** The style catalogue, when the policy has one. */
  readonly styles?: readonly string[];
  /** Whether `key@params` processing reaches the bucket through its OSS hosts. */
  readonly atProcessing: boolean;
  readonly [policyBrand]: true;
}

/** Stable machine codes of {@link PolicyIssue}. */
export type PolicyIssueCode =
  | 'not-an-object'
  | 'not-plain-data'
  | 'unreadable'
  | 'unknown-field'
  | 'wrong-type'
  | 'too-many-rules'
  | 'rule-needs-prefix-or-suffix'
  | 'empty'
  | 'too-long'
  | 'leading-slash'
  | 'not-unicode'
  | 'invalid-extension'
  | 'duplicate-extension'
  | 'wildcard-mixed'
  | 'invalid-delimiter'
  | 'duplicate-delimiter'
  | 'too-many-styles'
  | 'invalid-style-name'
  | 'duplicate-style';

/** One validation problem. */
export interface PolicyIssue {
  /** Where: `['rules', 3, 'prefix']`; `[]` for the policy itself. */
  readonly path: readonly (string | number)[];
  /** The same path for people: `rules[3].prefix` (`(root)` for the policy itself). */
  readonly at: string;
  readonly code: PolicyIssueCode;
  /** A sentence a person can act on. */
  readonly message: string;
}

/** The result of {@link validatePolicy}. */
export type ValidationResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

/** Thrown by {@link definePolicy}; `.issues` lists every problem, the message lists them too. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    const n = issues.length;
    super(
      `Invalid policy (${n} problem${n === 1 ? '' : 's'}):\n${issues
        .map((i) => `  - ${i.at}: ${i.message} [${i.code}]`)
        .join('\n')}`,
    );
    this.issues = issues;
  }
}

/**
 * Render a JSON path for people: `['rules', 3, 'prefix']` → `rules[3].prefix`.
 *
 * @example
 * formatPath(['rules', 0, 'suffix']) // 'rules[0].suffix'
 */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
