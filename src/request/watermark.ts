/**
 * Watermarks in inline processing (docs/behaviour.md#other-processing-forms):
 * `watermark,image_<Base64>` names another object
 * of the bucket, whose bytes the response embeds. The library reads every object a watermark
 * can name, so that a protected one is never pulled into a public image.
 * @module
 */
import { decodeWellFormed } from './decode.js';

/** What the `watermark` actions of inline processing name (docs/behaviour.md#other-processing-forms). */
export interface Watermarks {
  /** Every key a watermark can name (the key as decoded, and percent-decoded too when it can be). */
  readonly keys: readonly string[];
  /** A watermark whose `image_` value is not Base64 of UTF-8 text: it cannot be judged. */
  readonly undecodable: boolean;
}

/** @internal */
export const NO_WATERMARKS: Watermarks = Object.freeze({ keys: [], undecodable: false });

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * URL-safe or standard Base64, padding optional, as UTF-8 text; `undefined` when it is not.
 * Decoded by hand, and the UTF-8 checked by strict percent-decoding, so that nothing beyond the
 * language is needed (no `atob`, no `TextDecoder`: the core runs in bare runtimes too).
 */
function base64Text(text: string): string | undefined {
  const bare = text
    .replace(/={0,2}$/, '')
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  if (bare.length % 4 === 1) return undefined;
  let escaped = '';
  let bits = 0;
  let count = 0;
  for (let i = 0; i < bare.length; i++) {
    const digit = BASE64_DIGITS.indexOf(bare[i] as string);
    if (digit === -1) return undefined;
    bits = (bits << 6) | digit;
    count += 6;
    if (count >= 8) {
      count -= 8;
      const byte = (bits >> count) & 0xff;
      escaped += `%${byte < 16 ? '0' : ''}${byte.toString(16)}`;
    }
  }
  return decodeWellFormed(escaped);
}

/** The keys one decoded watermark reference names: `key[?x-oss-process=…]`. */
function keysOf(reference: string, out: string[]): void {
  const question = reference.indexOf('?');
  const key = question === -1 ? reference : reference.slice(0, question);
  if (key !== '') out.push(key);
  if (key.includes('%')) {
    const decoded = decodeWellFormed(key);
    if (decoded !== undefined && decoded !== key && decoded !== '') out.push(decoded);
  }
}

/**
 * The objects named by the `watermark` actions of an inline processing value. Actions are the
 * `/`-separated parts; an action named `watermark` in any letter case carries `image_…`
 * parameters. A standard-Base64 value may itself hold `/`, so each value is also read up to the
 * next `,` across `/` (when that decodes too): every object it could name is judged.
 *
 * @example
 * watermarks('image/resize,w_100/watermark,image_cGFuZGEucG5n') // { keys: ['panda.png'], … }
 * @internal
 */
export function watermarks(value: string): Watermarks {
  const lower = value.toLowerCase();
  if (!lower.includes('watermark')) return NO_WATERMARKS;
  const keys: string[] = [];
  let undecodable = false;
  let from = 0;
  for (;;) {
    const at = lower.indexOf('image_', from);
    if (at === -1) break;
    from = at + 6;
    // Only a parameter of a watermark action: `…watermark,[…,]image_`, in the same action.
    const actionStart = value.lastIndexOf('/', at) + 1;
    const action = lower.slice(actionStart, at);
    if (!action.startsWith('watermark,') || (at > 0 && value[at - 1] !== ',')) continue;
    const comma = value.indexOf(',', from);
    const slash = value.indexOf('/', from);
    const end = comma === -1 ? value.length : comma;
    const shortEnd = slash !== -1 && slash < end ? slash : end;
    const short = base64Text(value.slice(from, shortEnd));
    if (short === undefined) undecodable = true;
    else keysOf(short, keys);
    if (shortEnd !== end) {
      const long = base64Text(value.slice(from, end));
      if (long !== undefined) keysOf(long, keys);
    }
  }
  return keys.length === 0 && !undecodable ? NO_WATERMARKS : { keys, undecodable };
}
