/**
 * oss-source-guard/node in real servers over loopback: a `node:http` server and an Express 5 app,
 * raw request targets (dot segments, `;` and escapes reach the server as written), ali-oss as the
 * client that signs, and the options and hooks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNodeGuard,
  type GuardDecision,
  type NodeGuardOptions,
} from '../../src/adapters/node.js';
import { definePolicy, PolicyError } from '../../src/index.js';
import {
  BUCKET,
  CREDENTIALS,
  forge,
  getSecret,
  ossClient,
  POLICY,
  type Received,
  rawRequest,
  TARGETS,
  targetOf,
} from './support.js';

type Options = NodeGuardOptions<http.IncomingMessage, http.ServerResponse>;

/** A `node:http` server: the guard, then an origin that names what it serves. */
async function nodeServer(options: Options) {
  const guard = createNodeGuard(POLICY, options);
  const server = http.createServer(async (req, res) => {
    try {
      if (!(await guard(req, res))) return;
    } catch (error) {
      res.writeHead(500).end(`guard failed: ${(error as Error).message}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`origin ${req.method} ${req.url}`);
  });
  return listen(server);
}

/** An Express 5 app: the guard as middleware, an origin, and an error handler. */
async function expressServer(options: Options) {
  const app = express();
  app.use(createNodeGuard(POLICY, options));
  app.use((req, res) => {
    res.type('text/plain').send(`origin ${req.method} ${req.url}`);
  });
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).type('text/plain').send(`express error: ${error.message}`);
    },
  );
  return listen(http.createServer(app));
}

async function listen(server: http.Server) {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** OSS's error answer: status, XML type, a request id in header and body, the EC where known. */
function expectOssError(r: Received, status: number, code: string, ec?: string) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/xml');
  const id = r.headers['x-oss-request-id'] as string;
  expect(id).toMatch(/^[0-9A-F]{24}$/);
  expect(r.headers['x-oss-ec']).toBe(ec);
  expect(r.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>\n/);
  expect(r.body).toContain(`<Code>${code}</Code>`);
  expect(r.body).toContain(`<RequestId>${id}</RequestId>`);
  if (ec !== undefined) expect(r.body).toContain(`<EC>${ec}</EC>`);
}

const SERVERS = [
  ['node:http', nodeServer],
  ['Express 5', expressServer],
] as const;

describe.each(SERVERS)('%s with createNodeGuard', (_name, start) => {
  let server: Awaited<ReturnType<typeof nodeServer>>;
  const decisions: GuardDecision[] = [];
  beforeAll(async () => {
    server = await start({
      bucket: BUCKET,
      verify: { getSecret },
      onDecision: (d) => {
        decisions.push(d);
      },
    });
  });
  afterAll(() => server.close());

  it.each(TARGETS)('$target ($why)', async ({ target, status, ec }) => {
    const r = await rawRequest(server.port, target);
    if (status === 0) {
      expect(r.status).toBe(200);
      expect(r.body).toBe(`origin GET ${target}`);
    } else {
      const original = ec === undefined;
      expectOssError(r, status, 'AccessDenied', ec);
      expect(r.body).toContain(
        original
          ? '<Message>Forbidden access to the original image.</Message>'
          : '<Message>The channel can be only accessed using style.</Message>',
      );
    }
  });

  it('HEAD of a denied object: the same status and headers, no body', async () => {
    const r = await rawRequest(server.port, '/image/a.jpg', { method: 'HEAD' });
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(r.body).toBe('');
    const inline = await rawRequest(server.port, '/image/a.jpg?x-oss-process=image/resize,w_9', {
      method: 'HEAD',
    });
    expect(inline.headers['x-oss-ec']).toBe('0040-00000031');
    expect(inline.body).toBe('');
  });

  it('a lower-case method is a read too; a PUT is not governed', async () => {
    expect((await rawRequest(server.port, '/image/a.jpg', { method: 'get' })).status).toBe(403);
    const put = await rawRequest(server.port, '/image/a.jpg', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(200);
  });

  it('URLs signed by ali-oss (V1 and V4) pass with verify; the decision says verified', async () => {
    const client = ossClient(server.port);
    const v1 = targetOf(client.signatureUrl('image/a.jpg', { expires: 300 }));
    const v4 = targetOf(await client.signatureUrlV4('GET', 300, undefined, 'image/a.jpg'));
    for (const target of [v1, v4]) {
      decisions.length = 0;
      const r = await rawRequest(server.port, target, {
        headers: { host: `localhost:${server.port}` },
      });
      expect(r.status, target).toBe(200);
      expect(r.body).toBe(`origin GET ${target}`);
      const d = decisions.at(-1) as GuardDecision;
      expect(d.allow && d.reason).toBe('signed');
      expect(d.signature).toMatchObject({ kind: 'signed', verified: true });
    }
  });

  it('requests signed by ali-oss in the Authorization header (V1 and V4) pass', async () => {
    for (const v4 of [false, true]) {
      const result = await ossClient(server.port, { v4 }).get('image/a.jpg');
      expect(result.res.status).toBe(200);
      expect(String(result.content)).toBe('origin GET /image/a.jpg');
    }
  });

  it('a forged signature gets SignatureDoesNotMatch; an unknown key InvalidAccessKeyId', async () => {
    const client = ossClient(server.port);
    const signed = targetOf(client.signatureUrl('image/a.jpg', { expires: 300 }));
    const forged = await rawRequest(server.port, forge(signed, 'Signature'));
    expectOssError(forged, 403, 'SignatureDoesNotMatch', '0002-00000040');
    const v4 = targetOf(await client.signatureUrlV4('GET', 300, undefined, 'image/a.jpg'));
    expectOssError(
      await rawRequest(server.port, forge(v4, 'x-oss-signature')),
      403,
      'SignatureDoesNotMatch',
      '0002-00000201',
    );
    // ali-oss itself reads the XML error: a client with the wrong secret is told why.
    await expect(
      ossClient(server.port, { secret: 'wrong' }).get('image/a.jpg'),
    ).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const stranger = signed.replace(CREDENTIALS.accessKeyId, 'LTAI5tSomebodyElse');
    expectOssError(await rawRequest(server.port, stranger), 403, 'InvalidAccessKeyId');
  });
});

describe('createNodeGuard without verify', () => {
  it('detects signatures only: a forged one passes, and the decision says verified: false', async () => {
    const seen: GuardDecision[] = [];
    const server = await nodeServer({ bucket: BUCKET, onDecision: (d) => void seen.push(d) });
    try {
      const signed = targetOf(ossClient(server.port).signatureUrl('image/a.jpg', { expires: 300 }));
      const r = await rawRequest(server.port, forge(signed, 'Signature'));
      expect(r.status).toBe(200);
      expect(seen.at(-1)?.signature).toMatchObject({ kind: 'signed', verified: false });
      await rawRequest(server.port, '/image/a.jpg');
      expect(seen.at(-1)?.signature).toEqual({ kind: 'anonymous', verified: false });
    } finally {
      await server.close();
    }
  });
});

/** A fake response that records what the guard wrote. */
function recorder() {
  const written: { status?: number; headers: Record<string, string>; body?: unknown } = {
    headers: {},
  };
  const res = {
    statusCode: 200,
    headersSent: false,
    setHeader(name: string, value: string) {
      written.headers[name] = value;
    },
    end(body?: string | Uint8Array) {
      written.status = res.statusCode;
      written.body = body;
    },
  };
  return { res, written };
}

const request = (url: string, method = 'GET') => ({
  method,
  url,
  headers: { host: 'img.example.com' },
});

describe('createNodeGuard options and hooks', () => {
  it('resolves true and calls next() when allowed; false, without next(), when denied', async () => {
    const guard = createNodeGuard(POLICY);
    let nexts = 0;
    const allowed = recorder();
    expect(await guard(request('/image/a.jpg!small'), allowed.res, () => nexts++)).toBe(true);
    expect(nexts).toBe(1);
    expect(allowed.written.status).toBeUndefined();
    const denied = recorder();
    expect(await guard(request('/image/a.jpg'), denied.res, () => nexts++)).toBe(false);
    expect(nexts).toBe(1);
    expect(denied.written.status).toBe(403);
    expect(denied.written.headers['content-type']).toBe('application/xml');
    expect(String(denied.written.body)).toContain('<HostId>img.example.com</HostId>');
  });

  it('requestId names the error; now decides expiry', async () => {
    const guard = createNodeGuard(POLICY, {
      requestId: () => 'FIXED-ID',
      now: () => new Date(Date.UTC(2030, 0, 1)),
    });
    const r = recorder();
    await guard(request('/image/a.jpg'), r.res);
    expect(r.written.headers['x-oss-request-id']).toBe('FIXED-ID');
    expect(String(r.written.body)).toContain('<RequestId>FIXED-ID</RequestId>');
    const expired = recorder();
    await guard(
      request('/image/a.jpg?OSSAccessKeyId=a&Expires=1700000000&Signature=x'),
      expired.res,
    );
    expect(String(expired.written.body)).toContain('<Message>Request has expired.</Message>');
  });

  it('onDeny may answer instead: { status, headers, body }, or true after writing itself', async () => {
    const placeholder = createNodeGuard(POLICY, {
      onDeny: (denial) => ({
        status: 302,
        headers: { location: `/image/${denial.key?.slice(6)}!small` },
      }),
    });
    const a = recorder();
    expect(await placeholder(request('/image/a.jpg'), a.res)).toBe(false);
    expect(a.written).toMatchObject({ status: 302, headers: { location: '/image/a.jpg!small' } });
    const self = createNodeGuard(POLICY, {
      onDeny: (_denial, _req, res) => {
        res.statusCode = 451;
        res.end('gone');
        return true;
      },
    });
    const b = recorder();
    expect(await self(request('/image/a.jpg'), b.res)).toBe(false);
    expect(b.written).toMatchObject({ status: 451, body: 'gone' });
    const fallBack = createNodeGuard(POLICY, { onDeny: () => undefined });
    const c = recorder();
    await fallBack(request('/image/a.jpg'), c.res);
    expect(c.written.status).toBe(403);
  });

  it('an error in a hook or getSecret goes to next(error), or rejects without next', async () => {
    const guard = createNodeGuard(POLICY, {
      bucket: BUCKET,
      verify: {
        getSecret: async () => {
          throw new Error('vault down');
        },
      },
    });
    const signed = request('/image/a.jpg?OSSAccessKeyId=a&Expires=9999999999&Signature=x');
    let passed: unknown;
    expect(await guard(signed, recorder().res, (e) => (passed = e))).toBe(false);
    expect((passed as Error).message).toBe('vault down');
    await expect(guard(signed, recorder().res)).rejects.toThrow('vault down');
    const bad = createNodeGuard(POLICY, { onDeny: () => 42 as never });
    await expect(bad(request('/image/a.jpg'), recorder().res)).rejects.toThrow(
      /createNodeGuard: options.onDeny must return/,
    );
  });

  it('contentType lets extensions ["*"] protect images only', async () => {
    const types: string[] = [];
    const guard = createNodeGuard(
      { extensions: ['*'], styles: ['small'] },
      {
        contentType: async (key) => {
          types.push(key);
          return key.endsWith('.txt')
            ? 'text/plain'
            : key.endsWith('.bin')
              ? undefined
              : 'image/png';
        },
      },
    );
    expect(await guard(request('/notes.txt'), recorder().res)).toBe(true);
    expect(await guard(request('/photo'), recorder().res)).toBe(false);
    expect(await guard(request('/unknown.bin'), recorder().res)).toBe(false);
    expect(await guard(request('/photo?x-oss-process=style/small'), recorder().res)).toBe(true);
    // Asked only for denials under "*", once per key.
    expect(types).toEqual(['notes.txt', 'photo', 'unknown.bin']);
  });

  it('takes a defined policy or its input; invalid input throws PolicyError', () => {
    expect(() => createNodeGuard(definePolicy(POLICY))).not.toThrow();
    expect(() => createNodeGuard({ rules: [{ prefix: '/x' }] })).toThrow(PolicyError);
    expect(() => createNodeGuard('image/' as never)).toThrow(
      /createNodeGuard: the policy must be a policy object/,
    );
  });

  it.each([
    [{ bukcet: 'x' }, /unknown option "bukcet"/],
    [{ bucket: 'Example_Bucket' }, /options.bucket must be a bucket name/],
    [
      { buckets: { 'img.example.com': 'x' } },
      /options.buckets\["img.example.com"\] must be a bucket name/,
    ],
    [{ buckets: [['a', 'b']] }, /options.buckets must be an object or a Map/],
    [{ verify: {} }, /options.verify.getSecret must be a function/],
    [{ verify: { getSecret, clockSkewSeconds: -1 } }, /clockSkewSeconds must be a number ≥ 0/],
    [{ verify: { getSecret, skew: 1 } }, /unknown option "verify.skew"/],
    [{ now: new Date() }, /options.now must be a function/],
    [{ onDeny: 'placeholder.png' }, /options.onDeny must be a function/],
    [{ onDecision: null }, /options.onDecision must be a function, not null/],
    [null, /createNodeGuard: options must be an object, not null/],
  ])('option %j → TypeError', (options, message) => {
    expect(() => createNodeGuard(POLICY, options as Options)).toThrow(TypeError);
    expect(() => createNodeGuard(POLICY, options as Options)).toThrow(message);
  });

  it('buckets (a Map or a record) name the bucket of a custom domain for verification', async () => {
    for (const buckets of [{ localhost: BUCKET }, new Map([['LOCALHOST', BUCKET]])]) {
      const server = await nodeServer({ buckets, verify: { getSecret } });
      try {
        const url = ossClient(server.port).signatureUrl('image/a.jpg', { expires: 300 });
        const r = await rawRequest(server.port, targetOf(url), {
          headers: { host: `localhost:${server.port}` },
        });
        expect(r.status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});
