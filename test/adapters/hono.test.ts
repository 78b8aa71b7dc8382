/**
 * oss-source-guard/hono in a Hono app: through `app.request`, and over loopback through
 * `@hono/node-server` with raw request targets. That it type-checks in `app.use` (with Hono's own
 * types, as a user's `tsc` sees them) is part of the test.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GuardDecision, ossSourceGuard } from '../../src/adapters/hono.js';
import {
  BUCKET,
  forge,
  getSecret,
  ossClient,
  POLICY,
  rawRequest,
  TARGETS,
  targetOf,
} from './support.js';

function app(decisions: GuardDecision[] = []) {
  const a = new Hono();
  a.use(
    ossSourceGuard(POLICY, {
      bucket: BUCKET,
      verify: { getSecret },
      onDecision: (d) => void decisions.push(d),
    }),
  );
  a.get('*', (c) => c.text(`origin GET ${c.req.path}`));
  return a;
}

describe('ossSourceGuard through app.request', () => {
  const a = app();

  it('passes styles on to the handler, answers OSS’s 403 otherwise', async () => {
    const style = await a.request('/image/a.jpg?x-oss-process=style/small');
    expect([style.status, await style.text()]).toEqual([200, 'origin GET /image/a.jpg']);
    expect((await a.request('/image/a.jpg!thumb')).status).toBe(200);
    const direct = await a.request('/image/a.jpg');
    expect(direct.status).toBe(403);
    expect(direct.headers.get('content-type')).toBe('application/xml');
    expect(await direct.text()).toContain(
      '<Message>Forbidden access to the original image.</Message>',
    );
    const inline = await a.request('/image/a.jpg?x-oss-process=image/resize,w_1');
    expect(inline.headers.get('x-oss-ec')).toBe('0040-00000031');
  });

  it('HEAD: no body', async () => {
    const r = await a.request('/image/a.jpg', { method: 'HEAD' });
    expect(r.status).toBe(403);
    expect(r.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(await r.text()).toBe('');
  });

  it('verifies signed URLs', async () => {
    const url = ossClient(80).signatureUrl('image/a.jpg', { expires: 300 });
    expect((await a.request(url)).status).toBe(200);
    const forged = await a.request(forge(url, 'Signature'));
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('onDeny gets the Context and may answer with it; on a path, as Hono middleware', async () => {
    const b = new Hono();
    b.use(
      '/image/*',
      ossSourceGuard(POLICY, {
        onDeny: (denial, c: Context) =>
          denial.reason === 'original' ? c.redirect(`${c.req.path}!small`, 302) : undefined,
      }),
    );
    b.get('*', (c) => c.text('ok'));
    const r = await b.request('/image/a.jpg');
    expect([r.status, r.headers.get('location')]).toEqual([302, '/image/a.jpg!small']);
    expect((await b.request('/image/a.jpg?x-oss-process=image/crop')).status).toBe(403);
    expect((await b.request('/other/a.jpg')).status).toBe(200);
  });
});

describe('ossSourceGuard through @hono/node-server, raw targets over loopback', () => {
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    server = serve({ fetch: app().fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each(TARGETS)('$target ($why)', async ({ target, status, ec }) => {
    const r = await rawRequest(port, target);
    if (status === 0) {
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/^origin GET \//);
    } else {
      expect(r.status).toBe(status);
      expect(r.headers['content-type']).toBe('application/xml');
      expect(r.headers['x-oss-ec']).toBe(ec);
      expect(r.body).toContain('<Code>AccessDenied</Code>');
    }
  });

  it('a request signed by ali-oss in its Authorization header passes', async () => {
    const result = await ossClient(port, { v4: true }).get('image/a.jpg');
    expect(String(result.content)).toBe('origin GET /image/a.jpg');
    const url = ossClient(port).signatureUrl('image/a.jpg', { expires: 300 });
    const forged = await rawRequest(port, forge(targetOf(url), 'Signature'));
    expect(forged.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
