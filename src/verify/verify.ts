/**
 * verifySignature (docs/behaviour.md#verification): read the request once, classify its signature
 * (docs/behaviour.md#signatures), check what needs
 * no secret, then look the secret up and compare signatures in constant time.
 * @module
 */
import { DEFAULT_CLOCK_SKEW_SECONDS, MAX_EXPIRES_SECONDS } from '../oss/limits.js';
import { headerValue, type RequestLike, requestMethod } from '../request/access.js';
import { type ParsedUrl, readTarget } from '../request/parse.js';
import { parseHttpDate, parseIsoBasic } from '../signature/dates.js';
import { classifySignature } from '../signature/detect.js';
import { parsedSignature, type SignatureInfo } from '../signature/info.js';
import { constantTimeEqual } from './crypto.js';
import { ambiguousParameter } from './raw-query.js';
import {
  ambiguousName,
  BAD_DATE,
  EXPIRES_RANGE,
  fail,
  NO_BUCKET,
  NO_DATE,
  type Plan,
  UNKNOWN_KEY,
  UNREADABLE,
  UNSIGNED,
  unsupported,
  type VerifyContext,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  type VerifySuccess,
} from './result.js';
import { planV1 } from './v1.js';
import { planV4 } from './v4.js';

/**
 * A malformed signature gets detection's AccessDenied message, except where OSS has a more
 * specific answer: V4 `x-oss-expires` out of range, a V4 header request without a valid date.
 */
function malformed(
  request: RequestLike,
  parsed: ParsedUrl,
  info: Extract<SignatureInfo, { kind: 'malformed' }>,
): VerifyFailure {
  if (info.scheme === 'oss-v4' && info.location === 'query') {
    const expires = parsed.query.find(([n]) => n === 'x-oss-expires')?.[1];
    if (expires !== undefined && /^\d{1,15}$/.test(expires)) {
      const n = Number(expires);
      if (n < 1 || n > MAX_EXPIRES_SECONDS) return EXPIRES_RANGE;
    }
  }
  if (info.scheme === 'oss-v4' && info.location === 'header') {
    // x-oss-date, or without one the Date header (docs/behaviour.md#signatures), as detection reads
    // them.
    const ossDate = headerValue(request, 'x-oss-date');
    if (ossDate !== undefined) {
      if (parseIsoBasic(ossDate) === undefined) return BAD_DATE;
    } else {
      const date = headerValue(request, 'date');
      if (date === undefined) return NO_DATE;
      if (parseHttpDate(date) === undefined) return BAD_DATE;
    }
  }
  return fail(403, 'AccessDenied', info.message);
}

/** Hosts compared case-insensitively, as `request/host.ts` compares them for `evaluate`. */
function mappedBucket(buckets: VerifyOptions['buckets'], host: string): string | undefined {
  if (buckets === undefined || buckets === null) return undefined;
  if (buckets instanceof Map) {
    for (const [k, v] of buckets) if (typeof k === 'string' && k.toLowerCase() === host) return v;
    return undefined;
  }
  const record = buckets as Readonly<Record<string, string>>;
  if (Object.hasOwn(record, host)) return record[host];
  for (const k of Object.keys(record)) if (k.toLowerCase() === host) return record[k];
  return undefined;
}

/**
 * The bucket of the signed resource (docs/behaviour.md#verification, "the bucket is the
 * gateway's"): the caller's, when it
 * configured one for this host (`buckets`) or for every host (`bucket`), else the host's. So a
 * `Host` header or an absolute target naming another bucket cannot choose what is verified.
 */
function signingBucket(options: VerifyOptions, parsed: ParsedUrl): string | undefined {
  const mapped = parsed.host === undefined ? undefined : mappedBucket(options.buckets, parsed.host);
  return mapped ?? options.bucket ?? parsed.bucket;
}

type Prepared = { plan: Plan; success: VerifySuccess } | VerifyFailure;

/** Everything before the secret: synchronous, so one try/catch keeps odd input from throwing. */
function prepare(request: RequestLike, options: VerifyOptions, nowMs: number): Prepared {
  const parsed = readTarget(request.url as string, undefined, options, () =>
    headerValue(request, 'host'),
  );
  if (!parsed.ok) return fail(parsed.status, parsed.code, parsed.message);
  const info = classifySignature(request, parsed.query);
  if (info.kind === 'anonymous') return UNSIGNED;
  if (info.kind === 'malformed') return malformed(request, parsed, info);
  if (info.scheme !== 'oss-v1' && info.scheme !== 'oss-v4') return unsupported(info.scheme);
  // Before the secret and any HMAC: parameters that could re-split once decoded
  // (docs/behaviour.md#verification).
  const ambiguous = ambiguousParameter(info.scheme, request.url as string, parsed.query);
  if (ambiguous !== undefined) return ambiguousName(ambiguous);
  const bucket = signingBucket(options, parsed);
  if (bucket === undefined) return NO_BUCKET;
  const ctx: VerifyContext = {
    request,
    method: requestMethod(request),
    bucket,
    key: parsed.key,
    region: parsed.region,
    query: parsed.query,
    accessKeyId: info.accessKeyId,
    location: info.location,
    // Every signed result of detection carries its parsed form.
    parsed: parsedSignature(info) as NonNullable<ReturnType<typeof parsedSignature>>,
    options,
    nowMs,
    skewMs: (options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000,
  };
  const plan = info.scheme === 'oss-v1' ? planV1(ctx) : planV4(ctx);
  if ('valid' in plan) return plan;
  return {
    plan,
    success: {
      valid: true,
      accessKeyId: info.accessKeyId,
      scheme: info.scheme,
      location: info.location,
    },
  };
}

function checkOptions(options: VerifyOptions): number {
  if (typeof options?.getSecret !== 'function')
    throw new TypeError('verifySignature: options.getSecret must be a function.');
  let now = Number.NaN;
  try {
    // Not `instanceof`: a Date from another realm (an iframe, a vm context) is a Date too.
    now = Date.prototype.getTime.call(options.now);
  } catch {}
  if (!Number.isFinite(now))
    throw new TypeError('verifySignature: options.now must be a valid Date.');
  const skew = options.clockSkewSeconds;
  if (skew !== undefined && !(Number.isFinite(skew) && skew >= 0))
    throw new TypeError('verifySignature: options.clockSkewSeconds must be a number ≥ 0.');
  return now;
}

/**
 * Verify an OSS V1 or V4 signature, in the `Authorization` header or in the query
 * (docs/behaviour.md#verification),
 * with Web Crypto only, so the same code runs on Node, Deno, Bun, Workers and browsers.
 *
 * The signed resource is `/bucket/key`: the bucket is the caller's when it configures one
 * (`buckets` for the request's host, else `bucket`), whatever the `Host` header names, else the
 * OSS host's; without one the request fails closed. Query signatures must not be expired, header
 * signatures must be within `clockSkewSeconds` of `now`, V4 credentials must name the day of the
 * request time (`x-oss-date`, or the `Date` header of a header request without one) and the
 * endpoint's region, when the host names one. A query whose signed parameters could re-split
 * once decoded (`x-oss-process%3Dstyle%2Fsmall`) is refused before any secret is looked up.
 * Everything before the secret is linear in the request's size, and a request costs at most one
 * HMAC chain. Signatures are compared in constant time. OSS V2 and the S3-compatible schemes
 * fail closed (`AccessDenied`, "cannot be verified here"). A body hash in `x-oss-content-sha256`
 * is signed, but checking the body against it is the caller's job.
 *
 * Never rejects on any request; it rejects only on invalid options or when `getSecret` does.
 *
 * @example
 * import { verifySignature } from 'oss-source-guard/verify';
 *
 * const secrets = new Map([['LTAI5tExample', 'the AccessKey secret']]);
 * const result = await verifySignature(request, {
 *   getSecret: (id) => secrets.get(id),
 *   now: new Date(),
 * });
 * if (!result.valid) return new Response(result.message, { status: result.status });
 * // result.accessKeyId, result.scheme ('oss-v1' | 'oss-v4'), result.location ('header' | 'query')
 */
export async function verifySignature(
  request: RequestLike,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const nowMs = checkOptions(options);
  let prepared: Prepared;
  try {
    prepared = prepare(request, options, nowMs);
  } catch {
    // Only exotic input gets here (a header object whose accessors throw, say): fail closed.
    return UNREADABLE;
  }
  if ('valid' in prepared) return prepared;
  const secret = await options.getSecret(prepared.success.accessKeyId);
  if (typeof secret !== 'string') return UNKNOWN_KEY;
  const expected = await prepared.plan.sign(secret);
  return constantTimeEqual(prepared.plan.provided, expected)
    ? prepared.success
    : prepared.plan.mismatch;
}

/** @internal For tests: what would be signed, before any secret is needed. */
export function planFor(
  request: RequestLike,
  options: Omit<VerifyOptions, 'getSecret'>,
): Plan | VerifyFailure {
  const prepared = prepare(
    request,
    { ...options, getSecret: () => undefined },
    options.now.getTime(),
  );
  return 'valid' in prepared ? prepared : prepared.plan;
}
