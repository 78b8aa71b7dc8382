/**
 * What signature detection answers (docs/behaviour.md#signatures), and the parsed form it hands to
 * verification.
 * @module
 */
import type { SignatureScheme } from './schemes.js';

/** What {@link detectSignature} found. */
export type SignatureInfo =
  /** No `Authorization` header and no signature parameter (a security token alone is not one). */
  | { readonly kind: 'anonymous' }
  /** One scheme, complete and well-formed; not verified. */
  | {
      readonly kind: 'signed';
      readonly scheme: SignatureScheme;
      readonly location: 'header' | 'query';
      readonly accessKeyId: string;
      /** When a query signature stops being accepted; undefined for header signatures. */
      readonly expires: Date | undefined;
      /** True when `now` was given and the query signature has expired. */
      readonly expired: boolean;
    }
  /** Something between: OSS rejects it, so it is neither anonymous nor signed. */
  | {
      readonly kind: 'malformed';
      /** The scheme it tried to be, when that is clear. */
      readonly scheme: SignatureScheme | undefined;
      readonly location: 'header' | 'query' | undefined;
      /** OSS's message where it has one, else one in its style. */
      readonly message: string;
    };

/** @internal */
export type Signed = Extract<SignatureInfo, { kind: 'signed' }>;
/** @internal */
export type Malformed = Extract<SignatureInfo, { kind: 'malformed' }>;

/** @internal */
export const ANONYMOUS: SignatureInfo = Object.freeze({ kind: 'anonymous' });

/** @internal */
export const malformed = (
  message: string,
  scheme?: SignatureScheme,
  location?: 'header' | 'query',
): Malformed => ({ kind: 'malformed', scheme, location, message });

/**
 * What detection read of a signature, so verification need not read it again: the signature itself,
 * and for V4 the credential and additional headers, and the request time as written and where it
 * was written (a V4 header request may carry its time in `Date`, docs/behaviour.md#signatures).
 * @internal
 */
export interface ParsedSignature {
  /** The signature the request carries (Base64 for V1, hex for V4). */
  readonly signature: string;
  /** V4: `ak/yyyymmdd/region/oss/aliyun_v4_request`. */
  readonly credential: string | undefined;
  /** V4: the `AdditionalHeaders` / `x-oss-additional-headers` value. */
  readonly additionalHeaders: string | undefined;
  /**
   * V4: the request time as signed, the StringToSign's time line: `x-oss-date`, or the `Date`
   * header of a header request that carries no `x-oss-date`.
   */
  readonly date: string | undefined;
  /** V4: that time in ms. */
  readonly dateMs: number | undefined;
  /**
   * V4: the UTC day of that time (`yyyymmdd`), which the credential must name. Absent: the
   * time is `x-oss-date`, and its first eight characters are the day.
   */
  readonly day?: string | undefined;
  /** V4: where the time was read, for the message when the credential names another day. Absent: `x-oss-date`. */
  readonly dateFrom?: 'x-oss-date' | 'Date' | undefined;
}

const parsedForms = new WeakMap<Signed, ParsedSignature>();

/** The parsed form detection kept for a signed result. @internal */
export const parsedSignature = (info: Signed): ParsedSignature | undefined => parsedForms.get(info);

/** A signed result, with the parsed form remembered for verification. @internal */
export function signed(
  scheme: SignatureScheme,
  location: 'header' | 'query',
  accessKeyId: string,
  expiresMs: number | undefined,
  now: Date | undefined,
  parsed: ParsedSignature,
): Signed {
  const expired = expiresMs !== undefined && now !== undefined && expiresMs < now.getTime();
  const info: Signed = {
    kind: 'signed',
    scheme,
    location,
    accessKeyId,
    expires: expiresMs === undefined ? undefined : new Date(expiresMs),
    expired,
  };
  parsedForms.set(info, parsed);
  return info;
}

/** The parsed form of a signature that is only a signature (V1, V2, AWS). @internal */
export const onlySignature = (signature: string): ParsedSignature => ({
  signature,
  credential: undefined,
  additionalHeaders: undefined,
  date: undefined,
  dateMs: undefined,
});
