/**
 * SPEC S5, S8 (R2) against a frozen corpus of requests and presigned URLs signed by two official
 * OSS SDKs for Go (test/fixtures/sdk-corpus, made by the generator beside it; CI needs no Go):
 * every entry is detected as signed and verifies `valid`, and each tampering (one key byte, one
 * signed query value, one signed header value, the method, the secret, the bucket) makes it
 * `SignatureDoesNotMatch`. Entries the SDK signs but OSS refuses say so (`expect.refuse`), and the
 * library must refuse them with the same code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definePolicy, detectSignature, evaluate, type RequestLike } from '../src/index.js';
import { type VerifyOptions, type VerifyResult, verifySignature } from '../src/verify/index.js';

type Scheme = 'oss-v1' | 'oss-v4';
type Location = 'header' | 'query';

interface Refusal {
  readonly refuse: string;
  readonly why: string;
  /** What S5 detection says when it is not `signed`. */
  readonly detect?: 'malformed';
}

interface Entry {
  readonly id: string;
  readonly sdk: string;
  readonly scheme: Scheme;
  readonly location: Location;
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly accessKeyId: string;
  readonly secret: string;
  readonly securityToken?: string;
  readonly bucket: string;
  readonly region: string;
  readonly hostKind: 'oss' | 'custom';
  readonly key: string;
  readonly now: string;
  readonly variant: string;
  readonly expect: 'valid' | Refusal;
}

interface Corpus {
  readonly sdk: string;
  readonly commit: string;
  readonly entries: readonly Entry[];
}

const FILES = ['aliyun-oss-go-sdk.json', 'alibabacloud-oss-go-sdk-v2.json'];
const corpora: Corpus[] = FILES.map(
  (f) =>
    JSON.parse(
      readFileSync(new URL(`./fixtures/sdk-corpus/${f}`, import.meta.url), 'utf8'),
    ) as Corpus,
);
const entries = corpora.flatMap((c) => c.entries);
const valid = entries.filter((e) => e.expect === 'valid');
const refused = entries.filter((e): e is Entry & { expect: Refusal } => e.expect !== 'valid');

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const mismatch = (e: Entry) => ({
  valid: false,
  status: 403,
  code: 'SignatureDoesNotMatch',
  message: MISMATCH,
  ec: e.scheme === 'oss-v1' ? '0002-00000040' : '0002-00000201',
});

// --- building requests -------------------------------------------------------------------

type Pairs = [string, string][];

const request = (e: Entry, patch: Partial<{ method: string; url: string; headers: Pairs }> = {}) =>
  ({
    method: patch.method ?? e.method,
    url: patch.url ?? e.url,
    headers: patch.headers ?? e.headers.map(([n, v]) => [n, v] as [string, string]),
  }) satisfies RequestLike;

function options(e: Entry, patch: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    getSecret: (id) => (id === e.accessKeyId ? e.secret : undefined),
    now: new Date(e.now),
    ...(e.hostKind === 'custom' ? { bucket: e.bucket } : {}),
    ...patch,
  };
}

const verify = (r: RequestLike, opts: VerifyOptions): Promise<VerifyResult> =>
  verifySignature(r, opts);

/** The parts of a request target: what precedes the path, the raw path, the raw query. */
function parts(url: string): { origin: string; path: string; query: string | undefined } {
  const m = /^(https?:\/\/[^/?#]+)?([^?#]*)(?:\?([^#]*))?$/.exec(url);
  if (m === null) throw new Error(`unreadable URL ${url}`);
  return { origin: m[1] ?? '', path: m[2] ?? '', query: m[3] };
}
const join = (origin: string, path: string, query: string | undefined) =>
  `${origin}${path}${query === undefined ? '' : `?${query}`}`;

/** The last ASCII letter or digit of the raw path that is not inside a `%XX` escape. */
function keyByteChanged(e: Entry): string {
  const { origin, path, query } = parts(e.url);
  let at = -1;
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '%') i += 2;
    else if (/[A-Za-z0-9]/.test(path[i] as string)) at = i;
  }
  if (at === -1) throw new Error(`${e.id}: no plain key byte to change in ${path}`);
  const changed = path[at] === 'a' ? 'b' : 'a';
  return join(origin, `${path.slice(0, at)}${changed}${path.slice(at + 1)}`, query);
}

/** V1 signs these query parameters (and any other `x-oss-*` one); V4 signs all but the signature. */
const V1_SIGNED = /^(x-oss-.*|response-.*|versionId|security-token|Expires)$/;
const NUMERIC = new Set(['Expires', 'x-oss-expires', 'x-oss-traffic-limit']);
const SIGNATURE_PARAMS = new Set([
  'Signature',
  'OSSAccessKeyId',
  'x-oss-signature',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-signature-version',
  // Naming a header that is not sent is refused for that reason, not as a mismatch.
  'x-oss-additional-headers',
]);

/** One signed query value changed in its raw form; `undefined` when the target signs none. */
function queryValueChanged(e: Entry): { url: string; name: string } | undefined {
  const { origin, path, query } = parts(e.url);
  if (query === undefined) return undefined;
  const params = query.split('&').map((p) => {
    const eq = p.indexOf('=');
    return eq === -1 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
  }) as [string, string | undefined][];
  const signed = (name: string) =>
    !SIGNATURE_PARAMS.has(name) && (e.scheme === 'oss-v4' || V1_SIGNED.test(name));
  // Prefer a value the application chose over the signature's own expiry.
  let at = params.findIndex(
    ([n, v]) => signed(n) && !NUMERIC.has(n) && v !== undefined && v !== '',
  );
  if (at === -1) at = params.findIndex(([n, v]) => signed(n) && v !== undefined && v !== '');
  if (at === -1) return undefined;
  const [name, value] = params[at] as [string, string];
  const next = NUMERIC.has(name)
    ? String(Number(value) + (name === 'x-oss-expires' && Number(value) >= 604800 ? -1 : 1))
    : `${value}x`;
  params[at] = [name, next];
  const q = params.map(([n, v]) => (v === undefined ? n : `${n}=${v}`)).join('&');
  return { url: join(origin, path, q), name };
}

/** One signed header changed; `undefined` when the request sends none (a bare presigned URL). */
function headerChanged(e: Entry): { headers: Pairs; name: string } | undefined {
  const headers = e.headers.map(([n, v]) => [n, v] as [string, string]);
  const find = (test: (name: string) => boolean) =>
    headers.findIndex(([n]) => test(n.toLowerCase()));
  const change: [number, (v: string) => string][] = [
    [find((n) => n === 'content-type'), (v) => (v === 'image/png' ? 'image/gif' : 'image/png')],
    [find((n) => n.startsWith('x-oss-meta-')), (v) => `${v}x`],
    [find((n) => n === 'x-oss-security-token'), (v) => `${v}x`],
    [
      find((n) => n === 'content-md5'),
      (v) =>
        v === '1B2M2Y8AsgTpgAmY7PhCfg==' ? 'mPKbUzS25BU443o4yUecfQ==' : '1B2M2Y8AsgTpgAmY7PhCfg==',
    ],
    [
      e.scheme === 'oss-v4' ? find((n) => n === 'x-oss-content-sha256') : -1,
      () => 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    [
      e.scheme === 'oss-v1' ? find((n) => n === 'date') : -1,
      (v) => new Date(Date.parse(v) + 1000).toUTCString(),
    ],
  ];
  for (const [at, f] of change) {
    if (at === -1) continue;
    const [name, value] = headers[at] as [string, string];
    headers[at] = [name, f(value)];
    return { headers, name };
  }
  return undefined;
}

const OTHER_BUCKET = 'otherbucket';

/** The bucket label of an OSS host replaced, in the Host header or in the URL. */
function hostBucketChanged(e: Entry): Partial<{ url: string; headers: Pairs }> {
  const swap = (host: string) => {
    if (!host.startsWith(`${e.bucket}.`)) throw new Error(`${e.id}: host ${host} has no bucket`);
    return `${OTHER_BUCKET}${host.slice(e.bucket.length)}`;
  };
  if (e.location === 'query') {
    const { origin, path, query } = parts(e.url);
    const m = /^(https?:\/\/)(.*)$/.exec(origin) as RegExpExecArray;
    return { url: join(`${m[1]}${swap(m[2] as string)}`, path, query) };
  }
  return {
    headers: e.headers.map(([n, v]) => [n, n.toLowerCase() === 'host' ? swap(v) : v]),
  };
}

const otherMethod = (m: string) => (m === 'GET' ? 'HEAD' : 'GET');

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);
const title = (e: Entry) => `${e.id} ${e.operation} "${short(e.key)}" (${e.variant})`;

/** Only the fields `want` names, so that a failure prints a small diff. */
function pick(result: object, want: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(want).map((k) => [k, (result as Record<string, unknown>)[k]]),
  );
}

// --- the corpus itself ---------------------------------------------------------------------

describe('SDK corpus: what it holds', () => {
  it('holds at least 400 entries from at least two SDKs other than ali-oss', () => {
    expect(entries.length).toBeGreaterThanOrEqual(400);
    const sdks = new Set(entries.map((e) => e.sdk));
    expect(sdks.size).toBeGreaterThanOrEqual(2);
    for (const sdk of sdks) expect(sdk).not.toMatch(/^ali-oss@/);
  });

  it('spreads every SDK over V1/V4 x header/query', () => {
    for (const c of corpora) {
      for (const scheme of ['oss-v1', 'oss-v4'] as const) {
        for (const location of ['header', 'query'] as const) {
          const n = c.entries.filter(
            (e) => e.expect === 'valid' && e.scheme === scheme && e.location === location,
          ).length;
          expect(n, `${c.sdk} ${scheme} ${location}`).toBeGreaterThanOrEqual(100);
        }
      }
    }
  });

  it('covers STS tokens, x-oss-process, response-*, Unicode, `+`, spaces, custom domains', () => {
    const has = (test: (e: Entry) => boolean) => valid.filter(test).length;
    expect(has((e) => e.securityToken !== undefined)).toBeGreaterThan(100);
    expect(has((e) => /[?&]x-oss-process=/.test(e.url))).toBeGreaterThan(50);
    expect(has((e) => /[?&]response-content-disposition=/.test(e.url))).toBeGreaterThan(20);
    expect(has((e) => /[^\x20-\x7e]/.test(e.key))).toBeGreaterThan(20);
    expect(has((e) => e.key.includes('+'))).toBeGreaterThan(10);
    expect(has((e) => e.key.includes(' '))).toBeGreaterThan(10);
    expect(has((e) => e.hostKind === 'custom')).toBeGreaterThan(100);
    expect(has((e) => e.method === 'PUT')).toBeGreaterThan(50);
  });

  it('has ids that are unique', () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });
});

// --- every valid entry ---------------------------------------------------------------------

const policy = definePolicy({ extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp'] });

describe.each(corpora.map((c) => [c.sdk, c] as const))('SDK corpus %s: valid entries', (_, c) => {
  describe.each(c.entries.filter((e) => e.expect === 'valid').map((e) => [title(e), e] as const))(
    '%s',
    (_t, e) => {
      it('detected: signed, with its scheme, location and AccessKeyId', () => {
        const info = detectSignature(request(e), { now: new Date(e.now) });
        expect(pick(info, { kind: 0, scheme: 0, location: 0, accessKeyId: 0 })).toEqual({
          kind: 'signed',
          scheme: e.scheme,
          location: e.location,
          accessKeyId: e.accessKeyId,
        });
      });

      it('evaluate: a signed read is allowed as signed (a write as not-a-read)', () => {
        const d = evaluate(request(e), policy, {
          now: new Date(e.now),
          ...(e.hostKind === 'custom' ? { bucket: e.bucket } : {}),
        });
        expect(pick(d, { allow: 0, reason: 0 })).toEqual({
          allow: true,
          reason: e.method === 'PUT' ? 'not-a-read' : 'signed',
        });
      });

      it('verified: valid', async () => {
        const result = await verify(request(e), options(e));
        expect(result).toEqual({
          valid: true,
          accessKeyId: e.accessKeyId,
          scheme: e.scheme,
          location: e.location,
        });
      });

      it('tampered key byte → SignatureDoesNotMatch', async () => {
        const result = await verify(request(e, { url: keyByteChanged(e) }), options(e));
        expect(result).toEqual(mismatch(e));
      });

      const q = queryValueChanged(e);
      if (q !== undefined) {
        it(`tampered signed query value ${q.name} → SignatureDoesNotMatch`, async () => {
          const result = await verify(request(e, { url: q.url }), options(e));
          expect(result).toEqual(mismatch(e));
        });
      }

      const h = headerChanged(e);
      if (h !== undefined) {
        it(`tampered signed header ${h.name} → SignatureDoesNotMatch`, async () => {
          const result = await verify(request(e, { headers: h.headers }), options(e));
          expect(result).toEqual(mismatch(e));
        });
      }

      it(`tampered method ${e.method} → ${otherMethod(e.method)} → SignatureDoesNotMatch`, async () => {
        const result = await verify(request(e, { method: otherMethod(e.method) }), options(e));
        expect(result).toEqual(mismatch(e));
      });

      it('tampered secret → SignatureDoesNotMatch', async () => {
        const result = await verify(
          request(e),
          options(e, { getSecret: (id) => (id === e.accessKeyId ? `${e.secret}x` : undefined) }),
        );
        expect(result).toEqual(mismatch(e));
      });

      it(`tampered bucket: the gateway's bucket is ${OTHER_BUCKET} → SignatureDoesNotMatch`, async () => {
        const result = await verify(request(e), options(e, { bucket: OTHER_BUCKET }));
        expect(result).toEqual(mismatch(e));
      });

      if (e.hostKind === 'oss') {
        it(`tampered bucket: host ${OTHER_BUCKET}.… → SignatureDoesNotMatch`, async () => {
          const result = await verify(request(e, hostBucketChanged(e)), options(e));
          expect(result).toEqual(mismatch(e));
        });
      }
    },
  );
});

// --- what the SDKs sign and OSS refuses ------------------------------------------------------

describe('SDK corpus: entries OSS refuses', () => {
  it('has some, each with its reason', () => {
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) expect(e.expect.why.length, e.id).toBeGreaterThan(20);
  });

  describe.each(refused.map((e) => [`${title(e)} → ${e.expect.refuse}`, e] as const))(
    '%s',
    (_t, e) => {
      it(`detected: ${e.expect.detect ?? 'signed'}`, () => {
        const info = detectSignature(request(e), { now: new Date(e.now) });
        if (e.expect.detect === 'malformed') expect(info.kind).toBe('malformed');
        else
          expect(pick(info, { kind: 0, scheme: 0, location: 0, accessKeyId: 0 })).toEqual({
            kind: 'signed',
            scheme: e.scheme,
            location: e.location,
            accessKeyId: e.accessKeyId,
          });
      });

      it(`verified: refused with ${e.expect.refuse}`, async () => {
        const result = await verify(request(e), options(e));
        expect(pick(result, { valid: 0, code: 0 })).toEqual({
          valid: false,
          code: e.expect.refuse,
        });
      });
    },
  );
});
