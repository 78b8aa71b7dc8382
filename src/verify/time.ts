/**
 * Request times as signatures carry them, parsed strictly (`Date.parse` accepts far more, and
 * differently per engine).
 * @module
 */
import { parseIsoBasic } from '../signature.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/**
 * An HTTP date (`Wed, 28 Dec 2022 10:27:41 GMT`, RFC 9110 IMF-fixdate) → ms, or `undefined`.
 *
 * @example
 * parseHttpDate('Wed, 28 Dec 2022 10:27:41 GMT') // 1672223261000
 * parseHttpDate('Wed, 31 Feb 2022 10:27:41 GMT') // undefined
 */
export function parseHttpDate(value: string): number | undefined {
  const m = IMF_FIXDATE.exec(value);
  if (m === null) return undefined;
  const d = Number(m[1]);
  const mo = MONTHS.indexOf(m[2] as string);
  const y = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo, d, h, mi, s);
  const back = new Date(t);
  // Date.UTC reads years below 100 as 19xx, and rolls 31 Feb over to March.
  return back.getUTCFullYear() === y && back.getUTCDate() === d ? t : undefined;
}

/**
 * The time of a V1 date header: an HTTP date, or (for `x-oss-date`) also `yyyymmddTHHMMSSZ`.
 *
 * @example
 * parseRequestTime('20221228T102741Z', true) // 1672223261000
 */
export function parseRequestTime(value: string, allowIso: boolean): number | undefined {
  return parseHttpDate(value) ?? (allowIso ? parseIsoBasic(value) : undefined);
}
