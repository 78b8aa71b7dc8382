/**
 * The decision examples of `docs/behaviour.md`, parsed (the contract: `.lead/DOCTEST.md` §5).
 *
 * An example lives in a fenced block whose info string is `decision`, written like an HTTP
 * exchange so a person reads it as one:
 *
 * ```decision
 * policy: {"rules":[{"prefix":"image/"}],"styles":["small"]}
 *
 * # A direct read of a protected original is denied
 * GET https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/cat.jpg
 * → deny 403 original
 *
 * # A request header, one per line, between the request line and the verdict
 * GET https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/cat.jpg
 * Authorization: OSS ak:c2lnbmF0dXJl
 * → allow 200 signed
 * ```
 *
 * - `policy: JSON` (one line) sets the policy of the examples after it in the block; a block
 *   may set it again.
 * - `# TITLE` starts an example; then `METHOD URL`; then any `Name: value` header lines; then
 *   `→ allow 200 REASON` or `→ deny STATUS REASON`.
 * - Blank lines separate examples. Anything else is an error naming the file and line, so a
 *   typo in the reference fails the suite instead of dropping an example.
 *
 * The section of an example is the GitHub-style anchor of the nearest heading above its block.
 */
import { readFileSync } from 'node:fs';

export interface DecisionExample {
  /** The anchor of the docs/behaviour.md section the example sits in, e.g. "styles". */
  readonly section: string;
  /** One line saying what the example shows. */
  readonly title: string;
  /** The policy, as JSON (a PolicyInput). */
  readonly policy: unknown;
  /** The request URL as `evaluate({ url })` takes it (absolute). */
  readonly url: string;
  /** @default 'GET' */
  readonly method?: string;
  /** Request headers; absent: none. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly decision: 'allow' | 'deny';
  /** The HTTP status: the denial's status, or 200 for an allow. */
  readonly status: number;
  /** The decision's `reason`. */
  readonly reason: string;
}

/** A decision example with where it is written, for test names and error messages. */
export interface LocatedDecisionExample extends DecisionExample {
  /** `docs/behaviour.md:LINE`, the line of the example's `#` title. */
  readonly at: string;
}

/** Where the reference lives, from the repository root. */
export const BEHAVIOUR_FILE = 'docs/behaviour.md';

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const REQUEST = /^([A-Za-z]+) (\S+)$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s?(.*)$/;
const VERDICT = /^→ (allow|deny) (\d{3}) ([a-z-]+)$/;

/**
 * GitHub's anchor for a heading: lower-cased, punctuation dropped (letters, digits, spaces,
 * `-` and `_` kept), spaces to `-`; the n-th repeat of an anchor gets `-n`.
 */
export function headingAnchor(text: string, seen: Map<string, number>): string {
  const plain = text
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase();
  const base = plain.replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

/** Every heading anchor of a Markdown text, outside fenced blocks, in order. */
export function markdownAnchors(text: string): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const f = FENCE.exec(line);
    if (f) {
      const mark = f[2] as string;
      if (fence === undefined) fence = mark;
      else if (mark.startsWith(fence) && (f[3] as string).trim() === '') fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const h = HEADING.exec(line);
    if (h) out.push(headingAnchor(h[2] as string, seen));
  }
  return out;
}

/**
 * Parse the decision examples of a Markdown text. Throws an `Error` naming `file:line` on any
 * line of a `decision` block it cannot read.
 */
export function parseDecisionExamples(text: string, file: string): LocatedDecisionExample[] {
  const lines = text.split('\n');
  const seen = new Map<string, number>();
  const out: LocatedDecisionExample[] = [];
  let section = '';
  let fence: string | undefined;
  let inDecision = false;
  let policy: unknown;
  let hasPolicy = false;
  // The example being read: title first, then the request line, then headers.
  let current:
    | {
        title: string;
        line: number;
        method?: string;
        url?: string;
        headers?: Record<string, string>;
      }
    | undefined;

  const fail = (n: number, why: string): never => {
    throw new Error(`${file}:${n + 1}: ${why}`);
  };

  lines.forEach((raw, n) => {
    const line = raw.replace(/\r$/, '');
    const f = FENCE.exec(line);
    if (f && (fence === undefined || ((f[2] as string).startsWith(fence) && f[3]?.trim() === ''))) {
      if (fence === undefined) {
        fence = f[2] as string;
        inDecision = (f[3] as string).trim().split(/\s+/)[0] === 'decision';
        policy = undefined;
        hasPolicy = false;
        current = undefined;
      } else {
        if (inDecision && current !== undefined)
          fail(current.line, `example "${current.title}" has no "→ allow|deny" line`);
        fence = undefined;
        inDecision = false;
      }
      return;
    }
    if (fence === undefined) {
      const h = HEADING.exec(line);
      if (h) section = headingAnchor(h[2] as string, seen);
      return;
    }
    if (!inDecision) return;
    const trimmed = line.trim();
    if (trimmed === '') {
      if (current !== undefined && current.url !== undefined)
        fail(n, `example "${current.title}" ends without a "→ allow|deny" line`);
      return;
    }
    if (current === undefined) {
      if (trimmed.startsWith('policy:')) {
        try {
          policy = JSON.parse(trimmed.slice('policy:'.length));
        } catch (error) {
          fail(n, `the policy is not JSON (${(error as Error).message})`);
        }
        hasPolicy = true;
        return;
      }
      if (trimmed.startsWith('# ')) {
        if (!hasPolicy) fail(n, 'an example before any "policy:" line in its block');
        current = { title: trimmed.slice(2).trim(), line: n };
        return;
      }
      fail(n, `expected "policy: {…}" or "# title", got ${JSON.stringify(trimmed)}`);
    }
    const ex = current as NonNullable<typeof current>;
    if (ex.url === undefined) {
      const r = REQUEST.exec(trimmed);
      if (!r) fail(n, `expected "METHOD URL", got ${JSON.stringify(trimmed)}`);
      const [, method, url] = r as RegExpExecArray;
      if (!/^https?:\/\//.test(url as string)) fail(n, 'the URL must be absolute');
      ex.method = method as string;
      ex.url = url as string;
      return;
    }
    const v = VERDICT.exec(trimmed);
    if (v) {
      const decision = v[1] as 'allow' | 'deny';
      const status = Number(v[2]);
      if (decision === 'allow' && status !== 200) fail(n, 'an allow has status 200');
      if (decision === 'deny' && status === 200) fail(n, 'a denial cannot have status 200');
      out.push({
        section,
        title: ex.title,
        policy,
        url: ex.url,
        method: ex.method as string,
        ...(ex.headers === undefined ? {} : { headers: ex.headers }),
        decision,
        status,
        reason: v[3] as string,
        at: `${file}:${ex.line + 1}`,
      });
      current = undefined;
      return;
    }
    const h = HEADER.exec(trimmed);
    if (!h)
      fail(
        n,
        `expected "Header: value" or "→ allow|deny STATUS REASON", got ${JSON.stringify(trimmed)}`,
      );
    ex.headers ??= {};
    ex.headers[(h as RegExpExecArray)[1] as string] = (h as RegExpExecArray)[2] as string;
  });
  if (fence !== undefined) throw new Error(`${file}: a fenced block is not closed`);
  return out;
}

let cache: LocatedDecisionExample[] | undefined;

/** Every decision example of docs/behaviour.md, in document order. */
export function behaviourDecisions(): readonly DecisionExample[] {
  return locatedBehaviourDecisions();
}

/** {@link behaviourDecisions}, each with the line it is written on. */
export function locatedBehaviourDecisions(): readonly LocatedDecisionExample[] {
  cache ??= parseDecisionExamples(
    readFileSync(new URL(`../../${BEHAVIOUR_FILE}`, import.meta.url), 'utf8'),
    BEHAVIOUR_FILE,
  );
  return cache;
}
