/**
 * The playground page: a policy and a list of requests in, and for each request the decision
 * `evaluate` makes, with its readings, the rule tests of `explainProtection` and the XML error
 * body of `errorResponse`. Everything runs here, from the library's own sources; the state lives
 * in the location hash (see state.ts), so a link reproduces it.
 */

import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import { jsonSyntaxError } from '../src/cli/json-syntax.js';
import { jsonOffsets, locate } from '../src/cli/positions.js';
import {
  type Decision,
  errorResponse,
  evaluate,
  explainProtection,
  lintPolicy,
  type Policy,
  type ProtectionMatch,
  type ProtectionRule,
  type ReadingDecision,
  validatePolicy,
} from '../src/index.js';
import { lineColumn } from '../src/policy/xml.js';
import {
  decodeHash,
  encodeHash,
  formatRequests,
  headerPairs,
  type PlaygroundState,
  parseRequests,
  type RequestSpec,
} from './state.js';

const HOST = 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

/** What the page shows when the hash is empty: the CLI's example policy and a request of each kind. */
const DEFAULT_STATE: PlaygroundState = {
  policyText: `${JSON.stringify(EXAMPLE_POLICY, null, 2)}\n`,
  requests: [
    { url: `${HOST}/image/cat.jpg`, method: 'GET', headers: [] },
    { url: `${HOST}/image/cat.jpg?x-oss-process=style/small`, method: 'GET', headers: [] },
    { url: `${HOST}/image/cat.jpg!thumb`, method: 'GET', headers: [] },
    {
      url: `${HOST}/photos/Beach.PNG?x-oss-process=image/resize,w_100`,
      method: 'GET',
      headers: [],
    },
    { url: `${HOST}/image/cat.jpg?x-oss-process=style/large`, method: 'GET', headers: [] },
    { url: `${HOST}/docs/readme.txt`, method: 'GET', headers: [] },
    {
      url: `${HOST}/copies/scan.tif`,
      method: 'PUT',
      headers: ['x-oss-copy-source: /examplebucket/raw/scan.tif'],
    },
  ],
};

// A fixed request ID: the same link shows the same body (OSS would send a fresh one).
const REQUEST_ID = '5C3D9175B6FC201293AD4890';

type Child = Node | string | undefined | false;

/** A DOM element; text is always text (URLs and keys come from the hash, never markup). */
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== false) node.append(c);
  return node;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} is missing from the page`);
  return node as T;
};

const policyInput = byId<HTMLTextAreaElement>('policy');
const requestsInput = byId<HTMLTextAreaElement>('requests');
const policyStatus = byId('policy-status');
const diagnostics = byId('diagnostics');
const requestProblems = byId('request-problems');
const results = byId('results');
const summary = byId('summary');
const shareField = byId<HTMLInputElement>('share-link');
const shareStatus = byId('share-status');

/** Text of a protection match, as the CLI words it. */
function describeMatch(match: ProtectionMatch | undefined): string {
  if (match === undefined) return 'not protected';
  if (match.kind === 'extension') return `extension .${match.extension}`;
  if (match.kind === 'wildcard') return 'extensions ["*"] (every image)';
  return `rule ${match.index} (${describeRule(match.rule)})`;
}

function describeRule(rule: ProtectionRule): string {
  const parts = [];
  if (rule.prefix !== undefined) parts.push(`prefix "${rule.prefix}"`);
  if (rule.suffix !== undefined) parts.push(`suffix "${rule.suffix}"`);
  if (rule.caseInsensitive) parts.push('any case');
  return parts.join(', ');
}

/** One sentence per reason: what the decision means for the request. */
const REASONS: Record<Decision['reason'], string> = {
  'not-a-read': 'Not a read of an object: protection does not apply.',
  signed: 'Carries a well-formed signature (detected, not verified): protection does not apply.',
  'not-an-object': 'A bucket-level request: it names no object.',
  'not-protected': 'No reading of the request names a protected object.',
  style: 'Protected, and every reading goes through a style.',
  'invalid-request': 'OSS cannot read this as a request.',
  'malformed-signature': 'A signature that is incomplete, broken, doubled or of two schemes.',
  'expired-signature': 'A query signature past its expiry.',
  'invalid-signature': 'A signature that failed verification.',
  'no-such-style': 'The query names a style that is not in the catalogue.',
  original: 'An anonymous read of a protected original.',
  'inline-processing': 'Anonymous inline processing of a protected object.',
  'ambiguous-processing': 'A processing parameter servers read differently, on a protected object.',
  'protected-watermark': 'Inline processing that would embed a protected object as a watermark.',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
};

function fact(name: string, value: Child): HTMLElement[] {
  return [el('dt', {}, name), el('dd', {}, value)];
}

const code = (text: string) => el('code', {}, text);
const mark = (value: boolean | undefined) =>
  value === undefined ? '—' : el('span', { class: value ? 'yes' : 'no' }, value ? 'yes' : 'no');

function readingsTable(readings: readonly ReadingDecision[]): HTMLElement {
  const head = el(
    'tr',
    {},
    ...['Key', 'Access', 'Style', 'Read by', 'Protected by', 'Verdict'].map((h) =>
      el('th', { scope: 'col' }, h),
    ),
  );
  const rows = readings.map((r) =>
    el(
      'tr',
      {},
      el('td', {}, code(r.key)),
      el('td', {}, r.access + (r.pathProcessing === undefined ? '' : ` (${r.pathProcessing})`)),
      el(
        'td',
        {},
        r.style === undefined ? '—' : code(r.style),
        r.delimiter !== undefined && ` via ${r.delimiter}`,
      ),
      el('td', {}, r.source),
      el('td', {}, describeMatch(r.match)),
      el(
        'td',
        {},
        el('span', { class: r.allowed ? 'yes' : 'no' }, r.allowed ? 'allowed' : 'denied'),
      ),
    ),
  );
  return el(
    'div',
    { class: 'scroll' },
    el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
  );
}

function ruleTests(key: string, policy: Policy): HTMLElement {
  const x = explainProtection(key, policy);
  const head = el(
    'tr',
    {},
    ...['Rule', 'Prefix', 'Suffix', 'Prefix matches', 'Suffix matches', 'Matches'].map((h) =>
      el('th', { scope: 'col' }, h),
    ),
  );
  const rows = x.rules.map((t) =>
    el(
      'tr',
      {},
      el('td', {}, String(t.index), t.rule.caseInsensitive && ' (any case)'),
      el('td', {}, t.rule.prefix === undefined ? '—' : code(t.rule.prefix)),
      el('td', {}, t.rule.suffix === undefined ? '—' : code(t.rule.suffix)),
      el('td', {}, mark(t.prefixMatches)),
      el('td', {}, mark(t.suffixMatches)),
      el('td', {}, mark(t.matches)),
    ),
  );
  const ext = x.wildcard
    ? `Extensions ["*"]: every image is protected; with no content type known, every key.`
    : x.extension === undefined
      ? 'The key has no extension.'
      : `Extension "${x.extension}": ${x.extensionListed ? 'listed, so protected' : 'not listed'}.`;
  return el(
    'div',
    { class: 'rule-tests' },
    el('h4', {}, 'Rule tests for ', code(key)),
    x.rules.length === 0
      ? el('p', {}, 'The policy has no rules.')
      : el(
          'div',
          { class: 'scroll' },
          el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
        ),
    el('p', {}, ext, ' Verdict: ', el('strong', {}, describeMatch(x.match)), '.'),
  );
}

function decide(spec: RequestSpec, policy: Policy): Decision {
  return evaluate(
    { url: spec.url, method: spec.method, headers: headerPairs(spec.headers) },
    policy,
  );
}

function resultCard(spec: RequestSpec, index: number, policy: Policy | undefined): HTMLElement {
  const title = el(
    'h3',
    { class: 'request' },
    el('span', { class: 'method' }, spec.method),
    ' ',
    el('span', { class: 'url' }, spec.url),
  );
  const headers =
    spec.headers.length > 0 &&
    el(
      'ul',
      { class: 'headers', 'aria-label': 'Request headers' },
      ...spec.headers.map((h) => el('li', {}, code(h))),
    );
  if (policy === undefined) {
    return el(
      'article',
      { class: 'result pending', 'data-index': String(index) },
      title,
      headers,
      el('p', { class: 'muted' }, 'No decision while the policy is invalid.'),
    );
  }
  const d = decide(spec, policy);
  const status = d.allow ? 200 : d.status;
  const verdict = d.allow ? 'ALLOW' : 'DENY';
  const facts = el(
    'dl',
    { class: 'facts' },
    ...fact('Reason', el('span', {}, code(d.reason), ' ', REASONS[d.reason])),
    ...(d.allow
      ? []
      : fact(
          'Response',
          el(
            'span',
            {},
            `${d.status} `,
            code(d.code),
            ` ${d.message}`,
            d.ec !== undefined && ' EC ',
            d.ec !== undefined && code(d.ec),
          ),
        )),
    ...(d.key === undefined
      ? []
      : fact(d.via === undefined ? 'Key' : `Key (${d.via})`, code(d.key))),
    ...(d.style === undefined ? [] : fact('Style', code(d.style))),
    ...(d.key === undefined ? [] : fact('Protected by', describeMatch(d.match))),
    ...(d.bucket === undefined ? [] : fact('Bucket', code(d.bucket))),
    ...(d.signature === undefined ? [] : fact('Signature', d.signature.kind)),
    ...(d.hint === undefined ? [] : fact('Hint', d.hint)),
  );
  const keys = [...new Set(d.readings.map((r) => r.key))];
  const sections: Child[] = [];
  if (d.readings.length > 0) {
    sections.push(
      el(
        'details',
        { class: 'readings', ...(d.readings.length > 1 ? { open: '' } : {}) },
        el('summary', {}, `Readings (${d.readings.length})`),
        readingsTable(d.readings),
        ...keys.map((k) => ruleTests(k, policy)),
      ),
    );
  }
  if (!d.allow) {
    const response = errorResponse(d, { requestId: REQUEST_ID });
    const head = [
      `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? ''}`.trimEnd(),
      ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`),
    ].join('\n');
    sections.push(
      el(
        'details',
        { class: 'response' },
        el('summary', {}, `Error response (${response.status} ${d.code})`),
        el('pre', { class: 'xml' }, `${head}\n\n${response.body || '(no body: HEAD)'}`),
      ),
    );
  }
  return el(
    'article',
    {
      class: `result ${d.allow ? 'allow' : 'deny'}`,
      'data-index': String(index),
      'data-decision': d.allow ? 'allow' : 'deny',
      'data-status': String(status),
      'data-reason': d.reason,
    },
    el('div', { class: 'verdict' }, el('span', { class: 'badge' }, `${verdict} ${status}`)),
    title,
    headers,
    facts,
    ...sections,
  );
}

/** A problem or warning item that puts the caret where it is when activated. */
function located(
  kind: 'error' | 'warning',
  at: string,
  where: { line: number; column: number },
  message: string,
  codeName: string,
  offset: number,
) {
  const button = el(
    'button',
    {
      type: 'button',
      class: 'goto',
      'aria-label': `Go to line ${where.line}, column ${where.column}`,
    },
    `${where.line}:${where.column}`,
  );
  button.addEventListener('click', () => {
    policyInput.focus();
    policyInput.setSelectionRange(offset, offset);
  });
  return el(
    'li',
    { class: kind, 'data-at': at, 'data-code': codeName },
    button,
    ' ',
    el('code', { class: 'at' }, at),
    ' ',
    el('span', {}, message),
    ' ',
    el('span', { class: 'code-name' }, `[${codeName}]`),
  );
}

/** Offset of a line and column (both 1-based) in `text`. */
function offsetOf(text: string, where: { line: number; column: number }): number {
  let offset = 0;
  for (let line = 1; line < where.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + where.column - 1;
}

/** Validates the policy text; shows issues or warnings; returns the policy when it is valid. */
function checkPolicy(text: string): Policy | undefined {
  diagnostics.replaceChildren();
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const found = jsonSyntaxError(text);
    const offset = found?.offset ?? 0;
    const message = found?.message ?? (error instanceof Error ? error.message : String(error));
    const where = lineColumn(text, offset);
    diagnostics.append(
      located('error', '(JSON)', where, `Not JSON: ${message}`, 'json-syntax', offset),
    );
    setStatus('invalid', 'Not valid JSON');
    return undefined;
  }
  const result = validatePolicy(input);
  const offsets = jsonOffsets(text);
  if (!result.ok) {
    for (const issue of result.issues) {
      const where = locate(text, offsets, issue.path, issue.code === 'unknown-field');
      diagnostics.append(
        located('error', issue.at, where, issue.message, issue.code, offsetOf(text, where)),
      );
    }
    const n = result.issues.length;
    setStatus('invalid', `Invalid policy: ${n} problem${n === 1 ? '' : 's'}`);
    return undefined;
  }
  const warnings = lintPolicy(result.policy);
  for (const w of warnings) {
    const where = locate(text, offsets, w.path);
    diagnostics.append(located('warning', w.at, where, w.message, w.code, offsetOf(text, where)));
  }
  const n = warnings.length;
  setStatus(
    n === 0 ? 'valid' : 'warnings',
    n === 0 ? 'Valid policy' : `Valid policy, ${n} warning${n === 1 ? '' : 's'}`,
  );
  return result.policy;
}

function setStatus(state: 'valid' | 'warnings' | 'invalid', text: string): void {
  policyStatus.dataset.state = state;
  policyStatus.textContent = text;
  policyInput.setAttribute('aria-invalid', String(state === 'invalid'));
}

/** Grows a text field to its content (within bounds), so the whole policy is in view. */
function fitRows(area: HTMLTextAreaElement, min: number, max: number): void {
  const lines = area.value.split('\n').length + 1;
  area.rows = Math.min(max, Math.max(min, lines));
}

/** Recomputes everything from the two text fields and writes the state into the hash. */
function update(): void {
  fitRows(policyInput, 8, 40);
  fitRows(requestsInput, 4, 30);
  const policy = checkPolicy(policyInput.value);
  const { requests, problems } = parseRequests(requestsInput.value);
  requestProblems.replaceChildren(
    ...problems.map((p) => el('li', { class: 'error' }, `Line ${p.line}: ${p.message}`)),
  );
  results.replaceChildren(...requests.map((r, i) => resultCard(r, i, policy)));
  if (requests.length === 0)
    results.append(el('p', { class: 'muted' }, 'Add a request URL to see its decision.'));
  const denied = results.querySelectorAll('[data-decision="deny"]').length;
  const allowed = results.querySelectorAll('[data-decision="allow"]').length;
  summary.textContent =
    policy === undefined
      ? `${requests.length} request${requests.length === 1 ? '' : 's'}; fix the policy to see decisions.`
      : `${requests.length} request${requests.length === 1 ? '' : 's'}: ${allowed} allowed, ${denied} denied.`;
  const hash = encodeHash({ policyText: policyInput.value, requests });
  if (location.hash !== hash) history.replaceState(null, '', hash);
  shareField.value = location.href;
}

/** Fills the fields from the hash (defaults for what it lacks) and renders. */
function load(): void {
  const hash = location.hash;
  const decoded = decodeHash(hash);
  const empty = hash === '' || hash === '#';
  policyInput.value = decoded.policyText ?? (empty ? DEFAULT_STATE.policyText : '{}');
  requestsInput.value = formatRequests(decoded.requests ?? (empty ? DEFAULT_STATE.requests : []));
  const hashProblems = byId('hash-problems');
  hashProblems.replaceChildren(
    ...decoded.problems.map((p) => el('li', { class: 'error' }, `The link: ${p}.`)),
  );
  update();
}

policyInput.addEventListener('input', update);
requestsInput.addEventListener('input', update);
// Only a hash that carries state replaces it; a plain fragment (`#results-heading`) does not.
window.addEventListener('hashchange', () => {
  if (/(?:^#|&)(?:policy|url)=/.test(location.hash)) load();
});

// The skip link moves focus without touching the hash, which holds the state.
byId('skip').addEventListener('click', (event) => {
  event.preventDefault();
  byId('results-heading').focus();
});

byId('copy-link').addEventListener('click', async () => {
  const link = location.href;
  shareField.value = link;
  shareField.hidden = false;
  try {
    await navigator.clipboard.writeText(link);
    shareStatus.textContent = 'Link copied to the clipboard.';
  } catch {
    // No clipboard (no permission, or not a secure context): the field is the way.
    shareStatus.textContent = 'Copy the link from the field.';
  }
  shareField.focus();
  shareField.select();
});

byId('download').addEventListener('click', () => {
  const blob = new Blob([policyInput.value], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: 'policy.json' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

byId('reset').addEventListener('click', () => {
  policyInput.value = DEFAULT_STATE.policyText;
  requestsInput.value = formatRequests(DEFAULT_STATE.requests);
  update();
});

load();
document.documentElement.dataset.ready = 'true';
