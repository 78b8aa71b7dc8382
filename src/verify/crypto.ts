/**
 * The few byte helpers signature verification needs, written out so that they run where only
 * ECMAScript and Web Crypto exist (no `TextEncoder`, `btoa`, `Buffer`): UTF-8, Base64, hex,
 * HMAC, SHA-256 and a constant-time comparison.
 * @module
 */

/** Bytes that Web Crypto accepts (an `ArrayBuffer`-backed view). @internal */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Hash functions used by OSS signatures. @internal */
export type Hash = 'SHA-1' | 'SHA-256';

/**
 * UTF-8 bytes of a string. A lone surrogate becomes U+FFFD, as `TextEncoder` and Node's
 * `Buffer` do, so a string is hashed the same way the official SDK hashes it.
 *
 * @example
 * utf8('é') // Uint8Array [0xc3, 0xa9]
 * @internal
 */
export function utf8(s: string): Bytes {
  const out = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[n++] = 0xf0 | (cp >> 18);
        out[n++] = 0x80 | ((cp >> 12) & 0x3f);
        out[n++] = 0x80 | ((cp >> 6) & 0x3f);
        out[n++] = 0x80 | (cp & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return out.subarray(0, n);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Standard Base64 with `=` padding.
 *
 * @example
 * base64(utf8('hi')) // 'aGk='
 * @internal
 */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += B64[v >> 18] + (B64[(v >> 12) & 63] as string) + B64[(v >> 6) & 63] + B64[v & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = (bytes[i] as number) << 16;
    out += `${B64[v >> 18]}${B64[(v >> 12) & 63]}==`;
  } else if (rest === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${B64[v >> 18]}${B64[(v >> 12) & 63]}${B64[(v >> 6) & 63]}=`;
  }
  return out;
}

/**
 * Lower-case hexadecimal.
 *
 * @example
 * hex(new Uint8Array([0, 255])) // '00ff'
 * @internal
 */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) {
    throw new TypeError(
      'oss-source-guard/verify needs Web Crypto (globalThis.crypto.subtle), which this runtime does not provide.',
    );
  }
  return s;
}

// HMAC pads its key with zero bytes to the block size, so an empty key and a single zero byte
// give the same MAC. Web Crypto refuses zero-length HMAC keys; the zero byte stands in for it.
const EMPTY_KEY = new Uint8Array([0]);

/** An HMAC key ready for Web Crypto. @internal */
export function hmacKey(hash: Hash, key: Bytes): Promise<CryptoKey> {
  return subtle().importKey(
    'raw',
    key.length === 0 ? EMPTY_KEY : key,
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
}

/** HMAC of `data` under an imported key. @internal */
export async function sign(key: CryptoKey, data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().sign('HMAC', key, data));
}

/**
 * HMAC of `data` under `key`.
 *
 * @example
 * base64(await hmac('SHA-1', utf8('sk'), utf8('GET\n\n\n1699807420\n/bucket/key?versionId=versionId')))
 * // 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ='
 * @internal
 */
export async function hmac(hash: Hash, key: Bytes, data: Bytes): Promise<Bytes> {
  return sign(await hmacKey(hash, key), data);
}

/**
 * A small least-recently-used memo for derived keys. Importing a key costs as much as using it,
 * and a V4 signing key takes four HMACs but changes once a day, so servers keep them (as AWS
 * advises for SigV4). Entries are keyed by everything they derive from, the secret included, so
 * a rotated secret never meets a stale key; a failed derivation is not kept.
 * @internal
 */
export class KeyCache {
  readonly #entries = new Map<string, Promise<CryptoKey>>();
  constructor(readonly capacity: number) {}

  get(id: string, derive: () => Promise<CryptoKey>): Promise<CryptoKey> {
    let entry = this.#entries.get(id);
    if (entry !== undefined) {
      this.#entries.delete(id);
    } else {
      const derived = derive();
      derived.catch(() => {
        if (this.#entries.get(id) === derived) this.#entries.delete(id);
      });
      entry = derived;
      if (this.#entries.size >= this.capacity) {
        this.#entries.delete(this.#entries.keys().next().value as string);
      }
    }
    this.#entries.set(id, entry);
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * SHA-256 of `data`, as lower-case hex.
 *
 * @example
 * await sha256Hex(utf8('')) // 'e3b0c442…b855'
 * @internal
 */
export async function sha256Hex(data: Bytes): Promise<string> {
  return hex(new Uint8Array(await subtle().digest('SHA-256', data)));
}

/**
 * Whether `provided` equals `expected`, in time that depends only on `expected`'s length (which
 * is public: 28 Base64 or 64 hex characters), never on where the strings first differ.
 *
 * @example
 * constantTimeEqual('abc', 'abc') // true
 * constantTimeEqual('abd', 'abc') // false
 * @internal
 */
export function constantTimeEqual(provided: string, expected: string): boolean {
  let diff = provided.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    // Past its end, `provided` reads as NaN → 0; the length difference already counts.
    diff |= (provided.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  }
  return diff === 0;
}
