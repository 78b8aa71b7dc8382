/**
 * The gateway's own errors (an upstream that fails or is too slow, a missing file, a method a
 * read-only folder does not take) in OSS's XML error shape (docs/behaviour.md#error-responses), so
 * clients that parse OSS
 * errors read these too. The codes OSS has no case for are this gateway's decisions.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { xmlEscape } from '../../index.js';

/** 24 random upper-case hex digits, the form of OSS's request ids (as `errorResponse` makes them). */
export const newRequestId = (): string => randomBytes(12).toString('hex').toUpperCase();

/** An error the gateway answers with. */
export interface GatewayError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Decision: 502, as HTTP gateways answer when the upstream cannot be reached or breaks off. */
export const badGateway = (detail: string): GatewayError => ({
  status: 502,
  code: 'BadGateway',
  message: `The gateway could not get a response from the upstream server: ${detail}.`,
});

/** Decision: 504 when the upstream does not answer within `--timeout`. */
export const gatewayTimeout = (ms: number): GatewayError => ({
  status: 504,
  code: 'GatewayTimeout',
  message: `The upstream server did not answer within ${ms} ms.`,
});

/** OSS: 500 InternalError and its message. */
export const INTERNAL_ERROR: GatewayError = {
  status: 500,
  code: 'InternalError',
  message: 'We encountered an internal error. Please try again.',
};

/** OSS: 404 NoSuchKey, "The specified key does not exist." */
export const NO_SUCH_KEY: GatewayError = {
  status: 404,
  code: 'NoSuchKey',
  message: 'The specified key does not exist.',
};

/** OSS: 405 MethodNotAllowed; a folder served with --root is read-only. */
export const METHOD_NOT_ALLOWED: GatewayError = {
  status: 405,
  code: 'MethodNotAllowed',
  message: 'The specified method is not allowed against this resource.',
};

/** OSS: 416 InvalidRange. */
export const INVALID_RANGE: GatewayError = {
  status: 416,
  code: 'InvalidRange',
  message: 'The requested range cannot be satisfied.',
};

/** OSS: 412 PreconditionFailed. */
export const PRECONDITION_FAILED: GatewayError = {
  status: 412,
  code: 'PreconditionFailed',
  message: 'At least one of the pre-conditions you specified did not hold.',
};

/**
 * Answer `error` in OSS's XML shape: `Content-Type: application/xml`, `x-oss-request-id`, and the
 * `<Error>` document (none for `HEAD`). Returns the request id.
 */
export function sendError(
  res: ServerResponse,
  error: GatewayError,
  method: string | undefined,
  hostId: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): string {
  const requestId = newRequestId();
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
    `  <Code>${xmlEscape(error.code)}</Code>\n` +
    `  <Message>${xmlEscape(error.message)}</Message>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `  <HostId>${xmlEscape(hostId)}</HostId>\n` +
    '</Error>\n';
  const head = method === 'HEAD';
  res.writeHead(error.status, {
    ...extraHeaders,
    'content-type': 'application/xml',
    // For HEAD too: the length of the body a GET would get.
    'content-length': String(Buffer.byteLength(body)),
    'x-oss-request-id': requestId,
  });
  res.end(head ? undefined : body);
  return requestId;
}
