/**
 * The decision (docs/behaviour.md#the-decision): one request, one policy → allow, or deny as OSS
 * would.
 * @module
 */
import { compiled } from '../compile/index.js';
import type { ProtectionMatch } from '../match/matcher.js';
import type { Policy } from '../policy/model.js';
import { headerValue, type RequestLike, requestMethod } from '../request/access.js';
import { type ParsedUrl, readTarget, type UrlOptions } from '../request/parse.js';
import type { Reading } from '../request/readings.js';
import { classifySignature } from '../signature/detect.js';
import type { SignatureInfo } from '../signature/info.js';
import { type Operation, operationOf, sourceOf } from './operations.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions extends Pick<UrlOptions, 'buckets' | 'bucket'> {
  /**
   * The current time: expired query signatures are then denied. Absent: expiry is not checked,
   * so an expired signed URL is still `signed`.
   */
  readonly now?: Date | undefined;
  /**
   * The object's `Content-Type`, for `extensions: ["*"]` (docs/behaviour.md#all-images). Absent:
   * unknown, so `*` protects every key.
   */
  readonly contentType?: string | undefined;
}

/** Why a request is allowed. */
export type AllowReason =
  /**
   * Not a read: not `GET` or `HEAD`, nor an operation that reads an object for derived bytes
   * (`POST` processing, a copy, a symlink to one of the bucket's objects).
   */
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
  /** The target cannot be a valid OSS request (docs/behaviour.md#reading-a-request): 400, or 403 for path-style. */
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
  /** A processing parameter servers disagree on (docs/behaviour.md#the-processing-parameter), on a protected object. */
  | 'ambiguous-processing'
  /**
   * Inline processing whose `watermark` names a protected object, or a watermark that cannot be
   * decoded: the response would embed it. The decision's `key` is the watermark's.
   */
  | 'protected-watermark';

/** A reading with its verdict. */
export interface ReadingDecision extends Reading {
  /** Why the key is protected; undefined when it is not. */
  readonly match: ProtectionMatch | undefined;
  readonly allowed: boolean;
}

interface DecisionBase {
  /** Upper-cased. */
  readonly method: string;
  readonly host: string | undefined;
  readonly bucket: string | undefined;
  /** The key of the deciding reading (the first denying one, else the first). */
  readonly key: string | undefined;
  /** The style of the deciding reading, when it used one. */
  readonly style: string | undefined;
  /** Why the deciding reading's key is protected. */
  readonly match: ProtectionMatch | undefined;
  /** More than one reading, or an ambiguous `x-oss-process`. */
  readonly ambiguous: boolean;
  /** Every reading considered, in order (delimiter readings last occurrence first, then the whole path). */
  readonly readings: readonly ReadingDecision[];
  /** Undefined when the method is not a read or the request is invalid (not looked at). */
  readonly signature: SignatureInfo | undefined;
  /**
   * When the object read is named by a header, not the path: `copy-source` (CopyObject,
   * UploadPartCopy) or `symlink-target` (PutSymlink). The decision's `key` is that object.
   */
  readonly via: 'copy-source' | 'symlink-target' | undefined;
  /** What to change when the policy, not the request, is the fix. */
  readonly hint: string | undefined;
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
  readonly ec: string | undefined;
}

/** The result of {@link evaluate}. */
export type Decision = Allow | Denial;

const ORIGINAL = 'Forbidden access to the original image.';
const CHANNEL = 'The channel can be only accessed using style.';
const CHANNEL_EC = '0040-00000031';
const NO_CATALOGUE_HINT =
  'Without a style catalogue the path may also name an object that ends in the delimiter and style; add "styles" to the policy so the delimiter reading is certain.';

/** What a decision is about, filled in as far as the request was read. */
type Subject = { -readonly [K in keyof DecisionBase]: DecisionBase[K] };

const subject = (method: string): Subject => ({
  method,
  host: undefined,
  bucket: undefined,
  key: undefined,
  style: undefined,
  match: undefined,
  ambiguous: false,
  readings: [],
  signature: undefined,
  via: undefined,
  hint: undefined,
});

// Decisions are built field by field (no spreads): evaluate is on every request's path, and
// object spread is many times slower than a literal of fixed shape.
function allow(s: Subject, reason: AllowReason): Allow {
  return {
    allow: true,
    reason,
    method: s.method,
    host: s.host,
    bucket: s.bucket,
    key: s.key,
    style: s.style,
    match: s.match,
    ambiguous: s.ambiguous,
    readings: s.readings,
    signature: s.signature,
    via: s.via,
    hint: s.hint,
  };
}

function deny(
  s: Subject,
  reason: DenyReason,
  status: Denial['status'],
  code: string,
  message: string,
  ec?: string,
): Denial {
  return {
    allow: false,
    reason,
    status,
    code,
    message,
    ec,
    method: s.method,
    host: s.host,
    bucket: s.bucket,
    key: s.key,
    style: s.style,
    match: s.match,
    ambiguous: s.ambiguous,
    readings: s.readings,
    signature: s.signature,
    via: s.via,
    hint: s.hint,
  };
}

/** Make `r` the deciding reading: its key, style and match describe the decision. */
function decideOn(s: Subject, r: ReadingDecision): Subject {
  s.key = r.key;
  s.style = r.style;
  s.match = r.match;
  return s;
}

function decideReadings(
  parsed: ParsedUrl,
  policy: Policy,
  s: Subject,
  contentType: string | undefined,
  inlineOnly: boolean,
): Decision {
  const { matcher } = compiled(policy);
  const opts = contentType === undefined ? undefined : { contentType };
  const readings: ReadingDecision[] = [];
  let denying: ReadingDecision | undefined;
  let anyProtected = false;
  let styleAllowed = false;
  for (const r of parsed.readings) {
    const match = matcher.match(r.key, opts);
    // A POST carries its operations in the body, unseen: whatever the query says, it processes.
    const access = inlineOnly ? 'inline' : r.access;
    const allowed = match === undefined || access === 'style';
    const decided: ReadingDecision = {
      key: r.key,
      access,
      style: r.style,
      delimiter: r.delimiter,
      delimiterStyle: r.delimiterStyle,
      pathProcessing: r.pathProcessing,
      source: r.source,
      match,
      allowed,
    };
    readings.push(decided);
    if (match !== undefined) anyProtected = true;
    if (!allowed) denying ??= decided;
    else if (r.delimiter !== undefined) styleAllowed = true;
  }
  s.readings = readings;
  s.ambiguous = readings.length > 1 || parsed.process.kind === 'ambiguous';
  const processing = parsed.process;
  if (
    !inlineOnly &&
    processing.kind === 'style' &&
    policy.styles !== undefined &&
    !policy.styles.includes(processing.style)
  ) {
    return deny(
      decideOn(s, readings[0] as ReadingDecision),
      'no-such-style',
      404,
      'NoSuchStyle',
      'The specified style does not exist.',
    );
  }
  if (denying === undefined) {
    decideOn(s, readings[0] as ReadingDecision);
    // Watermarks come from inline processing values only; checked whatever the readings' access,
    // since an ambiguous query (a style and an inline value) may be processed inline.
    const watermark = protectedWatermark(parsed, matcher);
    if (watermark !== undefined) {
      s.key = watermark.key;
      s.style = undefined;
      s.match = watermark.match;
      return deny(s, 'protected-watermark', 403, 'AccessDenied', CHANNEL, CHANNEL_EC);
    }
    return allow(s, anyProtected ? 'style' : 'not-protected');
  }
  decideOn(s, denying);
  if (denying.access === 'direct') {
    // Denied as an original while a delimiter reading would pass: the catalogue is the fix.
    if (styleAllowed) s.hint = NO_CATALOGUE_HINT;
    return deny(s, 'original', 403, 'AccessDenied', ORIGINAL);
  }
  const reason = denying.access === 'inline' ? 'inline-processing' : 'ambiguous-processing';
  return deny(s, reason, 403, 'AccessDenied', CHANNEL, CHANNEL_EC);
}

/**
 * The first watermark that inline processing would embed and that is protected
 * (docs/behaviour.md#matching-keys, without a
 * content type), or that cannot be decoded (judged protected: fail closed).
 */
function protectedWatermark(
  parsed: ParsedUrl,
  matcher: ReturnType<typeof compiled>['matcher'],
): { key: string | undefined; match: ProtectionMatch | undefined } | undefined {
  for (const key of parsed.watermarks.keys) {
    const match = matcher.match(key);
    if (match !== undefined) return { key, match };
  }
  return parsed.watermarks.undecodable ? { key: undefined, match: undefined } : undefined;
}

/** A `PUT` that reads `source` (docs/behaviour.md#derived-bytes-operations): denied as an original when the source is protected. */
function decideSource(
  request: RequestLike,
  parsed: ParsedUrl,
  policy: Policy,
  s: Subject,
  via: 'copy-source' | 'symlink-target',
): Decision {
  const source = sourceOf(request, via);
  if (!source.ok) return deny(s, 'invalid-request', 400, 'InvalidArgument', source.message);
  // Another bucket's object is that bucket's business; an unknown bucket may be this one.
  if (source.bucket !== undefined && parsed.bucket !== undefined && source.bucket !== parsed.bucket)
    return allow(s, 'not-a-read');
  s.via = via;
  s.key = source.key;
  // `*` protects every key here: the source's content type is not known.
  const match = compiled(policy).matcher.match(source.key);
  const reading: ReadingDecision = {
    key: source.key,
    access: 'direct',
    style: undefined,
    delimiter: undefined,
    delimiterStyle: undefined,
    pathProcessing: undefined,
    source: 'literal',
    match,
    allowed: match === undefined,
  };
  s.readings = [reading];
  s.match = match;
  if (match === undefined) return allow(s, 'not-protected');
  return deny(s, 'original', 403, 'AccessDenied', ORIGINAL);
}

/** Whether a `PUT` is governed: a copy, or `?symlink` with a target. */
function governedPut(op: Operation, parsed: ParsedUrl): boolean {
  if (op.kind !== 'source') return false;
  return op.via === 'copy-source' || parsed.query.some(([name]) => name === 'symlink');
}

function decide(
  request: RequestLike,
  policy: Policy,
  options: EvaluateOptions | undefined,
): Decision {
  const method = requestMethod(request);
  const s = subject(method);
  const read = method === 'GET' || method === 'HEAD';
  const op: Operation = read ? { kind: 'none' } : operationOf(method, request);
  if (!read && op.kind === 'none') return allow(s, 'not-a-read');
  const parsed = readTarget(request.url as string, policy, options, () =>
    headerValue(request, 'host'),
  );
  if (!parsed.ok) {
    // A POST or PUT that the target alone says nothing about is not a read.
    if (!read && !mentionsOperation(request.url, op)) return allow(s, 'not-a-read');
    return deny(s, 'invalid-request', parsed.status, parsed.code, parsed.message);
  }
  if (op.kind === 'post-processing' && !parsed.processRequested) return allow(s, 'not-a-read');
  if (op.kind === 'source' && !governedPut(op, parsed)) return allow(s, 'not-a-read');
  s.host = parsed.host;
  s.bucket = parsed.bucket;
  s.key = parsed.key;
  const signature = classifySignature(request, parsed.query, options?.now);
  s.signature = signature;
  if (signature.kind === 'malformed')
    return deny(s, 'malformed-signature', 403, 'AccessDenied', signature.message);
  if (signature.kind === 'signed') {
    return signature.expired
      ? deny(s, 'expired-signature', 403, 'AccessDenied', 'Request has expired.')
      : allow(s, 'signed');
  }
  if (op.kind === 'source') return decideSource(request, parsed, policy, s, op.via);
  if (parsed.readings.length === 0) return allow(s, 'not-an-object');
  return decideReadings(parsed, policy, s, options?.contentType, op.kind === 'post-processing');
}

/**
 * Whether an unreadable target could still be a governed operation: a `POST` naming processing,
 * a `PUT ?symlink` (fail closed: the query could not be read to rule it out).
 */
function mentionsOperation(url: unknown, op: Operation): boolean {
  if (typeof url !== 'string') return true;
  const lower = url.toLowerCase();
  if (op.kind === 'post-processing') return lower.includes('process');
  return op.kind === 'source' && (op.via === 'copy-source' || lower.includes('symlink'));
}

/**
 * Decide whether OSS lets a request read an object under a policy (docs/behaviour.md#the-decision).
 * Never throws on any request: an unreadable one is denied. The order is OSS's: non-reads pass,
 * invalid requests get 400, malformed or expired signatures 403, signed requests pass, and an
 * anonymous read passes only if every reading of it (docs/behaviour.md#readings-by-other-servers)
 * is unprotected or goes through a style.
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
      subject('GET'),
      'invalid-request',
      400,
      'InvalidRequest',
      'The request could not be read.',
    );
  }
}
