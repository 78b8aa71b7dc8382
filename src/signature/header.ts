/**
 * Signature detection over the `Authorization` header (docs/behaviour.md#signatures): `OSS ak:sig`,
 * `OSS2 …`, `OSS4-HMAC-SHA256 …` and the S3-compatible `AWS …` / `AWS4-HMAC-SHA256 …` forms.
 * @module
 */
import { headerValue, type RequestLike } from '../request/access.js';
import { BASE64, credentialKey, HEX64 } from './credential.js';
import { parseHttpDate, parseIsoBasic } from './dates.js';
import {
  malformed,
  onlySignature,
  type ParsedSignature,
  type SignatureInfo,
  signed,
} from './info.js';
import type { SignatureScheme } from './schemes.js';

/** `Name=value` (V4) or `Name:value` (V2) fields separated by `,` or `, `, each at most once. */
function fields(
  text: string,
  separator: '=' | ':',
  allowed: readonly string[],
): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const raw of text.split(',')) {
    const field = raw.replace(/^ +/, '');
    const at = field.indexOf(separator);
    if (at <= 0) return undefined;
    const name = field.slice(0, at);
    const value = field.slice(at + 1);
    if (!allowed.includes(name) || out.has(name) || value === '' || /\s/.test(value))
      return undefined;
    out.set(name, value);
  }
  return out;
}

const V1_HEADER = /^(OSS|AWS) ([^\s:]+):(\S+)$/;

/** The time of a V4 header request, as {@link ParsedSignature} carries it. */
interface V4Time {
  readonly date: string;
  readonly dateMs: number;
  readonly day: string;
  readonly dateFrom: NonNullable<ParsedSignature['dateFrom']>;
}

/**
 * The time a V4 header request is signed at (docs/behaviour.md#signatures,
 * docs/behaviour.md#verification): `x-oss-date` (`yyyymmddTHHMMSSZ`), or,
 * when the request has none, the `Date` header (an HTTP date), whose text is then the
 * StringToSign's time line and whose UTC day the credential names: the classic Go SDK signs so,
 * and OSS accepts it. `undefined` when the header that counts is missing or unreadable; an
 * unreadable `x-oss-date` is not replaced by `Date`, since OSS reads `x-oss-date` first.
 */
function v4HeaderTime(request: RequestLike): V4Time | undefined {
  const ossDate = headerValue(request, 'x-oss-date');
  if (ossDate !== undefined) {
    const ms = parseIsoBasic(ossDate);
    return ms === undefined
      ? undefined
      : { date: ossDate, dateMs: ms, day: ossDate.slice(0, 8), dateFrom: 'x-oss-date' };
  }
  const date = headerValue(request, 'date');
  const ms = date === undefined ? undefined : parseHttpDate(date);
  if (date === undefined || ms === undefined) return undefined;
  // parseHttpDate reads years 100–9999 only, so the ISO form has exactly four year digits.
  const day = new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
  return { date, dateMs: ms, day, dateFrom: 'Date' };
}

/** Detection (docs/behaviour.md#signatures) over one `Authorization` header value. */
/** @internal */
export function fromHeader(value: string, request: RequestLike): SignatureInfo {
  const space = value.indexOf(' ');
  const name = space === -1 ? value : value.slice(0, space);
  const rest = space === -1 ? '' : value.slice(space + 1);
  const bad = (message: string, scheme?: SignatureScheme) => malformed(message, scheme, 'header');
  switch (name) {
    case 'OSS':
    case 'AWS': {
      const scheme = name === 'OSS' ? 'oss-v1' : 'aws-v2';
      const m = V1_HEADER.exec(value);
      if (m === null || !BASE64.test(m[3] as string))
        return bad(`The Authorization header must be "${name} AccessKeyId:Signature".`, scheme);
      return signed(
        scheme,
        'header',
        m[2] as string,
        undefined,
        undefined,
        onlySignature(m[3] as string),
      );
    }
    case 'OSS2': {
      const f = fields(rest, ':', ['AccessKeyId', 'AdditionalHeaders', 'Signature']);
      if (f === undefined || !f.has('AccessKeyId') || !f.has('Signature')) {
        return bad(
          'The Authorization header must be "OSS2 AccessKeyId:…,[AdditionalHeaders:…,]Signature:…".',
          'oss-v2',
        );
      }
      return signed(
        'oss-v2',
        'header',
        f.get('AccessKeyId') as string,
        undefined,
        undefined,
        onlySignature(f.get('Signature') as string),
      );
    }
    case 'OSS4-HMAC-SHA256': {
      const f = fields(rest, '=', ['Credential', 'AdditionalHeaders', 'Signature']);
      const ak = f?.has('Credential')
        ? credentialKey(f.get('Credential') as string, 'oss', 'aliyun_v4_request')
        : undefined;
      if (f === undefined || ak === undefined || !HEX64.test(f.get('Signature') ?? '')) {
        return bad(
          'The Authorization header must be "OSS4-HMAC-SHA256 Credential=AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request,[AdditionalHeaders=…,]Signature=<64 hex digits>".',
          'oss-v4',
        );
      }
      const time = v4HeaderTime(request);
      if (time === undefined) {
        return bad(
          'OSS4-HMAC-SHA256 header authentication requires an x-oss-date header (yyyymmddTHHMMSSZ), or without one a Date header (an HTTP date).',
          'oss-v4',
        );
      }
      return signed('oss-v4', 'header', ak, undefined, undefined, {
        signature: f.get('Signature') as string,
        credential: f.get('Credential') as string,
        additionalHeaders: f.get('AdditionalHeaders'),
        ...time,
      });
    }
    case 'AWS4-HMAC-SHA256': {
      const f = fields(rest, '=', ['Credential', 'SignedHeaders', 'Signature']);
      const cred = f?.get('Credential');
      const ak = cred === undefined ? undefined : credentialKey(cred, undefined, 'aws4_request');
      if (
        f === undefined ||
        ak === undefined ||
        !f.has('SignedHeaders') ||
        !HEX64.test(f.get('Signature') ?? '')
      ) {
        return bad(
          'The Authorization header must be "AWS4-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".',
          'aws-v4',
        );
      }
      return signed(
        'aws-v4',
        'header',
        ak,
        undefined,
        undefined,
        onlySignature(f.get('Signature') as string),
      );
    }
    default:
      return bad('The Authorization header uses an unknown scheme.');
  }
}
