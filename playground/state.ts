/**
 * The playground's state and its two text forms: the location hash (a share link) and the
 * request list as a person types it. Pure functions, so Node tests use them as the page does.
 *
 * Hash: `#policy=<base64url of the policy text>&url=<encodeURIComponent(url)>&url=…`; after a
 * `url=`, `method=<METHOD>` (absent: GET) and any number of `h=<encodeURIComponent("Name: value")>`
 * belong to that URL.
 *
 * Request list: one request per block, `[METHOD] URL` on its first line, then `Name: value`
 * header lines; blank lines and lines starting with `#` are ignored.
 */

/** One request of the list. */
export interface RequestSpec {
  readonly url: string;
  /** Upper-case; `GET` unless the line names another. */
  readonly method: string;
  /** `Name: value`, as written. */
  readonly headers: readonly string[];
}

/** Everything the page shows is computed from this. */
export interface PlaygroundState {
  /** The policy's JSON text as typed (kept as text, so a share link keeps its layout). */
  readonly policyText: string;
  readonly requests: readonly RequestSpec[];
}

/** A line of the request list that is neither a request nor a header. */
export interface RequestProblem {
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

/** UTF-8 text → base64url without padding (RFC 4648 §5). */
export function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padding optional) → UTF-8 text; undefined when it is not base64url of UTF-8. */
export function fromBase64Url(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) return undefined;
  try {
    const binary = atob(encoded.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The hash of a state, `#` included.
 *
 * @example
 * encodeHash({ policyText: '{}', requests: [{ url: 'https://b.oss-cn-hangzhou.aliyuncs.com/a', method: 'GET', headers: [] }] })
 * // '#policy=e30&url=https%3A%2F%2Fb.oss-cn-hangzhou.aliyuncs.com%2Fa'
 */
export function encodeHash(state: PlaygroundState): string {
  const parts = [`policy=${toBase64Url(state.policyText)}`];
  for (const r of state.requests) {
    parts.push(`url=${encodeURIComponent(r.url)}`);
    if (r.method !== 'GET') parts.push(`method=${encodeURIComponent(r.method)}`);
    for (const h of r.headers) parts.push(`h=${encodeURIComponent(h)}`);
  }
  return `#${parts.join('&')}`;
}

/** What a hash holds: absent parts stay undefined (the page then keeps its defaults). */
export interface DecodedHash {
  readonly policyText: string | undefined;
  readonly requests: readonly RequestSpec[] | undefined;
  /** Parameters that could not be read (bad base64url or escapes, a `method=` before any `url=`). */
  readonly problems: readonly string[];
}

const decodeComponent = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
};

/**
 * Reads a location hash (with or without `#`).
 *
 * @example
 * decodeHash('#policy=e30&url=https%3A%2F%2Fb.oss-cn-hangzhou.aliyuncs.com%2Fa&method=head').requests
 * // [{ url: 'https://b.oss-cn-hangzhou.aliyuncs.com/a', method: 'HEAD', headers: [] }]
 */
export function decodeHash(hash: string): DecodedHash {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  let policyText: string | undefined;
  let requests: { url: string; method: string; headers: string[] }[] | undefined;
  const problems: string[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const raw = eq === -1 ? '' : part.slice(eq + 1);
    if (name === 'policy') {
      policyText = fromBase64Url(raw);
      if (policyText === undefined) problems.push('policy= is not base64url of UTF-8 text');
      continue;
    }
    const value = decodeComponent(raw);
    if (value === undefined) {
      problems.push(`${name}= has an invalid percent escape`);
      continue;
    }
    const last = requests?.[requests.length - 1];
    if (name === 'url') {
      requests ??= [];
      requests.push({ url: value, method: 'GET', headers: [] });
    } else if (name === 'method' || name === 'h') {
      if (last === undefined) problems.push(`${name}= before any url=`);
      else if (name === 'method') last.method = value.toUpperCase();
      else last.headers.push(value);
    }
  }
  return { policyText, requests, problems };
}

const REQUEST_LINE = /^(?:([A-Za-z]+)[ \t]+)?([a-z][a-z0-9+.-]*:\/\/\S*|\/\S*)$/i;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

/**
 * Reads the request list.
 *
 * @example
 * parseRequests('PUT https://b.oss-cn-hangzhou.aliyuncs.com/c.jpg\nx-oss-copy-source: /b/a.jpg').requests
 * // [{ url: 'https://b.oss-cn-hangzhou.aliyuncs.com/c.jpg', method: 'PUT', headers: ['x-oss-copy-source: /b/a.jpg'] }]
 */
export function parseRequests(text: string): {
  requests: RequestSpec[];
  problems: RequestProblem[];
} {
  const requests: { url: string; method: string; headers: string[] }[] = [];
  const problems: RequestProblem[] = [];
  let current: { headers: string[] } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      current = undefined;
      return;
    }
    if (line.startsWith('#')) return;
    const request = REQUEST_LINE.exec(line);
    if (request) {
      const entry = {
        url: request[2] as string,
        method: (request[1] ?? 'GET').toUpperCase(),
        headers: [],
      };
      requests.push(entry);
      current = entry;
      return;
    }
    const header = HEADER_LINE.exec(line);
    if (header && current !== undefined) {
      current.headers.push(`${header[1]}: ${header[2]}`);
      return;
    }
    problems.push({
      line: i + 1,
      message: header
        ? 'A header line belongs under a request line (no blank line between them).'
        : 'Not a request ("[METHOD] URL": an absolute URL, or a /path with a Host header) nor a header ("Name: value").',
    });
  });
  return { requests, problems };
}

/** The request list as text: what {@link parseRequests} reads back to the same requests. */
export function formatRequests(requests: readonly RequestSpec[]): string {
  // A request line always starts a new request, so no blank line is needed between them; one
  // after a request with headers keeps the list readable.
  return requests
    .map((r, i) => {
      const lines = [`${r.method === 'GET' ? '' : `${r.method} `}${r.url}`, ...r.headers];
      const gap = i < requests.length - 1 && r.headers.length > 0 ? '\n' : '';
      return lines.join('\n') + gap;
    })
    .join('\n');
}

/** `Name: value` lines → `[name, value]` pairs, as `evaluate` takes headers. */
export function headerPairs(headers: readonly string[]): [string, string][] {
  return headers.map((h) => {
    const colon = h.indexOf(':');
    return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
  });
}
