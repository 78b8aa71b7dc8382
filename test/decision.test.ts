import { describe, expect, it } from 'vitest';
import {
  type Decision,
  definePolicy,
  errorResponse,
  evaluate,
  type ProtectionMatch,
} from '../src/index.js';
import { type DecisionCase, decisionCases, NOW, POLICIES } from './cases/decision.js';

const policies = Object.fromEntries(Object.entries(POLICIES).map(([k, v]) => [k, definePolicy(v)]));

const matchText = (m: ProtectionMatch | undefined) =>
  m === undefined
    ? null
    : m.kind === 'rule'
      ? `rule:${m.index}`
      : m.kind === 'extension'
        ? `ext:${m.extension}`
        : '*';

function run(row: DecisionCase): Decision {
  const request = {
    url: row.url,
    ...(row.method ? { method: row.method } : {}),
    ...(row.headers ? { headers: row.headers } : {}),
  };
  return evaluate(request, policies[row.policy ?? 'P'] as never, {
    now: row.now ?? NOW,
    ...(row.contentType === undefined ? {} : { contentType: row.contentType }),
    ...(row.buckets === undefined ? {} : { buckets: row.buckets }),
  });
}

describe('S4–S6 decision case table', () => {
  it('has at least 150 rows, each naming its clause', () => {
    expect(decisionCases.length).toBeGreaterThanOrEqual(150);
    for (const row of decisionCases) expect(row.clause).toMatch(/^S\d/);
    expect(new Set(decisionCases.map((r) => r.clause)).size).toBe(decisionCases.length);
  });

  for (const row of decisionCases) {
    it(row.clause, () => {
      const d = run(row);
      const e = row.expect;
      expect({ allow: d.allow, reason: d.reason }).toEqual({ allow: e.allow, reason: e.reason });
      if (!d.allow) {
        expect(d.status).toBe(e.status);
        expect(d.code).toBe(e.code);
        expect(d.message.length).toBeGreaterThan(5);
        expect(d.ec).toBe(e.ec);
      }
      if (e.key !== undefined) expect(d.key ?? null).toBe(e.key);
      if (e.style !== undefined) expect(d.style ?? null).toBe(e.style);
      if (e.match !== undefined) expect(matchText(d.match)).toBe(e.match);
      if (e.bucket !== undefined) expect(d.bucket ?? null).toBe(e.bucket);
      if (e.ambiguous !== undefined) expect(d.ambiguous).toBe(e.ambiguous);
      if (e.readings !== undefined) expect(d.readings).toHaveLength(e.readings);
      if (e.hint !== undefined) expect(d.hint !== undefined).toBe(e.hint);
      if (e.via !== undefined) expect(d.via ?? null).toBe(e.via);
      if (e.source !== undefined) {
        // The deciding reading: the first denying one, else the first.
        const deciding = d.readings.find((r) => !r.allowed) ?? d.readings[0];
        expect(deciding?.source).toBe(e.source);
      }
      if (e.scheme !== undefined)
        expect(d.signature).toMatchObject({ kind: 'signed', scheme: e.scheme });
    });
  }
});

describe('S6 messages', () => {
  const policy = definePolicy(POLICIES.P);
  it('direct read: OSS message, no EC', () => {
    const d = evaluate({ url: 'https://bkt.oss-cn-hangzhou.aliyuncs.com/image/a.jpg' }, policy);
    expect(d).toMatchObject({ allow: false, message: 'Forbidden access to the original image.' });
    expect(d.allow === false && d.ec).toBeUndefined();
  });
  it('inline: channel message and EC 0040-00000031', () => {
    const d = evaluate({ url: '/image/a.jpg?x-oss-process=image/resize,w_1' }, policy);
    expect(d).toMatchObject({
      message: 'The channel can be only accessed using style.',
      ec: '0040-00000031',
    });
  });
  it('expired: Request has expired.', () => {
    const d = evaluate({ url: '/a.jpg?OSSAccessKeyId=a&Expires=1&Signature=c2ln' }, policy, {
      now: NOW,
    });
    expect(d).toMatchObject({ message: 'Request has expired.' });
  });
  it('V1 query incomplete: OSS message', () => {
    const d = evaluate({ url: '/a.jpg?OSSAccessKeyId=a&Expires=1' }, policy);
    expect(d).toMatchObject({
      message:
        'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    });
  });
  it('without now, an old query signature is not judged expired', () => {
    const d = evaluate({ url: '/image/a.jpg?OSSAccessKeyId=a&Expires=1&Signature=c2ln' }, policy);
    expect(d).toMatchObject({ allow: true, reason: 'signed', signature: { expired: false } });
  });
});

describe('S6 errorResponse', () => {
  const policy = definePolicy(POLICIES.P);
  const deny = (url: string, method = 'GET') => {
    const d = evaluate({ url, method }, policy);
    if (d.allow) throw new Error('expected a denial');
    return d;
  };

  it('has OSS’s XML shape, status and headers', () => {
    const r = errorResponse(
      deny('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/image/a.jpg'),
      { requestId: '5C3D9175B6FC201293AD4890' },
    );
    expect(r.status).toBe(403);
    expect(r.headers).toEqual({
      'content-type': 'application/xml',
      'x-oss-request-id': '5C3D9175B6FC201293AD4890',
    });
    expect(r.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n' +
        '  <Message>Forbidden access to the original image.</Message>\n  <RequestId>5C3D9175B6FC201293AD4890</RequestId>\n' +
        '  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>\n',
    );
  });

  it('carries the EC in a header and in the body', () => {
    const r = errorResponse(deny('/image/a.jpg?x-oss-process=image/info'), {
      requestId: 'R',
      hostId: 'h',
    });
    expect(r.headers['x-oss-ec']).toBe('0040-00000031');
    expect(r.body).toContain('  <EC>0040-00000031</EC>\n');
    expect(r.body).toContain('<HostId>h</HostId>');
  });

  it('sends no body for HEAD (from the decision or the option)', () => {
    expect(errorResponse(deny('/image/a.jpg', 'HEAD')).body).toBe('');
    expect(errorResponse(deny('/image/a.jpg'), { method: 'head' }).body).toBe('');
    expect(errorResponse(deny('/image/a.jpg', 'HEAD')).headers['content-type']).toBe(
      'application/xml',
    );
  });

  it('makes a 24-hex-digit request id when none is given', () => {
    const a = errorResponse(deny('/image/a.jpg')).headers['x-oss-request-id'];
    const b = errorResponse(deny('/image/a.jpg')).headers['x-oss-request-id'];
    expect(a).toMatch(/^[0-9A-F]{24}$/);
    expect(a).not.toBe(b);
  });

  it('XML-escapes every value and replaces characters XML cannot hold', () => {
    const d = deny('/a.jpg?OSSAccessKeyId=a&Expires=%3C%26x%3E%01&Signature=c2ln');
    const r = errorResponse(d, { requestId: '"\'&', hostId: '<h>\ud800' });
    expect(r.body).toContain('<RequestId>&quot;&apos;&amp;</RequestId>');
    expect(r.body).toContain('<HostId>&lt;h&gt;\ufffd</HostId>');
    expect(r.body).toContain('&lt;&amp;x&gt;\ufffd');
    expect(r.body).not.toContain('\u0001');
  });
});
