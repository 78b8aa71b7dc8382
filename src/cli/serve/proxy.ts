/**
 * Forwarding an allowed request to the upstream: method, raw target and headers (less the
 * hop-by-hop ones, `Host` set for the upstream), and both bodies streamed, never buffered whole.
 * An upstream that cannot be reached or breaks off before answering → 502; one that does not
 * answer within the timeout → 504; after the response has started, a failure ends the
 * connection, since the status is already sent.
 */
import http from 'node:http';
import https from 'node:https';
import type { GatewayResponse } from './log.js';
import { badGateway, gatewayTimeout, sendError } from './oss-error.js';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  // Answered here already (Node sends `100 Continue`), so not passed on.
  'expect',
]);

/** Where allowed requests go. */
export interface Upstream {
  readonly url: URL;
  /** The host name to connect to (an IPv6 address without its brackets) and the port. */
  readonly hostname: string;
  readonly port: string | undefined;
  /** `host[:port]`, the `Host` header the upstream gets. */
  readonly host: string;
  /** The upstream URL's path without its trailing `/`, put in front of every target. */
  readonly basePath: string;
  readonly timeoutMs: number;
  readonly agent: http.Agent;
  readonly request: typeof http.request;
  close(): void;
}

/** Prepare the upstream: a keep-alive agent (one per gateway), the base path, the timeout. */
export function createUpstream(url: URL, timeoutMs: number): Upstream {
  const secure = url.protocol === 'https:';
  const options = { keepAlive: true, maxSockets: 256, maxFreeSockets: 256, scheduling: 'lifo' };
  const agent = secure
    ? new https.Agent(options as https.AgentOptions)
    : new http.Agent(options as http.AgentOptions);
  return {
    url,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? undefined : url.port,
    host: url.host,
    basePath: url.pathname.replace(/\/+$/, ''),
    timeoutMs,
    agent,
    request: secure ? https.request : http.request,
    close: () => agent.destroy(),
  };
}

/**
 * Raw `[name, value, …]` headers without the hop-by-hop ones (and the names a `Connection`
 * header lists, which are hop-by-hop too) and without those in `skip`.
 */
function endToEnd(raw: readonly string[], skip: ReadonlySet<string>): string[] {
  const names: string[] = [];
  let tokens: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    names.push(name);
    if (name !== 'connection') continue;
    tokens ??= new Set();
    for (const t of (raw[i + 1] as string).split(',')) tokens.add(t.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = names[i >> 1] as string;
    if (HOP_BY_HOP.has(name) || skip.has(name) || tokens?.has(name)) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

const REQUEST_SKIP: ReadonlySet<string> = new Set([
  'host',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);
const RESPONSE_SKIP: ReadonlySet<string> = new Set();

/** The headers the upstream gets: the client's end-to-end headers, `Host`, `X-Forwarded-*`. */
function upstreamHeaders(req: http.IncomingMessage, upstream: Upstream): string[] {
  const headers = endToEnd(req.rawHeaders, REQUEST_SKIP);
  const forwarded = req.headers['x-forwarded-for'];
  const remote = req.socket.remoteAddress ?? '';
  headers.push('Host', upstream.host);
  headers.push('X-Forwarded-For', forwarded ? `${forwarded}, ${remote}` : remote);
  if (req.headers.host !== undefined) headers.push('X-Forwarded-Host', req.headers.host);
  headers.push('X-Forwarded-Proto', 'http');
  return headers;
}

/** What went wrong with the upstream, for people: `connection refused (ECONNREFUSED)`. */
export function describeNetworkError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text: Readonly<Record<string, string>> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET:
      error.message === 'socket hang up'
        ? 'the connection closed before an answer'
        : 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed while sending',
    EADDRINUSE: 'address already in use',
    EADDRNOTAVAIL: 'address not available',
    EACCES: 'permission denied',
  };
  if (code === undefined) return error.message;
  return `${text[code] ?? error.message} (${code})`;
}

class UpstreamTimeout extends Error {
  override readonly name = 'UpstreamTimeout';
}

/**
 * Forward `req` to the upstream and stream its answer to `res`. `hostId` names this gateway in
 * its own errors.
 */
export function forward(
  req: http.IncomingMessage,
  res: GatewayResponse,
  upstream: Upstream,
  hostId: string,
): void {
  const { url, timeoutMs } = upstream;
  const outgoing = upstream.request({
    protocol: url.protocol,
    hostname: upstream.hostname,
    port: upstream.port,
    method: req.method,
    // The raw target, as received: the upstream reads it the way the guard did.
    path: upstream.basePath + (req.url ?? '/'),
    headers: upstreamHeaders(req, upstream),
    setHost: false,
    agent: upstream.agent,
  });
  const fail = (error: Error) => {
    if (res.destroyed || res.writableEnded) return;
    if (res.headersSent) {
      // The status is sent: breaking the connection is the only way to say the body is cut.
      res.note ??= 'upstream-error';
      res.destroy();
      return;
    }
    const timeout = error instanceof UpstreamTimeout;
    res.note = timeout ? 'upstream-timeout' : 'upstream-error';
    const answer = timeout ? gatewayTimeout(timeoutMs) : badGateway(describeNetworkError(error));
    res.requestId = sendError(res, answer, req.method, hostId);
  };
  // The socket's idle time: no answer, or a body that stops coming. A client that reads slowly
  // holds the upstream back on purpose (backpressure), which is not the upstream's silence.
  const onTimeout = () => {
    if (res.writableNeedDrain) outgoing.setTimeout(timeoutMs, onTimeout);
    else outgoing.destroy(new UpstreamTimeout(`no answer within ${timeoutMs} ms`));
  };
  outgoing.setTimeout(timeoutMs, onTimeout);
  // The upstream's silence counts from when the client last let it speak again.
  res.on('drain', () => outgoing.setTimeout(timeoutMs));
  outgoing.on('error', fail);
  outgoing.on('response', (incoming) => {
    res.upstreamStatus = incoming.statusCode;
    res.writeHead(
      incoming.statusCode ?? 502,
      incoming.statusMessage,
      endToEnd(incoming.rawHeaders, RESPONSE_SKIP),
    );
    // pipe, not pipeline: as fast, without an AbortSignal per response; failures are below.
    incoming.on('error', fail);
    incoming.on('close', () => {
      if (!incoming.complete) fail(new Error('the upstream closed the connection mid-answer'));
    });
    incoming.pipe(res);
  });
  // A client that goes away before the answer is complete: stop the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) {
      res.note ??= 'aborted';
      outgoing.destroy();
    }
  });
  // A read without a body ends at once; otherwise the body is streamed (pipe, not pipeline: an
  // upstream failure must not destroy the client's request, and socket, before its 502 or 504).
  const bodiless =
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.headers['content-length'] === undefined &&
    req.headers['transfer-encoding'] === undefined;
  if (bodiless) outgoing.end();
  else req.pipe(outgoing);
}
