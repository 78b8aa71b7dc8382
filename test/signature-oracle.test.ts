/**
 * SPEC S5 against ali-oss: every URL it signs and every request it sends is detected as signed,
 * with the right scheme, location and AccessKeyId; removing any one signature parameter (or
 * field of the Authorization header) makes it malformed, never anonymous.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/decision/evaluate.js';
import { definePolicy } from '../src/policy/validate.js';
import type { RequestLike } from '../src/request/access.js';
import { detectSignature } from '../src/signature/detect.js';
import {
  KINDS,
  NOW,
  type OracleCase,
  type OracleKind,
  oracleCases,
  oracleKeys,
} from './support/ali-oss.js';

const KEY_COUNT = 200;
let cases: OracleCase[] = [];

beforeAll(async () => {
  cases = await oracleCases(oracleKeys(KEY_COUNT, 0x5195));
}, 60_000);

const ofKind = (kind: OracleKind) => cases.filter((c) => c.kind === kind);

/** Every case of a kind through `check`; the first few that fail are shown. */
function expectAll(kind: OracleKind, check: (c: OracleCase) => unknown[] | undefined): void {
  const wrong: unknown[] = [];
  for (const c of ofKind(kind)) {
    const problems = check(c);
    if (problems !== undefined && problems.length > 0)
      wrong.push({ key: c.key, url: c.request.url, problems });
  }
  expect(wrong.slice(0, 3)).toEqual([]);
}

/** The URL without the query parameter `name` (matched decoded, as detection reads it). */
function withoutParam(url: string, name: string): string {
  const q = url.indexOf('?');
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => decodeURIComponent(p.split('=')[0] as string) !== name);
  return `${url.slice(0, q)}?${kept.join('&')}`;
}

/** The request with its Authorization header (in `headers` and `rawHeaders`) replaced or removed. */
function withHeader(request: RequestLike, name: string, value: string | undefined): RequestLike {
  const headers = { ...(request.headers as Record<string, string>) };
  delete headers[name];
  if (value !== undefined) headers[name] = value;
  const raw: string[] = [];
  const rawHeaders = request.rawHeaders ?? [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== name)
      raw.push(rawHeaders[i] as string, rawHeaders[i + 1] as string);
  }
  if (value !== undefined) raw.push(name, value);
  return { ...request, headers, rawHeaders: raw };
}

const REQUIRED: Record<'v1-url' | 'v4-url', readonly string[]> = {
  'v1-url': ['OSSAccessKeyId', 'Expires', 'Signature'],
  'v4-url': [
    'x-oss-signature-version',
    'x-oss-credential',
    'x-oss-date',
    'x-oss-expires',
    'x-oss-signature',
  ],
};

/** Authorization headers with one part removed: each must be malformed. */
function brokenAuthorizations(value: string): string[] {
  if (value.startsWith('OSS ')) {
    const colon = value.indexOf(':');
    return [
      value.slice(0, colon + 1), // no signature
      `OSS ${value.slice(colon)}`, // no AccessKeyId
      value.slice(0, colon), // no separator and signature
      value.slice(4), // no scheme
    ];
  }
  // AdditionalHeaders is optional: without it the header is still well-formed (and no longer
  // verifies, which test/verify.test.ts checks).
  const fields = value.slice('OSS4-HMAC-SHA256 '.length).split(',');
  const required = fields.filter((f) => !f.startsWith('AdditionalHeaders='));
  return [
    ...required.map((f) => `OSS4-HMAC-SHA256 ${fields.filter((g) => g !== f).join(',')}`),
    fields.join(','), // no scheme
  ];
}

describe('ali-oss oracle: detectSignature (S5)', () => {
  it('covers at least 200 generated keys for each kind of signature', () => {
    for (const kind of KINDS) expect(ofKind(kind).length).toBeGreaterThan(KEY_COUNT - 5);
    expect(new Set(cases.map((c) => c.key)).size).toBeGreaterThanOrEqual(KEY_COUNT - 2);
  });

  describe.each(KINDS)('%s', (kind) => {
    it('is signed, with the scheme, location and AccessKeyId ali-oss used', () => {
      expectAll(kind, (c) => {
        const info = detectSignature(c.request, { now: NOW });
        const want = {
          kind: 'signed',
          scheme: c.scheme,
          location: c.location,
          accessKeyId: c.credentials.accessKeyId,
          expired: false,
        };
        const got = {
          kind: info.kind,
          ...(info.kind === 'signed'
            ? {
                scheme: info.scheme,
                location: info.location,
                accessKeyId: info.accessKeyId,
                expired: info.expired,
              }
            : { message: info.kind === 'malformed' ? info.message : '' }),
        };
        return JSON.stringify(got) === JSON.stringify(want) ? [] : [got];
      });
    });

    if (kind === 'v1-url' || kind === 'v4-url') {
      it('reports the expiry ali-oss signed, and expired one second after it', () => {
        expectAll(kind, (c) => {
          const at = (c.expiresAt as Date).getTime();
          const now = detectSignature(c.request, { now: new Date(at) });
          const after = detectSignature(c.request, { now: new Date(at + 1000) });
          return now.kind === 'signed' &&
            now.expires?.getTime() === at &&
            !now.expired &&
            after.kind === 'signed' &&
            after.expired
            ? []
            : [now, after];
        });
      });

      it('is malformed without any one of its signature parameters', () => {
        expectAll(kind, (c) =>
          REQUIRED[kind].flatMap((name) => {
            const info = detectSignature({ ...c.request, url: withoutParam(c.request.url, name) });
            return info.kind === 'malformed' ? [] : [{ without: name, info }];
          }),
        );
      });
    } else {
      it('is malformed when any one part of the Authorization header is removed', () => {
        expectAll(kind, (c) => {
          const authorization = (c.request.headers as Record<string, string>)
            .authorization as string;
          return brokenAuthorizations(authorization).flatMap((broken) => {
            const info = detectSignature(withHeader(c.request, 'authorization', broken));
            return info.kind === 'malformed' ? [] : [{ broken, info }];
          });
        });
      });

      if (kind === 'v4-header') {
        it('is malformed without its x-oss-date header', () => {
          expectAll(kind, (c) => {
            const info = detectSignature(withHeader(c.request, 'x-oss-date', undefined));
            return info.kind === 'malformed' ? [] : [info];
          });
        });
      }
    }

    it('is allowed as signed by evaluate, even under a policy that protects every key', () => {
      const policy = definePolicy({ extensions: ['*'], rules: [{ prefix: 'a' }] });
      expectAll(kind, (c) => {
        const d = evaluate(c.request, policy, { now: NOW, ...c.bucketOptions });
        return d.allow && d.reason === 'signed' ? [] : [d];
      });
    });
  });
});
