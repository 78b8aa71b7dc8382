/**
 * What verification answers (docs/behaviour.md#verification), and the OSS errors it can answer
 * with. Where OSS documents
 * a code, message or EC it is used as documented; the rest are this library's decisions, marked.
 * @module
 */
import type { RequestLike } from '../request/access.js';
import type { ParsedSignature } from '../signature/info.js';

/** Signature schemes that {@link verifySignature} can verify. */
export type VerifiableScheme = 'oss-v1' | 'oss-v4';

/** Options of {@link verifySignature}. */
export interface VerifyOptions {
  /**
   * The secret of an AccessKeyId, or `undefined` when the id is unknown (→ `InvalidAccessKeyId`).
   * May be async. An error it throws is passed through, not turned into a verdict.
   */
  getSecret(accessKeyId: string): string | undefined | Promise<string | undefined>;
  /** The current time: expiry and clock skew are judged against it. */
  readonly now: Date;
  /**
   * How far header-signed requests may be from `now`, in seconds (OSS allows 15 minutes).
   * @default 900
   */
  readonly clockSkewSeconds?: number | undefined;
  /**
   * The bucket this gateway serves. When set, it is the bucket of every signed resource
   * (`/bucket/key`), whatever bucket the `Host` header or an absolute target names
   * (docs/behaviour.md#verification, "the bucket is the gateway's"): a signature made for another
   * bucket is then `SignatureDoesNotMatch`, so a `Host` naming that bucket cannot smuggle it in. A
   * `buckets` entry for the request's host wins over it. Absent: the bucket the host names, and a
   * request whose host names none (a custom domain without a `buckets` entry) fails closed.
   */
  readonly bucket?: string | undefined;
  /**
   * Hosts → bucket names (hosts compared case-insensitively, without port). The bucket mapped to
   * the request's host is the bucket of the signed resource, whatever bucket the host or target
   * names otherwise (docs/behaviour.md#verification); mapping a custom domain is the usual case,
   * since the resource
   * is still `/bucket/key` there. Absent: `bucket`, else the bucket the host names.
   */
  readonly buckets?: Readonly<Record<string, string>> | ReadonlyMap<string, string> | undefined;
}

/** A signature that verified. */
export interface VerifySuccess {
  readonly valid: true;
  readonly accessKeyId: string;
  readonly scheme: VerifiableScheme;
  readonly location: 'header' | 'query';
}

/** A request that did not verify, with what OSS answers. */
export interface VerifyFailure {
  readonly valid: false;
  readonly status: 400 | 403;
  readonly code: string;
  readonly message: string;
  /** OSS's fine-grained error code (`x-oss-ec`), where OSS documents one for the case. */
  readonly ec?: string;
}

/** The result of {@link verifySignature}. */
export type VerifyResult = VerifySuccess | VerifyFailure;

/** Everything a scheme needs, read once from the request. @internal */
export interface VerifyContext {
  readonly request: RequestLike;
  /** Upper-cased. */
  readonly method: string;
  /** The bucket of the signed resource: the configured one when there is one (docs/behaviour.md#verification), else the host's. */
  readonly bucket: string;
  /** The whole decoded path; `undefined` for a bucket-level request (`/`). */
  readonly key: string | undefined;
  /** The region the host names, when it is an OSS endpoint. */
  readonly region: string | undefined;
  readonly query: readonly (readonly [string, string])[];
  readonly accessKeyId: string;
  readonly location: 'header' | 'query';
  /** What detection read of the signature: verification does not parse it again. */
  readonly parsed: ParsedSignature;
  readonly options: VerifyOptions;
  readonly nowMs: number;
  readonly skewMs: number;
}

/** A verification prepared up to the point where the secret is needed. @internal */
export interface Plan {
  /** What is signed: the V1 string to sign, or the V4 canonical request. */
  readonly signed: string;
  /** The signature the request carries. */
  readonly provided: string;
  /** The signature the request should carry under `secret`. */
  sign(secret: string): Promise<string>;
  /** The failure when the two differ. */
  readonly mismatch: VerifyFailure;
}

/** @internal */
export const fail = (
  status: 400 | 403,
  code: string,
  message: string,
  ec?: string,
): VerifyFailure =>
  ec === undefined
    ? { valid: false, status, code, message }
    : { valid: false, status, code, message, ec };

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/** OSS: SignatureDoesNotMatch; EC 0002-00000040 (V1 example on the EC page). @internal */
export const MISMATCH_V1 = fail(403, 'SignatureDoesNotMatch', MISMATCH, '0002-00000040');
/** OSS: SignatureDoesNotMatch; EC 0002-00000201 ("the V4 signature … is inconsistent"). @internal */
export const MISMATCH_V4 = fail(403, 'SignatureDoesNotMatch', MISMATCH, '0002-00000201');
/** OSS: InvalidAccessKeyId and its message; OSS documents no EC for an unknown key. @internal */
export const UNKNOWN_KEY = fail(
  403,
  'InvalidAccessKeyId',
  'The OSS Access Key Id you provided does not exist in our records.',
);
/** OSS: AccessDenied "Request has expired."; EC 0002-00000069 is documented for V1/V2 URLs. @internal */
export const EXPIRED_V1 = fail(403, 'AccessDenied', 'Request has expired.', '0002-00000069');
/** Same code and message for V4 URLs; OSS documents no EC for them. @internal */
export const EXPIRED_V4 = fail(403, 'AccessDenied', 'Request has expired.');
/** OSS: RequestTimeTooSkewed, its message and EC 0002-00000504 (header signatures). @internal */
export const SKEWED = fail(
  403,
  'RequestTimeTooSkewed',
  'The difference between the request time and the current time is too large.',
  '0002-00000504',
);
/** OSS: AccessDenied "OSS authentication requires a valid Date."; EC 0002-00000503 (no date header). @internal */
export const NO_DATE = fail(
  403,
  'AccessDenied',
  'OSS authentication requires a valid Date.',
  '0002-00000503',
);
/** EC 0002-00000502 is documented (a date header in the wrong format); code and message: decision. @internal */
export const BAD_DATE = fail(
  403,
  'AccessDenied',
  'OSS authentication requires a valid Date.',
  '0002-00000502',
);
/** EC 0002-00000232 is documented (x-oss-expires out of 1–604800); code and message: decision. @internal */
export const EXPIRES_RANGE = fail(
  403,
  'AccessDenied',
  'x-oss-expires must be a number of seconds from 1 to 604800.',
  '0002-00000232',
);
/** EC 0002-00000235 is documented (a V4 URL used before x-oss-date); code and message: decision. @internal */
export const NOT_YET_VALID = fail(
  403,
  'AccessDenied',
  'Request is not valid yet: x-oss-date is later than the current time.',
  '0002-00000235',
);
const CREDENTIAL_DATE = fail(
  403,
  'AccessDenied',
  'Invalid credential date: the date in the credential is not the day of x-oss-date.',
);
const CREDENTIAL_DATE_HEADER = fail(
  403,
  'AccessDenied',
  'Invalid credential date: the date in the credential is not the day of the Date header.',
);
/**
 * Decision: OSS documents no case for it; AccessDenied as for its other malformed signatures.
 * `from` names where the request time was read (`Date` for a V4 header request without
 * `x-oss-date`).
 * @internal
 */
export const credentialDate = (from: 'x-oss-date' | 'Date'): VerifyFailure =>
  from === 'x-oss-date' ? CREDENTIAL_DATE : CREDENTIAL_DATE_HEADER;
/**
 * Decision (docs/behaviour.md#verification, "signed names are exact"): a parameter that could
 * re-split into others once decoded, refused before any HMAC; `name` as received. AccessDenied, as
 * for OSS's other refusals of a signature it cannot trust.
 * @internal
 */
export const ambiguousName = (name: string): VerifyFailure =>
  fail(
    403,
    'AccessDenied',
    `The query parameter ${name} is ambiguous once decoded; send it unescaped.`,
  );
/** Decision: the credential names another region than the endpoint the request was sent to. @internal */
export const credentialRegion = (got: string, want: string): VerifyFailure =>
  fail(
    403,
    'AccessDenied',
    `Invalid credential region: the credential names "${got}", the endpoint is in "${want}".`,
  );
/** Decision: an AdditionalHeaders name the request does not carry. @internal */
export const missingHeader = (name: string): VerifyFailure =>
  fail(403, 'AccessDenied', `The additional header "${name}" is signed but not in the request.`);
/** Decision: nothing to verify. @internal */
export const UNSIGNED = fail(403, 'AccessDenied', 'The request carries no signature to verify.');
/** Decision: no bucket, so no signed resource: fail closed. @internal */
export const NO_BUCKET = fail(
  403,
  'AccessDenied',
  'The bucket of the request is unknown, so its signature cannot be verified; pass `bucket` or `buckets` for custom domains.',
);
/** Decision: schemes this library does not verify fail closed. @internal */
export const unsupported = (scheme: string): VerifyFailure =>
  fail(403, 'AccessDenied', `The signature scheme ${scheme} cannot be verified here.`);
/** Decision: a request whose parts cannot even be read (a header accessor that throws, say). @internal */
export const UNREADABLE = fail(400, 'InvalidRequest', 'The request could not be read.');
