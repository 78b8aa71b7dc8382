/**
 * The access log: one line per request on stdout, for people or (`--json`) as JSON lines. Each
 * response is a {@link GatewayResponse}, which counts the body bytes it sends and carries what
 * the line says (the guard's decision, the upstream's status, a note on failures).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { GuardDecision } from '../../adapters/node.js';
import { quote } from '../output.js';

/** An `IncomingMessage` that carries the guard's decision (set by its `onDecision` hook). */
export class GatewayRequest extends IncomingMessage {
  decision: GuardDecision | undefined;
}

/** A `ServerResponse` that remembers what the access log needs. */
export class GatewayResponse extends ServerResponse<GatewayRequest> {
  /** When the request's headers were read. */
  readonly started: bigint = process.hrtime.bigint();
  /** Body bytes written (for `HEAD`, none). */
  bytes = 0;
  /** The request id of an error this gateway answered with. */
  requestId: string | undefined;
  upstreamStatus: number | undefined;
  /** What went wrong besides the status: `upstream-timeout`, `upstream-error`, `aborted`. */
  note: string | undefined;
}

const byteLength = (chunk: unknown, encoding: unknown): number =>
  typeof chunk === 'string'
    ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
    : chunk instanceof Uint8Array
      ? chunk.length
      : 0;

// Count every body byte, whoever writes it (the guard, a pipe, an error answer).
const { write, end } = ServerResponse.prototype;
GatewayResponse.prototype.write = function (this: GatewayResponse, ...args: unknown[]) {
  this.bytes += byteLength(args[0], args[1]);
  return (write as (...a: unknown[]) => boolean).apply(this, args);
} as unknown as GatewayResponse['write'];
GatewayResponse.prototype.end = function (this: GatewayResponse, ...args: unknown[]) {
  if (typeof args[0] !== 'function') this.bytes += byteLength(args[0], args[1]);
  return (end as (...a: unknown[]) => GatewayResponse).apply(this, args);
} as unknown as GatewayResponse['end'];

/** One access-log line (without the newline). */
export function logLine(req: GatewayRequest, res: GatewayResponse, json: boolean): string {
  const { method, url } = req;
  const remote = req.socket.remoteAddress;
  const ms = Number(process.hrtime.bigint() - res.started) / 1e6;
  const d = req.decision;
  const status = res.headersSent ? res.statusCode : 0;
  const header = d !== undefined && !d.allow ? res.getHeader('x-oss-request-id') : undefined;
  const requestId = res.requestId ?? (typeof header === 'string' ? header : undefined);
  if (json) {
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      remote: remote ?? null,
      method: method ?? null,
      url: url ?? null,
      status,
      bytes: res.bytes,
      ms: Math.round(ms * 1000) / 1000,
      allow: d?.allow ?? null,
      reason: d?.reason ?? null,
    };
    if (d !== undefined && !d.allow) entry.code = d.code;
    if (d?.key !== undefined) entry.key = d.key;
    if (d?.signature?.kind === 'signed')
      entry.signature = d.signature.verified ? 'verified' : 'detected';
    if (requestId !== undefined) entry.requestId = requestId;
    if (res.upstreamStatus !== undefined) entry.upstreamStatus = res.upstreamStatus;
    if (res.note !== undefined) entry.note = res.note;
    return JSON.stringify(entry);
  }
  const verdict =
    d === undefined ? '-' : d.allow ? `ALLOW ${d.reason}` : `DENY ${d.reason} ${d.code}`;
  const parts = [
    new Date().toISOString(),
    remote ?? '-',
    method === undefined ? '-' : quote(method),
    url === undefined ? '-' : quote(url),
    String(status),
    `${res.bytes}B`,
    `${ms.toFixed(1)}ms`,
    verdict,
  ];
  if (requestId !== undefined) parts.push(`id=${requestId}`);
  if (res.note !== undefined) parts.push(res.note);
  return parts.join(' ');
}
