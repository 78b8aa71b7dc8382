/**
 * The decision (SPEC S6): one request, one policy → allow, or deny as OSS would.
 * @module
 */
import { compilePolicy, type ProtectionMatch } from './match.js';
import type { Policy } from './policy.js';
import { headerValue, type RequestLike, requestMethod } from './request.js';
import { classifySignature, type SignatureInfo } from './signature.js';
import {
  type ParsedUrl,
  parseRequestUrl,
  type Reading,
  splitTarget,
  type UrlOptions,
} from './url.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions extends Pick<UrlOptions, 'buckets' | 'bucket'> {
  /** The current time: expired query signatures are then denied. */
  readonly now?: Date | undefined;
  /** The object's `Content-Type`, for `extensions: ["*"]` (S3.3). */
  readonly contentType?: string | undefined;
}

/** Why a request is allowed. */
export type AllowReason =
  /** Not `GET` or `HEAD`: protection governs reads only. */
  | 'not-a-read'
  /** Carries a well-formed signature (detected, not verified). */
  | 'signed'
  /** A bucket-level request: no object key. */
  | 'not-an-object'
  /** No reading's key is protected. */
  | 'not-protected'
  /** Protected, and every reading goes through a style. */
  | 'style';

/** Why a request is denied. */
export type DenyReason =
  /** The target cannot be a valid OSS request (S4): 400, or 403 for path-style. */
  | 'invalid-request'
  /** A signature that is incomplete, broken, doubled, or of two schemes. */
  | 'malformed-signature'
  /** A query signature past its expiry. */
  | 'expired-signature'
  /** A signature that failed verification (`oss-source-guard/verify`). */
  | 'invalid-signature'
  /** A query style missing from the policy's style catalogue: 404. */
  | 'no-such-style'
  /** An anonymous read of a protected original. */
  | 'original'
  /** Anonymous inline processing of a protected object. */
  | 'inline-processing'
  /** `x-oss-process` given twice or with an escaped name on a protected object. */
  | 'ambiguous-processing';

/** A reading with its verdict. */
export interface ReadingDecision extends Reading {
  /** Why the key is protected; absent when it is not. */
  readonly match?: ProtectionMatch;
  readonly allowed: boolean;
}

interface DecisionBase {
  /** Upper-cased. */
  readonly method: string;
  readonly host?: string;
  readonly bucket?: string;
  /** The key of the deciding reading (the first denying one, else the first). */
  readonly key?: string;
  /** The style of the deciding reading, when it used one. */
  readonly style?: string;
  /** Why the deciding reading's key is protected. */
  readonly match?: ProtectionMatch;
  /** More than one reading, or an ambiguous `x-oss-process`. */
  readonly ambiguous: boolean;
  /** Every reading considered, in order (delimiter readings last occurrence first, then the whole path). */
  readonly readings: readonly ReadingDecision[];
  /** Absent when the method is not a read or the request is invalid (not looked at). */
  readonly signature?: SignatureInfo;
  /** What to change when the policy, not the request, is the fix. */
  readonly hint?: string;
}

/** An allowed request. */
export interface Allow extends DecisionBase {
  readonly allow: true;
  readonly reason: AllowReason;
}

/** A denied request, with what OSS answers. */
export interface Denial extends DecisionBase {
  readonly allow: false;
  readonly reason: DenyReason;
  readonly status: 400 | 403 | 404;
  readonly code: string;
  readonly message: string;
  /** OSS's error code (`0040-00000031`), where known. */
  readonly ec?: string;
}

/** The result of {@link evaluate}. */
export type Decision = Allow | Denial;

const ORIGINAL = 'Forbidden access to the original image.';
const CHANNEL = 'The channel can be only accessed using style.';
const CHANNEL_EC = '0040-00000031';
const NO_CATALOGUE_HINT =
  'Without a style catalogue the path may also name an object that ends in the delimiter and style; add "styles" to the policy so the delimiter reading is certain.';

type Common = { -readonly [K in keyof DecisionBase]?: DecisionBase[K] } & { method: string };

function deny(
  common: Common,
  reason: DenyReason,
  status: Denial['status'],
  code: string,
  message: string,
  ec?: string,
): Denial {
  return {
    ...common,
    ambiguous: common.ambiguous ?? false,
    readings: common.readings ?? [],
    allow: false,
    reason,
    status,
    code,
    message,
    ...(ec === undefined ? {} : { ec }),
  };
}

function allow(common: Common, reason: AllowReason): Allow {
  return {
    ...common,
    ambiguous: common.ambiguous ?? false,
    readings: common.readings ?? [],
    allow: true,
    reason,
  };
}

function readingCommon(common: Common, r: ReadingDecision): Common {
  return {
    ...common,
    key: r.key,
    ...(r.style === undefined ? {} : { style: r.style }),
    ...(r.match === undefined ? {} : { match: r.match }),
  };
}

function decideReadings(
  parsed: ParsedUrl,
  policy: Policy,
  common: Common,
  contentType: string | undefined,
): Decision {
  const matcher = compilePolicy(policy);
  const opts = contentType === undefined ? undefined : { contentType };
  const readings: ReadingDecision[] = parsed.readings.map((r) => {
    const match = matcher.match(r.key, opts);
    const allowed = match === undefined || r.access === 'style';
    return match === undefined ? { ...r, allowed } : { ...r, match, allowed };
  });
  const base: Common = {
    ...common,
    readings,
    ambiguous: readings.length > 1 || parsed.process.kind === 'ambiguous',
  };
  const process = parsed.process;
  if (
    process.kind === 'style' &&
    policy.styles !== undefined &&
    !policy.styles.includes(process.style)
  ) {
    return deny(
      readingCommon(base, readings[0] as ReadingDecision),
      'no-such-style',
      404,
      'NoSuchStyle',
      'The specified style does not exist.',
    );
  }
  const denying = readings.find((r) => !r.allowed);
  if (denying === undefined) {
    const reason = readings.some((r) => r.match !== undefined) ? 'style' : 'not-protected';
    return allow(readingCommon(base, readings[0] as ReadingDecision), reason);
  }
  const at = readingCommon(base, denying);
  if (denying.access === 'direct') {
    const hint = readings.some((r) => r.allowed && r.delimiter !== undefined)
      ? { hint: NO_CATALOGUE_HINT }
      : {};
    return deny({ ...at, ...hint }, 'original', 403, 'AccessDenied', ORIGINAL);
  }
  const reason = denying.access === 'inline' ? 'inline-processing' : 'ambiguous-processing';
  return deny(at, reason, 403, 'AccessDenied', CHANNEL, CHANNEL_EC);
}

function decide(
  request: RequestLike,
  policy: Policy,
  options: EvaluateOptions | undefined,
): Decision {
  const method = requestMethod(request);
  if (method !== 'GET' && method !== 'HEAD') return allow({ method }, 'not-a-read');
  const url = request.url;
  const parts = typeof url === 'string' ? splitTarget(url) : undefined;
  const parsed = parseRequestUrl(url as string, policy, {
    host: parts?.rawHost === undefined ? headerValue(request, 'host') : undefined,
    buckets: options?.buckets,
    bucket: options?.bucket,
  });
  if (!parsed.ok)
    return deny({ method }, 'invalid-request', parsed.status, parsed.code, parsed.message);
  const common: Common = {
    method,
    ...(parsed.host === undefined ? {} : { host: parsed.host }),
    ...(parsed.bucket === undefined ? {} : { bucket: parsed.bucket }),
    ...(parsed.key === undefined ? {} : { key: parsed.key }),
  };
  const signature = classifySignature(request, parsed.query, options?.now);
  common.signature = signature;
  if (signature.kind === 'malformed')
    return deny(common, 'malformed-signature', 403, 'AccessDenied', signature.message);
  if (signature.kind === 'signed') {
    return signature.expired
      ? deny(common, 'expired-signature', 403, 'AccessDenied', 'Request has expired.')
      : allow(common, 'signed');
  }
  if (parsed.readings.length === 0) return allow(common, 'not-an-object');
  return decideReadings(parsed, policy, common, options?.contentType);
}

/**
 * Decide whether OSS lets a request read an object under a policy (SPEC S6). Never throws on
 * any request: an unreadable one is denied. The order is OSS's: non-reads pass, invalid requests
 * get 400, malformed or expired signatures 403, signed requests pass, and an anonymous read passes
 * only if every reading of it (S4) is unprotected or goes through a style.
 *
 * Signatures are detected, not verified: use `oss-source-guard/verify` where forged signatures
 * must be refused.
 *
 * @throws {PolicyError} only when `policy` is a look-alike object that is not a valid policy.
 * @example
 * const policy = definePolicy({ rules: [{ prefix: 'image/' }], styles: ['small'] });
 * const host = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
 * evaluate({ url: `https://${host}/image/cat.jpg` }, policy);
 * // { allow: false, status: 403, code: 'AccessDenied', message: 'Forbidden access to the original image.', … }
 * evaluate({ url: `https://${host}/image/cat.jpg?x-oss-process=style/small` }, policy);
 * // { allow: true, reason: 'style', key: 'image/cat.jpg', style: 'small', … }
 */
export function evaluate(
  request: RequestLike,
  policy: Policy,
  options?: EvaluateOptions,
): Decision {
  try {
    return decide(request, policy, options);
  } catch (error) {
    if (error instanceof Error && error.name === 'PolicyError') throw error;
    // Fail closed on input no server sends (a request whose accessors throw, say).
    return deny(
      { method: 'GET' },
      'invalid-request',
      400,
      'InvalidRequest',
      'The request could not be read.',
    );
  }
}

/** What {@link errorResponse} returns: ready to send. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The XML error document; empty for `HEAD`. */
  readonly body: string;
}

/** Options of {@link errorResponse}. */
export interface ErrorResponseOptions {
  /** `x-oss-request-id` and `<RequestId>`; 24 random upper-case hex digits when absent. */
  readonly requestId?: string;
  /** `<HostId>`; the request's host when absent. */
  readonly hostId?: string;
  /** The request method; the decision's when absent. `HEAD` gets no body. */
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
 * Turn a denial into the response OSS sends (SPEC S6): the status, `Content-Type:
 * application/xml`, `x-oss-request-id`, `x-oss-ec` when there is an EC, and the XML error
 * document (no body for `HEAD`). Every value is XML-escaped.
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
