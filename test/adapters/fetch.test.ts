/**
 * oss-source-guard/fetch on Node's own Fetch `Request` and `Response`: the answers, the hooks,
 * verification of URLs signed by ali-oss. The same guard inside workerd, Deno and Bun is in
 * runtimes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createFetchGuard, type GuardDecision } from '../../src/adapters/fetch.js';
import { BUCKET, forge, getSecret, ossClient, POLICY } from './support.js';

const HOST = 'http://img.example.com';

describe('createFetchGuard', () => {
  const guard = createFetchGuard(POLICY, { bucket: BUCKET });

  it('resolves undefined for requests that may go on', async () => {
    for (const path of ['/image/a.jpg?x-oss-process=style/small', '/image/a.jpg!thumb', '/a.txt'])
      expect(await guard(new Request(HOST + path))).toBeUndefined();
  });

  it("answers a denial with OSS's XML error", async () => {
    const r = (await guard(new Request(`${HOST}/image/a.jpg`))) as Response;
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toBe('application/xml');
    const id = r.headers.get('x-oss-request-id') as string;
    expect(id).toMatch(/^[0-9A-F]{24}$/);
    expect(await r.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>AccessDenied</Code>\n' +
        '  <Message>Forbidden access to the original image.</Message>\n' +
        `  <RequestId>${id}</RequestId>\n  <HostId>img.example.com</HostId>\n</Error>\n`,
    );
    const inline = (await guard(
      new Request(`${HOST}/image/a.jpg?x-oss-process=image/resize,w_10`),
    )) as Response;
    expect(inline.headers.get('x-oss-ec')).toBe('0040-00000031');
    expect(await inline.text()).toContain('<EC>0040-00000031</EC>');
  });

  it('HEAD: the same status and headers, no body', async () => {
    const r = (await guard(new Request(`${HOST}/image/a.jpg`, { method: 'HEAD' }))) as Response;
    expect(r.status).toBe(403);
    expect(r.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(r.body).toBeNull();
  });

  it('judges the URL as the Fetch runtime parsed it: dot segments are already gone', async () => {
    const r = await guard(new Request(`${HOST}/secret/../image/a.gif`));
    expect(r?.status).toBe(403);
  });

  it('onDeny may answer instead (without a body for HEAD); undefined keeps OSS’s answer', async () => {
    const denials: string[] = [];
    const placeholder = createFetchGuard(POLICY, {
      onDeny: (denial, request) => {
        denials.push(`${request.method} ${denial.reason}`);
        return denial.reason === 'original'
          ? new Response('placeholder', { status: 200, headers: { 'content-type': 'image/png' } })
          : undefined;
      },
    });
    const get = (await placeholder(new Request(`${HOST}/image/a.jpg`))) as Response;
    expect([get.status, await get.text()]).toEqual([200, 'placeholder']);
    const head = (await placeholder(
      new Request(`${HOST}/image/a.jpg`, { method: 'HEAD' }),
    )) as Response;
    expect([head.status, head.headers.get('content-type'), head.body]).toEqual([
      200,
      'image/png',
      null,
    ]);
    const inline = (await placeholder(
      new Request(`${HOST}/image/a.jpg?x-oss-process=image/crop`),
    )) as Response;
    expect(inline.status).toBe(403);
    expect(denials).toEqual(['GET original', 'HEAD original', 'GET inline-processing']);
    const bad = createFetchGuard(POLICY, { onDeny: () => 'nope' as never });
    await expect(bad(new Request(`${HOST}/image/a.jpg`))).rejects.toThrow(
      'createFetchGuard: options.onDeny must return a Response or undefined.',
    );
  });

  it('onDecision sees every decision, allowed or not, with the request', async () => {
    const seen: [GuardDecision, Request][] = [];
    const g = createFetchGuard(POLICY, { onDecision: (d, r) => void seen.push([d, r]) });
    const a = new Request(`${HOST}/image/a.jpg!small`);
    const b = new Request(`${HOST}/image/a.jpg`);
    await g(a);
    await g(b);
    expect(seen.map(([d, r]) => [d.allow, d.reason, r])).toEqual([
      [true, 'style', a],
      [false, 'original', b],
    ]);
  });

  it('verifies URLs signed by ali-oss with verify; a forged one gets SignatureDoesNotMatch', async () => {
    const seen: GuardDecision[] = [];
    const verifying = createFetchGuard(POLICY, {
      bucket: BUCKET,
      verify: { getSecret: async (id) => getSecret(id) },
      onDecision: (d) => void seen.push(d),
    });
    const client = ossClient(8080);
    const v1 = client.signatureUrl('image/a.jpg', { expires: 300 });
    const v4 = await client.signatureUrlV4('GET', 300, undefined, 'image/a.jpg');
    for (const url of [v1, v4]) {
      expect(await verifying(new Request(url))).toBeUndefined();
      expect(seen.at(-1)?.signature).toMatchObject({ kind: 'signed', verified: true });
    }
    const forged = (await verifying(new Request(forge(v1, 'Signature')))) as Response;
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(seen.at(-1)).toMatchObject({
      allow: false,
      reason: 'invalid-signature',
      signature: { kind: 'signed', verified: false },
    });
    // Without verify the same forgery passes, as detection alone cannot tell.
    expect(await guard(new Request(forge(v1, 'Signature')))).toBeUndefined();
  });

  it('validates its options once, naming the bad one', () => {
    expect(() => createFetchGuard(POLICY, { onDeny: 1 as never })).toThrow(
      'createFetchGuard: options.onDeny must be a function, not number.',
    );
    expect(() => createFetchGuard(POLICY, { requestID: () => 'x' } as never)).toThrow(
      /createFetchGuard: unknown option "requestID"/,
    );
  });

  it('requestId and now are called per request', async () => {
    let n = 0;
    const g = createFetchGuard(POLICY, {
      requestId: () => `ID${++n}`,
      now: () => new Date(Date.UTC(2031, 0, 1)),
    });
    const a = (await g(new Request(`${HOST}/image/a.jpg`))) as Response;
    const b = (await g(
      new Request(`${HOST}/image/a.jpg?OSSAccessKeyId=a&Expires=1900000000&Signature=x`),
    )) as Response;
    expect([a.headers.get('x-oss-request-id'), b.headers.get('x-oss-request-id')]).toEqual([
      'ID1',
      'ID2',
    ]);
    expect(await b.text()).toContain('<Message>Request has expired.</Message>');
  });
});
