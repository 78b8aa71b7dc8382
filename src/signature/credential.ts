/**
 * V4-style credentials (`ak/yyyymmdd/region/service/terminator`) and the number fields of query
 * signatures, shared by the header and query forms.
 * @module
 */

/**
 * The AccessKeyId of a credential `ak/yyyymmdd/region/service/terminator`, or undefined when it
 * is not one (`service` undefined: any non-empty service).
 * @internal
 */
export function credentialKey(
  value: string,
  service: string | undefined,
  terminator: string,
): string | undefined {
  const parts = value.split('/');
  if (parts.length !== 5) return undefined;
  const [ak, date, region, svc, term] = parts as [string, string, string, string, string];
  const serviceOk = service === undefined ? svc !== '' : svc === service;
  return ak !== '' && /^\d{8}$/.test(date) && region !== '' && serviceOk && term === terminator
    ? ak
    : undefined;
}

const DIGITS = /^\d{1,15}$/;

/** A decimal integer in `[min, max]`, or undefined. @internal */
export function integer(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !DIGITS.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** @internal */
export const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** @internal */
export const HEX64 = /^[0-9a-fA-F]{64}$/;
