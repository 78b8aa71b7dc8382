/**
 * Request times as signatures carry them, parsed strictly (`Date.parse` accepts far more, and
 * differently per engine): `yyyymmddTHHMMSSZ` (V4, `x-oss-date`) and HTTP dates (`Date`).
 * @module
 */

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** A UTC time from its parts, or `undefined` when the parts name no real time (31 Feb, hour 24). */
function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo, d, h, mi, s);
  const back = new Date(t);
  // Date.UTC reads years below 100 as 19xx, and rolls 31 Feb over to March.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo && back.getUTCDate() === d
    ? t
    : undefined;
}

/**
 * `yyyymmddTHHMMSSZ` → time in ms, or `undefined` when not a real UTC time.
 *
 * @example
 * parseIsoBasic('20231216T162057Z') // 1702743657000
 * parseIsoBasic('20240230T250000Z') // undefined
 * @internal
 */
export function parseIsoBasic(value: string): number | undefined {
  const m = ISO_BASIC.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return utc(y, mo - 1, d, h, mi, s);
}

/**
 * An HTTP date (`Wed, 28 Dec 2022 10:27:41 GMT`, RFC 9110 IMF-fixdate) → ms, or `undefined`.
 *
 * @example
 * parseHttpDate('Wed, 28 Dec 2022 10:27:41 GMT') // 1672223261000
 * parseHttpDate('Wed, 31 Feb 2022 10:27:41 GMT') // undefined
 * @internal
 */
export function parseHttpDate(value: string): number | undefined {
  const m = IMF_FIXDATE.exec(value);
  if (m === null) return undefined;
  return utc(
    Number(m[3]),
    MONTHS.indexOf(m[2] as string),
    Number(m[1]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

/**
 * The time of a V1 date header: an HTTP date, or (for `x-oss-date`) also `yyyymmddTHHMMSSZ`.
 *
 * @example
 * parseRequestTime('20221228T102741Z', true) // 1672223261000
 * @internal
 */
export function parseRequestTime(value: string, allowIso: boolean): number | undefined {
  return parseHttpDate(value) ?? (allowIso ? parseIsoBasic(value) : undefined);
}
