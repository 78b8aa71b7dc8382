/**
 * Policy validation (docs/behaviour.md#validation): untrusted input → a normalised, deep-frozen
 * {@link Policy}, or every problem at once, each with a path, a code and a sentence.
 * @module
 */
import { LIMITS } from '../oss/limits.js';
import {
  DELIMITERS,
  type Delimiter,
  EXTENSION,
  STYLE_NAME,
  STYLE_NAME_RULE,
} from '../oss/names.js';
import { LONE_SURROGATE, utf8Length } from '../oss/text.js';
import {
  formatPath,
  type Policy,
  PolicyError,
  type PolicyInput,
  type PolicyIssue,
  type PolicyIssueCode,
  type ProtectionRule,
  type ValidationResult,
} from './model.js';

const TOP_FIELDS = new Set([
  '$schema',
  'rules',
  'caseInsensitive',
  'extensions',
  'delimiters',
  'styles',
  'atProcessing',
]);
const RULE_FIELDS = new Set(['prefix', 'suffix', 'caseInsensitive']);

/**
 * What a wrong value is, for an error message: `null`, `undefined`, `an array`, `an object`,
 * `a number`… @internal
 */
export const describeValue = (v: unknown): string => {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  const type = typeof v;
  return type === 'object' ? 'an object' : `a ${type}`;
};

type Path = readonly (string | number)[];

class Collector {
  readonly issues: PolicyIssue[] = [];
  add(path: Path, code: PolicyIssueCode, message: string): void {
    this.issues.push(
      Object.freeze({ path: Object.freeze([...path]), at: formatPath(path), code, message }),
    );
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why an object is not plain data, or undefined when it is: a plain object's prototype is
 * `Object.prototype` (of any realm) or null, and its fields are data, not getters. A class
 * instance or an object whose fields are inherited would otherwise read as an empty policy.
 */
function notPlain(obj: Record<string, unknown>): string | undefined {
  const proto = Object.getPrototypeOf(obj);
  if (proto !== null && Object.getPrototypeOf(proto) !== null) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object'
      ? `an instance of ${name}`
      : 'an object that inherits its fields';
  }
  for (const key of Object.keys(obj)) {
    const d = Object.getOwnPropertyDescriptor(obj, key);
    if (d !== undefined && !('value' in d)) return `an object whose "${key}" is a getter`;
  }
  return undefined;
}

/** Plain data, or an issue at `path` saying what it is instead. */
function checkPlain(c: Collector, obj: Record<string, unknown>, path: Path, what: string): boolean {
  const problem = notPlain(obj);
  if (problem === undefined) return true;
  c.add(path, 'not-plain-data', `${what} must be plain data (as JSON gives), not ${problem}.`);
  return false;
}

/** Own properties only: nothing inherited (or planted on `Object.prototype`) is read as policy. */
const own = (obj: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(obj, key) ? obj[key] : undefined;

function checkUnknown(
  c: Collector,
  obj: Record<string, unknown>,
  allowed: Set<string>,
  path: Path,
  what: string,
): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) {
      c.add(
        [...path, k],
        'unknown-field',
        `Unknown field "${k}" in ${what}; allowed: ${[...allowed].join(', ')}.`,
      );
    }
  }
}

function readBoolean(
  c: Collector,
  obj: Record<string, unknown>,
  key: string,
  path: Path,
): boolean | undefined {
  const v = own(obj, key);
  if (v === undefined || typeof v === 'boolean') return v;
  c.add([...path, key], 'wrong-type', `"${key}" must be true or false, not ${describeValue(v)}.`);
  return undefined;
}

function readArray(
  c: Collector,
  obj: Record<string, unknown>,
  key: string,
): readonly unknown[] | undefined {
  const v = own(obj, key);
  if (v === undefined || Array.isArray(v)) return v;
  c.add([key], 'wrong-type', `"${key}" must be an array, not ${describeValue(v)}.`);
  return undefined;
}

function readAffix(
  c: Collector,
  rule: Record<string, unknown>,
  key: 'prefix' | 'suffix',
  path: Path,
): string | undefined {
  const v = own(rule, key);
  if (v === undefined) return undefined;
  const at = [...path, key];
  if (typeof v !== 'string') {
    c.add(at, 'wrong-type', `The ${key} must be a string, not ${describeValue(v)}.`);
    return undefined;
  }
  if (v === '') {
    c.add(at, 'empty', `The ${key} is empty; remove it or give at least one character.`);
    return undefined;
  }
  if (LONE_SURROGATE.test(v)) {
    c.add(
      at,
      'not-unicode',
      `The ${key} contains a lone surrogate, which no UTF-8 object key can hold.`,
    );
    return undefined;
  }
  const bytes = utf8Length(v);
  if (bytes > LIMITS.maxAffixBytes) {
    c.add(
      at,
      'too-long',
      `The ${key} is ${bytes} UTF-8 bytes; OSS allows at most ${LIMITS.maxAffixBytes}.`,
    );
    return undefined;
  }
  if (key === 'prefix' && (v[0] === '/' || v[0] === '\\')) {
    c.add(
      at,
      'leading-slash',
      `The prefix starts with "${v[0]}", which no object key can; drop the leading "${v[0]}".`,
    );
    return undefined;
  }
  return v;
}

function readRules(
  c: Collector,
  input: Record<string, unknown>,
  defaultCi: boolean,
): ProtectionRule[] {
  const list = readArray(c, input, 'rules') ?? [];
  if (list.length > LIMITS.maxRules) {
    c.add(
      ['rules'],
      'too-many-rules',
      `A policy has at most ${LIMITS.maxRules} rules; this one has ${list.length}.`,
    );
  }
  const rules: ProtectionRule[] = [];
  list.forEach((raw, i) => {
    const path = ['rules', i];
    if (!isRecord(raw)) {
      c.add(
        path,
        'wrong-type',
        `Each rule must be an object with "prefix" and/or "suffix", not ${describeValue(raw)}.`,
      );
      return;
    }
    if (!checkPlain(c, raw, path, 'Each rule')) return;
    checkUnknown(c, raw, RULE_FIELDS, path, 'a rule');
    const prefix = readAffix(c, raw, 'prefix', path);
    const suffix = readAffix(c, raw, 'suffix', path);
    const ci = readBoolean(c, raw, 'caseInsensitive', path);
    if (own(raw, 'prefix') === undefined && own(raw, 'suffix') === undefined) {
      c.add(path, 'rule-needs-prefix-or-suffix', 'A rule needs a "prefix", a "suffix", or both.');
    }
    rules.push({
      ...(prefix === undefined ? {} : { prefix }),
      ...(suffix === undefined ? {} : { suffix }),
      caseInsensitive: ci ?? defaultCi,
    });
  });
  return rules;
}

function readStrings(c: Collector, list: readonly unknown[], key: string): (string | undefined)[] {
  return list.map((v, i) => {
    if (typeof v === 'string') return v;
    c.add(
      [key, i],
      'wrong-type',
      `Each entry of "${key}" must be a string, not ${describeValue(v)}.`,
    );
    return undefined;
  });
}

function readExtensions(c: Collector, input: Record<string, unknown>): string[] {
  const list = readStrings(c, readArray(c, input, 'extensions') ?? [], 'extensions');
  const out: string[] = [];
  const seen = new Map<string, number>();
  list.forEach((v, i) => {
    if (v === undefined) return;
    if (v === '*') {
      if (list.length > 1) {
        c.add(
          ['extensions', i],
          'wildcard-mixed',
          '"*" already protects every image; it must be the only extension.',
        );
      } else out.push('*');
      return;
    }
    if (!EXTENSION.test(v)) {
      c.add(
        ['extensions', i],
        'invalid-extension',
        `"${v}" is not an extension: use 1–16 letters or digits, optionally after one leading ".".`,
      );
      return;
    }
    const ext = (v[0] === '.' ? v.slice(1) : v).toLowerCase();
    const first = seen.get(ext);
    if (first !== undefined) {
      c.add(
        ['extensions', i],
        'duplicate-extension',
        `"${v}" repeats extensions[${first}] (extensions compare without "." and case).`,
      );
      return;
    }
    seen.set(ext, i);
    out.push(ext);
  });
  return out;
}

function readDelimiters(c: Collector, input: Record<string, unknown>): Delimiter[] {
  const list = readStrings(c, readArray(c, input, 'delimiters') ?? [], 'delimiters');
  const found = new Set<Delimiter>();
  list.forEach((v, i) => {
    if (v === undefined) return;
    if (!(DELIMITERS as readonly string[]).includes(v)) {
      c.add(
        ['delimiters', i],
        'invalid-delimiter',
        `"${v}" is not a style delimiter; OSS offers "-", "_", "/" and "!".`,
      );
    } else if (found.has(v as Delimiter)) {
      c.add(['delimiters', i], 'duplicate-delimiter', `"${v}" is listed twice.`);
    } else found.add(v as Delimiter);
  });
  return DELIMITERS.filter((d) => found.has(d));
}

function readStyles(c: Collector, input: Record<string, unknown>): string[] | undefined {
  const raw = readArray(c, input, 'styles');
  if (raw === undefined) return undefined;
  if (raw.length > LIMITS.maxStyles) {
    c.add(
      ['styles'],
      'too-many-styles',
      `A catalogue holds at most ${LIMITS.maxStyles} styles; this one has ${raw.length}.`,
    );
  }
  const out: string[] = [];
  readStrings(c, raw, 'styles').forEach((v, i) => {
    if (v === undefined) return;
    if (!STYLE_NAME.test(v)) {
      c.add(['styles', i], 'invalid-style-name', `"${v}" is not a style name: ${STYLE_NAME_RULE}.`);
    } else if (out.includes(v)) {
      c.add(['styles', i], 'duplicate-style', `"${v}" is listed twice.`);
    } else out.push(v);
  });
  return out;
}

const defined = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function build(input: unknown): ValidationResult {
  const c = new Collector();
  if (!isRecord(input)) {
    c.add([], 'not-an-object', `A policy must be a JSON object, not ${describeValue(input)}.`);
    return { ok: false, issues: c.issues };
  }
  if (!checkPlain(c, input, [], 'A policy')) return { ok: false, issues: c.issues };
  checkUnknown(c, input, TOP_FIELDS, [], 'the policy');
  const schema = own(input, '$schema');
  if (schema !== undefined && typeof schema !== 'string') {
    c.add(['$schema'], 'wrong-type', `"$schema" must be a string, not ${describeValue(schema)}.`);
  }
  const caseInsensitive = readBoolean(c, input, 'caseInsensitive', []) ?? false;
  const rules = readRules(c, input, caseInsensitive);
  const extensions = readExtensions(c, input);
  const delimiters = readDelimiters(c, input);
  const styles = readStyles(c, input);
  const atProcessing = readBoolean(c, input, 'atProcessing', []) ?? false;
  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  const policy = deepFreeze({
    rules,
    caseInsensitive,
    extensions,
    delimiters,
    ...(styles === undefined ? {} : { styles }),
    atProcessing,
  }) as unknown as Policy;
  defined.add(policy);
  return { ok: true, policy };
}

/**
 * Validate untrusted input (a parsed JSON file, say) as a policy. Never throws.
 *
 * @example
 * const result = validatePolicy(JSON.parse(text));
 * if (!result.ok) for (const i of result.issues) console.error(`${i.at}: ${i.message}`);
 */
export function validatePolicy(input: unknown): ValidationResult {
  try {
    return build(input);
  } catch (error) {
    // Only exotic input gets here (a Proxy or a getter that throws): report it, never rethrow.
    const message = `The input could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    return {
      ok: false,
      issues: [
        Object.freeze({ path: Object.freeze([]), at: '(root)', code: 'unreadable', message }),
      ],
    };
  }
}

/**
 * Validate and normalise a policy: extensions lower-cased without `.`, delimiters sorted, each
 * rule's `caseInsensitive` resolved. The result is deep-frozen.
 *
 * @throws {PolicyError} listing every problem when the input is not a valid policy.
 * @example
 * const policy = definePolicy({
 *   rules: [{ prefix: 'image/' }],
 *   extensions: ['jpg', '.PNG'],
 *   delimiters: ['!'],
 *   styles: ['small'],
 * });
 * policy.extensions // ['jpg', 'png']
 */
export function definePolicy(input: PolicyInput): Policy {
  const result = validatePolicy(input);
  if (!result.ok) throw new PolicyError(result.issues);
  return result.policy;
}

/** True when `value` was made by {@link definePolicy} or {@link validatePolicy} in this module instance. */
export function isPolicy(value: unknown): value is Policy {
  return typeof value === 'object' && value !== null && defined.has(value);
}
