/**
 * OSS's error response for a denial (docs/behaviour.md#error-responses): status, headers and the
 * XML error document.
 * @module
 */
import type { Denial } from './evaluate.js';

/** What {@link errorResponse} returns: ready to send. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The XML error document; empty for `HEAD`. */
  readonly body: string;
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** `x-oss-request-id` and `<RequestId>`. Absent: 24 random upper-case hex digits. */
  readonly requestId?: string;
  /** `<HostId>`. Absent: the request's host (empty when it had none). */
  readonly hostId?: string;
  /** The request method: `HEAD` gets no body. Absent: the decision's method. */
  readonly method?: string;
}

// XML 1.0 cannot carry these at all, escaped or not (C0 controls but tab/LF/CR, U+FFFE/U+FFFF,
// lone surrogates): they are replaced.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escape text for XML content or attributes; characters XML cannot hold become U+FFFD. */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string);
}

function randomRequestId(): string {
  const bytes = new Uint8Array(12);
  const crypto = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } })
    .crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out.toUpperCase();
}

/**
 * Turn a denial into the response OSS sends (docs/behaviour.md#error-responses): the status,
 * `Content-Type: application/xml`, `x-oss-request-id`, `x-oss-ec` when there is an EC, and the XML
 * error document (no body for `HEAD`). Every value is XML-escaped.
 *
 * @example
 * const decision = evaluate(request, policy);
 * if (!decision.allow) {
 *   const { status, headers, body } = errorResponse(decision, { requestId: 'ABC' });
 *   return new Response(body || null, { status, headers });
 * }
 */
export function errorResponse(decision: Denial, options?: ErrorResponseOptions): ErrorResponse {
  const requestId = options?.requestId ?? randomRequestId();
  const hostId = options?.hostId ?? decision.host ?? '';
  const headers: Record<string, string> = {
    'content-type': 'application/xml',
    'x-oss-request-id': requestId,
  };
  if (decision.ec !== undefined) headers['x-oss-ec'] = decision.ec;
  if ((options?.method ?? decision.method).toUpperCase() === 'HEAD')
    return { status: decision.status, headers, body: '' };
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    `  <Code>${xmlEscape(decision.code)}</Code>\n` +
    `  <Message>${xmlEscape(decision.message)}</Message>\n` +
    `  <RequestId>${xmlEscape(requestId)}</RequestId>\n` +
    `  <HostId>${xmlEscape(hostId)}</HostId>\n` +
    (decision.ec === undefined ? '' : `  <EC>${xmlEscape(decision.ec)}</EC>\n`) +
    '</Error>\n';
  return { status: decision.status, headers, body };
}
