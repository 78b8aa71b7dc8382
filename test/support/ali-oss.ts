/**
 * ali-oss as a test oracle (SPEC S8): signed URLs from `signatureUrl` (V1) and `signatureUrlV4`,
 * and the `Authorization` headers of real `get()` requests (V1 and `authorizationV4: true`) as a
 * local `node:http` server receives them. Deterministic: keys come from a fixed list plus a
 * seeded fast-check sample, the clock is frozen, and every variant is chosen from the index.
 *
 * Two ali-oss 6.23.0 habits are kept out of the generated inputs on purpose (see the report of
 * issue 6): `signatureUrlV4` sorts query names with `localeCompare` (OSS and the other SDKs sort
 * by code point, which differs for mixed case and for `-`/`_`/`.`/`%`), and it signs an empty
 * query value as `name=` where S8 (and its published vector) canonicalise it to a bare `name`.
 * So V4 URLs here carry lower-case query names and non-empty values only.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import OSS from 'ali-oss';
import fc from 'fast-check';
import { vi } from 'vitest';
import type { RequestLike } from '../../src/request/access.js';

/** The frozen clock every signature is made at. */
export const NOW = new Date(Date.UTC(2024, 4, 17, 8, 30, 0));
export const BUCKET = 'examplebucket';
/** ali-oss's region option; V4 signs `cn-hangzhou`. */
export const REGION = 'oss-cn-hangzhou';
export const SIGN_REGION = 'cn-hangzhou';
export const OSS_HOST = `${BUCKET}.${REGION}.aliyuncs.com`;
export const CUSTOM_HOST = 'img.example.com';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secret: string;
  readonly token?: string;
}
export const LONG_TERM: Credentials = {
  accessKeyId: 'LTAI5tOracleTestKey01',
  secret: 'oracleSecret+/=Ab12 ü',
};
export const TEMPORARY: Credentials = {
  accessKeyId: 'STS.NUoracleTemporaryKey',
  secret: 'stsSecret9876',
  token: 'CAIS+token/with=delimiters&and%percent',
};

/** A secret lookup over both credential sets. */
export const secrets = new Map([
  [LONG_TERM.accessKeyId, LONG_TERM.secret],
  [TEMPORARY.accessKeyId, TEMPORARY.secret],
]);

export type OracleKind = 'v1-url' | 'v4-url' | 'v1-header' | 'v4-header';
export const KINDS: readonly OracleKind[] = ['v1-url', 'v4-url', 'v1-header', 'v4-header'];

/** What a case was signed with, besides its key. */
export interface Variant {
  readonly process?: string;
  /** `response-*` overrides, by the name after `response-`. */
  readonly response?: Readonly<Record<string, string>>;
  readonly sts: boolean;
  /** URL cases: the OSS host (bucket read from it) or a custom domain (bucket mapped). */
  readonly host: 'oss' | 'custom';
  /** Seconds the URL is valid. */
  readonly expires: number;
  /** Extra signed request headers (`x-oss-*`, or one named in AdditionalHeaders). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly additionalHeaders?: readonly string[];
}

export interface OracleCase {
  readonly kind: OracleKind;
  readonly index: number;
  readonly key: string;
  readonly variant: Variant;
  readonly credentials: Credentials;
  readonly scheme: 'oss-v1' | 'oss-v4';
  readonly location: 'header' | 'query';
  /** The request as a storage server receives it. */
  readonly request: RequestLike & { method: string; url: string };
  /** The bucket options the verifier needs (custom domains and the local server). */
  readonly bucketOptions: { readonly bucket?: string; readonly buckets?: Record<string, string> };
  /** URL cases: the last second the URL is valid. */
  readonly expiresAt?: Date;
}

// Characters that stress encoding: URL delimiters, `+`, `%`, spaces, the style delimiters, and
// non-ASCII of every UTF-8 length.
const special = [...' +%!-_/.?#&=;,:@$*\'()~[]"<>^`{|}\t'];
const unicode = ['图', '片', 'é', 'Ω', '😀', 'ß', 'İ', '\u00a0', '\u3000', 'ﬀ'];
const keyChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019') },
  { weight: 4, arbitrary: fc.constantFrom(...special) },
  { weight: 2, arbitrary: fc.constantFrom(...unicode) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const extension = fc.constantFrom('.jpg', '.png', '.JPG', '.txt', '.webp', '', '');

const utf8Length = (s: string) => new TextEncoder().encode(s).length;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What OSS accepts as a key and ali-oss can sign: no leading `/` `\` `?`, 1–1023 bytes. */
export const validKey = (k: string): boolean =>
  k.length > 0 && !/^[/\\?]/.test(k) && !LONE_SURROGATE.test(k) && utf8Length(k) <= 1023;

export const keyArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(keyChar, { minLength: 1, maxLength: 24 }), extension)
  .map(([chars, ext]) => chars.join('') + ext)
  .filter(validKey);

const FIXED_KEYS = [
  'image/cat.jpg',
  'a b+c%.jpg',
  '图片/猫.png',
  'photo.jpg!small',
  'a/../b.jpg',
  'dir/',
  'a%2Fb.png',
  '100%25 real.jpg',
  'q?x=1&y=2#frag.jpg',
  "it's (1) *.png",
  '😀/emoji.webp',
  'x'.repeat(300),
];

/** Fixed awkward keys, then a seeded sample: `count` in all. */
export function oracleKeys(count: number, seed = 0x0551): string[] {
  const sample = fc.sample(keyArb, { seed, numRuns: Math.max(0, count - FIXED_KEYS.length) });
  return [...FIXED_KEYS, ...sample].slice(0, count);
}

const PROCESSES = ['style/small', 'image/resize,w_100/quality,q_80', undefined] as const;
const RESPONSES = [
  { 'content-type': 'image/png' },
  { 'content-disposition': 'attachment; filename="a b+c.jpg"', 'cache-control': 'no-cache' },
  undefined,
  undefined,
] as const;

/** The variant of case `i`: every combination shows up across a few dozen cases. */
export function variantOf(i: number): Variant {
  const process = PROCESSES[i % 3];
  const response = RESPONSES[i % 4];
  const extra =
    i % 6 === 0
      ? { headers: { 'x-oss-traffic-limit': '819200' } }
      : i % 6 === 3
        ? { headers: { range: 'bytes=0-9' }, additionalHeaders: ['range'] }
        : {};
  return {
    ...(process === undefined ? {} : { process }),
    ...(response === undefined ? {} : { response }),
    sts: i % 5 === 0,
    host: i % 2 === 0 ? 'custom' : 'oss',
    expires: 60 + (i % 7) * 600,
    ...extra,
  };
}

type Client = InstanceType<typeof OSS>;

function client(
  credentials: Credentials,
  endpoint: string,
  cname: boolean,
  authorizationV4: boolean,
): Client {
  const options = {
    region: REGION,
    bucket: BUCKET,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.secret,
    endpoint,
    cname,
    authorizationV4,
    // ali-oss shares one keep-alive agent between clients; each test client gets its own.
    agent: new http.Agent({ keepAlive: false }),
    ...(credentials.token === undefined
      ? {}
      : {
          stsToken: credentials.token,
          refreshSTSToken: async () => ({
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.secret,
            stsToken: credentials.token as string,
          }),
          refreshSTSTokenInterval: 1e12,
        }),
  };
  return new OSS(options as OSS.Options);
}

/** `http://host/path?query` → the request target and the host, as a server receives them. */
function asReceived(url: string, absolute: boolean): { url: string; host: string } {
  const m = /^https?:\/\/([^/]+)(\/.*)$/.exec(url);
  if (m === null) throw new Error(`unexpected signed URL ${url}`);
  return { url: absolute ? url : (m[2] as string), host: m[1] as string };
}

function urlCase(
  kind: 'v1-url' | 'v4-url',
  index: number,
  key: string,
  variant: Variant,
  signed: string,
): OracleCase {
  const credentials = variant.sts ? TEMPORARY : LONG_TERM;
  const { url, host } = asReceived(signed, index % 4 < 2);
  const headers: Record<string, string> = { host, ...variant.headers };
  return {
    kind,
    index,
    key,
    variant,
    credentials,
    scheme: kind === 'v1-url' ? 'oss-v1' : 'oss-v4',
    location: 'query',
    request: { method: 'GET', url, headers },
    bucketOptions: variant.host === 'custom' ? { buckets: { [CUSTOM_HOST]: BUCKET } } : {},
    expiresAt: new Date(NOW.getTime() + variant.expires * 1000),
  };
}

/** Signed URLs for every key, V1 and V4, made with the clock frozen at {@link NOW}. */
export async function signedUrlCases(keys: readonly string[]): Promise<OracleCase[]> {
  const clients = new Map<string, Client>();
  const clientFor = (v: Variant) => {
    const id = `${v.sts}-${v.host}`;
    let c = clients.get(id);
    if (c === undefined) {
      c =
        v.host === 'custom'
          ? client(v.sts ? TEMPORARY : LONG_TERM, `http://${CUSTOM_HOST}`, true, false)
          : client(v.sts ? TEMPORARY : LONG_TERM, `http://${REGION}.aliyuncs.com`, false, false);
      clients.set(id, c);
    }
    return c;
  };
  const cases: OracleCase[] = [];
  for (const [i, key] of keys.entries()) {
    const v = variantOf(i);
    const c = clientFor(v);
    const v1 = c.signatureUrl(key, {
      expires: v.expires,
      ...(v.process === undefined ? {} : { process: v.process }),
      ...(v.response === undefined ? {} : { response: v.response }),
      ...(v.headers?.['x-oss-traffic-limit'] === undefined ? {} : { trafficLimit: 819200 }),
    } as OSS.SignatureUrlOptions);
    // V1 URLs sign no request headers here: the traffic limit travels in the query.
    const { headers: _headers, additionalHeaders: _additional, ...v1Variant } = v;
    cases.push(urlCase('v1-url', i, key, v1Variant, v1));

    const queries: Record<string, string> = {};
    if (v.process !== undefined) queries['x-oss-process'] = v.process;
    for (const [name, value] of Object.entries(v.response ?? {}))
      queries[`response-${name}`] = value;
    const v4 = await c.signatureUrlV4(
      'GET',
      v.expires,
      { headers: { ...v.headers }, queries },
      key,
      v.additionalHeaders ? [...v.additionalHeaders] : undefined,
    );
    cases.push(urlCase('v4-url', i, key, v, v4));
  }
  return cases;
}

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawHeaders: string[];
}

/** A local server that records every request and answers 200. */
async function recorder(): Promise<{
  port: number;
  received: Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    received.push({
      method: req.method as string,
      url: req.url as string,
      headers: { ...req.headers },
      rawHeaders: [...req.rawHeaders],
    });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Real `get()` requests for every key, V1 and V4, as the local server received them: method,
 * target, headers and raw headers. The host is `localhost`, so the bucket is passed as `bucket`.
 */
export async function capturedRequestCases(all: readonly string[]): Promise<OracleCase[]> {
  // ali-oss's HTTP client resolves `.` and `..` segments (WHATWG URL) before sending, so such a
  // request no longer names the key it signed; OSS would refuse it too. URL cases keep them.
  const keys = [...all.entries()].filter(
    ([, k]) => !k.split('/').some((s) => s === '.' || s === '..'),
  );
  const server = await recorder();
  try {
    const endpoint = `http://localhost:${server.port}`;
    const clients = new Map<string, Client>();
    const cases: OracleCase[] = [];
    for (const v4 of [false, true]) {
      const kind = v4 ? 'v4-header' : 'v1-header';
      // Batches keep the loopback busy without opening hundreds of sockets at once.
      for (let start = 0; start < keys.length; start += 16) {
        const batch = keys.slice(start, start + 16).map(async ([i, key]) => {
          const v = variantOf(i);
          const id = `${v.sts}-${v4}`;
          let c = clients.get(id);
          if (c === undefined) {
            c = client(v.sts ? TEMPORARY : LONG_TERM, endpoint, true, v4);
            clients.set(id, c);
          }
          const subres: Record<string, string> = {};
          for (const [name, value] of Object.entries(v.response ?? {}))
            subres[`response-${name}`] = value;
          // A marker header lets the recorded request be matched to its case.
          const headers: Record<string, string> = { 'x-oracle-case': `${kind}-${i}`, ...v.headers };
          await c.get(key, {
            ...(v.process === undefined ? {} : { process: v.process }),
            subres,
            headers,
            ...(v4 && v.additionalHeaders ? { additionalHeaders: [...v.additionalHeaders] } : {}),
          } as OSS.GetObjectOptions);
          return { i, key, v };
        });
        for (const { i, key, v } of await Promise.all(batch)) {
          const r = server.received.find((x) => x.headers['x-oracle-case'] === `${kind}-${i}`);
          if (r === undefined) throw new Error(`request ${kind}-${i} was not received`);
          cases.push({
            kind,
            index: i,
            key,
            variant: v,
            credentials: v.sts ? TEMPORARY : LONG_TERM,
            scheme: v4 ? 'oss-v4' : 'oss-v1',
            location: 'header',
            request: {
              method: r.method,
              url: r.url,
              headers: r.headers,
              rawHeaders: r.rawHeaders,
            },
            bucketOptions: { bucket: BUCKET },
          });
        }
      }
    }
    return cases;
  } finally {
    await server.close();
  }
}

/** Every oracle case for `keys`, signed with the clock frozen at {@link NOW}. */
export async function oracleCases(keys: readonly string[]): Promise<OracleCase[]> {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  try {
    return [...(await signedUrlCases(keys)), ...(await capturedRequestCases(keys))];
  } finally {
    vi.useRealTimers();
  }
}

/** The parts of ali-oss's signing code used as pure functions (no client, no clock). */
interface SignUtils {
  buildCanonicalString(
    method: string,
    resource: string,
    request: { headers: Record<string, string>; parameters?: Record<string, string | null> },
    expires?: string,
  ): string;
  authorization(accessKeyId: string, secret: string, canonicalString: string): string;
  authorizationV4(
    accessKeyId: string,
    secret: string,
    region: string,
    method: string,
    request: { headers: Record<string, string>; queries?: Record<string, string | null> },
    bucket: string,
    key: string,
    additionalHeaders?: string[],
  ): string;
}
export const signUtils = createRequire(import.meta.url)(
  'ali-oss/lib/common/signUtils.js',
) as SignUtils;

/** An HTTP date, as ali-oss writes `x-oss-date` for V1. */
export const httpDate = (d: Date) => d.toUTCString();
/** `yyyymmddTHHMMSSZ`, as ali-oss writes `x-oss-date` for V4. */
export const isoBasic = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The request target of `key` with `query` (values encoded as ali-oss does). */
export function target(key: string, query: Readonly<Record<string, string | null>> = {}): string {
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  const q = Object.entries(query)
    .map(([n, v]) =>
      v === null ? encodeURIComponent(n) : `${encodeURIComponent(n)}=${encodeURIComponent(v)}`,
    )
    .join('&');
  return q === '' ? path : `${path}?${q}`;
}

export interface HeaderSigned {
  readonly method: string;
  readonly key: string;
  readonly query?: Readonly<Record<string, string | null>>;
  /** Signed request headers (names as sent). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly additionalHeaders?: readonly string[];
  readonly accessKeyId: string;
  readonly secret: string;
  readonly at: Date;
}

/** A V1 `Authorization` request signed by ali-oss's own code, on the OSS host of {@link BUCKET}. */
export function signV1Header(s: HeaderSigned): RequestLike & { method: string; url: string } {
  const headers: Record<string, string> = { 'x-oss-date': httpDate(s.at), ...s.headers };
  const canonical = signUtils.buildCanonicalString(s.method, `/${BUCKET}/${s.key}`, {
    headers,
    parameters: { ...s.query },
  });
  return {
    method: s.method,
    url: target(s.key, s.query),
    headers: {
      ...headers,
      host: OSS_HOST,
      authorization: signUtils.authorization(s.accessKeyId, s.secret, canonical),
    },
  };
}

/** A V4 `Authorization` request signed by ali-oss's own code, on the OSS host of {@link BUCKET}. */
export function signV4Header(s: HeaderSigned): RequestLike & { method: string; url: string } {
  const headers: Record<string, string> = {
    'x-oss-date': isoBasic(s.at),
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    ...s.headers,
  };
  const authorization = signUtils.authorizationV4(
    s.accessKeyId,
    s.secret,
    SIGN_REGION,
    s.method,
    { headers, queries: { ...s.query } },
    BUCKET,
    s.key,
    s.additionalHeaders ? [...s.additionalHeaders] : undefined,
  );
  return {
    method: s.method,
    url: target(s.key, s.query),
    headers: { ...headers, host: OSS_HOST, authorization },
  };
}
