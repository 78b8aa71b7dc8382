/**
 * SPEC S4 R2 against the real thing: a `node:http` gateway in front of a local origin that
 * serves files, raw request targets sent over loopback. Each bypass class reaches the protected
 * original through the unguarded gateway (so the class is real), is denied with OSS's 403 by the
 * guarded one, and the URL `styleUrl` builds for the same key is served.
 */
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicy, errorResponse, evaluate, styleUrl } from '../src/index.js';

const BUCKET_HOST = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
const policy = definePolicy({
  rules: [{ prefix: 'image/' }],
  extensions: ['jpg'],
  delimiters: ['!'],
  styles: ['small'],
});

/** The bucket's objects; every key here but `docs/…` is protected. */
const FILES: Record<string, string> = {
  'image/a.gif': 'PROTECTED image/a.gif',
  'photos/C#1.jpg': 'PROTECTED photos/C#1.jpg',
  'docs/a.jpg': 'PROTECTED docs/a.jpg',
  'docs/readme.txt': 'public readme',
};

/**
 * An origin as servers behind a gateway read paths: percent-decoded, `;` path parameters
 * stripped (servlet containers), not cut at a raw `#` (Go), slashes merged and dot segments
 * resolved (nginx, `path.Clean`). It serves the file or 404, and ignores the query.
 */
function originKey(target: string): string | undefined {
  const question = target.indexOf('?');
  const rawPath = question === -1 ? target : target.slice(0, question);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath.replace(/;[^/]*/g, ''));
  } catch {
    return undefined;
  }
  return posix.normalize(decoded).replace(/^\/+/, '');
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const body = async (res: IncomingMessage) => {
  let text = '';
  for await (const chunk of res) text += chunk;
  return text;
};

/** A response with a length, so the raw client reads it without chunked decoding. */
const send = (res: ServerResponse, status: number, text: string) =>
  res.writeHead(status, { 'content-length': Buffer.byteLength(text) }).end(text);

type Forward = (req: IncomingMessage, originPort: number) => Promise<[number, string]>;

/** Forwarding as a Fetch-based proxy does: `fetch(new URL(req.url, origin))`. */
const viaFetch: Forward = async (req, originPort) => {
  const res = await fetch(new URL(req.url as string, `http://127.0.0.1:${originPort}`));
  return [res.status, await res.text()];
};

/** Forwarding the raw target as received, as a raw Node proxy does. */
const viaRaw: Forward = (req, originPort) =>
  new Promise((resolve, reject) => {
    const out = httpRequest(
      { host: '127.0.0.1', port: originPort, path: req.url as string, method: req.method },
      async (res) => resolve([res.statusCode as number, await body(res)]),
    );
    out.on('error', reject);
    out.end();
  });

/** A gateway: evaluate (when guarded), then forward. */
function gateway(originPort: number, forward: Forward, guarded: boolean): Server {
  return createServer(async (req, res) => {
    if (guarded) {
      const decision = evaluate(req, policy);
      if (!decision.allow) {
        const denial = errorResponse(decision, { requestId: 'TEST' });
        res.writeHead(denial.status, denial.headers).end(denial.body);
        return;
      }
    }
    try {
      const [status, text] = await forward(req, originPort);
      send(res, status, text);
    } catch {
      res.writeHead(502).end('bad gateway');
    }
  });
}

/** Send a raw request line (no client normalises it) and read the response. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${BUCKET_HOST}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const servers: Server[] = [];
const ports: Record<string, number> = {};

beforeAll(async () => {
  const origin = createServer((req, res) => {
    const key = originKey(req.url as string);
    const file = key === undefined ? undefined : FILES[key];
    if (file === undefined) send(res, 404, 'no such file');
    else send(res, 200, file);
  });
  servers.push(origin);
  const originPort = await listen(origin);
  for (const [name, forward] of [
    ['fetch', viaFetch],
    ['raw', viaRaw],
  ] as const) {
    for (const guarded of [false, true]) {
      const server = gateway(originPort, forward, guarded);
      servers.push(server);
      ports[`${name}:${guarded ? 'guarded' : 'open'}`] = await listen(server);
    }
  }
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

/** [class, raw target, forwarder that reaches the original, the protected key it reaches]. */
const BYPASSES: readonly [string, string, 'fetch' | 'raw', string][] = [
  ['W: dot segments', '/secret/../image/a.gif', 'fetch', 'image/a.gif'],
  ['W: %2e%2e', '/x/%2e%2e/image/a.gif', 'fetch', 'image/a.gif'],
  ['W: backslash', '/image\\a.gif', 'fetch', 'image/a.gif'],
  ['N: escaped slashes and dots', '/x%2F..%2Fimage%2Fa.gif', 'raw', 'image/a.gif'],
  ['N: dot segments raw', '/docs/../image/a.gif', 'raw', 'image/a.gif'],
  ['P: path parameter in a folder', '/image;x=1/a.gif', 'raw', 'image/a.gif'],
  ['P: path parameter after the extension', '/docs/a.jpg;v=1', 'raw', 'docs/a.jpg'],
  ['P: ..;', '/secret/..;/image/a.gif', 'raw', 'image/a.gif'],
  ['H: raw #', '/photos/C#1.jpg', 'raw', 'photos/C#1.jpg'],
  ['H then N: # then ..', '/#/../image/a.gif', 'raw', 'image/a.gif'],
];

describe('S4 R2 bypasses against a real gateway and origin over loopback', () => {
  it.each(BYPASSES)('%s (%s)', async (_, target, forwarder, key) => {
    const open = await rawGet(ports[`${forwarder}:open`] as number, target);
    expect(open, 'the class is real: unguarded, the original is served').toEqual({
      status: 200,
      body: FILES[key],
    });
    for (const name of ['fetch', 'raw']) {
      const guarded = await rawGet(ports[`${name}:guarded`] as number, target);
      expect(guarded.status, `${name} gateway`).toBe(403);
      expect(guarded.body).toContain('<Code>AccessDenied</Code>');
      expect(guarded.body).not.toContain('PROTECTED');
    }
    // The legitimate URL for the same key passes the guard and is served.
    const url = new URL(styleUrl(`https://${BUCKET_HOST}`, key, 'small', policy));
    const served = await rawGet(ports['raw:guarded'] as number, url.pathname + url.search);
    expect(served).toEqual({ status: 200, body: FILES[key] });
  });

  it('a public object is served through both gateways, raw and normalised', async () => {
    for (const name of ['fetch', 'raw']) {
      for (const target of ['/docs/readme.txt', '/docs/x/../readme.txt']) {
        const r = await rawGet(ports[`${name}:guarded`] as number, target);
        expect(r, `${name} ${target}`).toEqual({ status: 200, body: FILES['docs/readme.txt'] });
      }
    }
  });
});
