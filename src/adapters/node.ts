/**
 * oss-source-guard/node: source image protection for Node.js servers — `node:http`, Express,
 * Connect and anything else that hands out an `IncomingMessage` and a `ServerResponse`.
 * `createNodeGuard` prepares a policy once and returns middleware that writes OSS's error
 * response for a denied request and lets an allowed one go on.
 *
 * It reads the request target as received (`req.url`, never normalised) and the `Host` header, so
 * every reading (docs/behaviour.md#readings-by-other-servers) applies, dot segments and `;`
 * included.
 *
 * Signatures are only detected unless the `verify` option is given: see {@link GuardVerifyOptions}.
 * @packageDocumentation
 */
import type { Policy, PolicyInput, RequestLike } from '../index.js';
import {
  type GuardBaseOptions,
  type GuardDecision,
  type GuardDenial,
  optionError,
  prepareGuard,
} from './options.js';

export type {
  GuardAllow,
  GuardBaseOptions,
  GuardDecision,
  GuardDenial,
  GuardSignature,
  GuardVerifyOptions,
} from './options.js';

/**
 * What the guard reads of a request: its method, raw target (`url`), headers and raw header
 * list. A Node `IncomingMessage` (and so an Express or Connect request) fits as it is.
 */
export type NodeRequestLike = RequestLike;

/**
 * What the guard writes to: a Node `ServerResponse` (and so an Express or Connect response)
 * fits as it is.
 */
export interface NodeResponseLike {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk?: string | Uint8Array): unknown;
}

/**
 * A response for `onDeny` to return instead of OSS's error: status, headers and body (none is
 * sent for `HEAD`).
 */
export interface NodeDenyResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Uint8Array | undefined;
}

/**
 * What `onDeny` may return: `undefined` to send OSS's error; a {@link NodeDenyResponse} to send
 * that instead; or `true` when the hook has written and ended the response itself.
 */
export type NodeDenyResult = NodeDenyResponse | true | undefined;

/** Options of {@link createNodeGuard}; the hooks receive the Node request (and `onDeny` the response). */
export interface NodeGuardOptions<
  Req extends NodeRequestLike = NodeRequestLike,
  Res extends NodeResponseLike = NodeResponseLike,
> extends GuardBaseOptions<Req> {
  /**
   * Called for each denial. Return `undefined` to send OSS's error, a `{ status, headers, body }`
   * to send that instead (a placeholder image, a redirect), or `true` after writing and ending
   * `res` yourself. May be async.
   * @default undefined (OSS's XML error)
   */
  readonly onDeny?:
    | ((denial: GuardDenial, req: Req, res: Res) => NodeDenyResult | Promise<NodeDenyResult>)
    | undefined;
}

/**
 * The per-request function {@link createNodeGuard} returns. Denied: the response is written and
 * ended, and it resolves `false`. Allowed: it calls `next()` when given and resolves `true`. An
 * error (from `getSecret` or a hook) goes to `next(error)` when `next` is given (it then resolves
 * `false`), and rejects the promise otherwise.
 */
export type NodeGuard<
  Req extends NodeRequestLike = NodeRequestLike,
  Res extends NodeResponseLike = NodeResponseLike,
> = (req: Req, res: Res, next?: (error?: unknown) => void) => Promise<boolean>;

function write(
  res: NodeResponseLike,
  status: number,
  headers: Readonly<Record<string, string>> | undefined,
  body: string | Uint8Array | undefined,
  head: boolean,
): void {
  if (res.headersSent !== true) {
    res.statusCode = status;
    if (headers !== undefined)
      for (const name of Object.keys(headers)) {
        res.setHeader(name, headers[name] as string);
      }
  }
  if (head || body === undefined || body.length === 0) res.end();
  else res.end(body);
}

function isDenyResponse(value: unknown): value is NodeDenyResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { status, headers, body } = value as Record<string, unknown>;
  return (
    typeof status === 'number' &&
    Number.isInteger(status) &&
    status >= 100 &&
    status <= 999 &&
    (headers === undefined || (typeof headers === 'object' && headers !== null)) &&
    (body === undefined || typeof body === 'string' || body instanceof Uint8Array)
  );
}

/**
 * Prepare a policy once and return Node middleware: `(req, res, next?) => Promise<boolean>`. A
 * denied request gets what OSS sends (status, `Content-Type: application/xml`,
 * `x-oss-request-id`, `x-oss-ec` where there is one, the XML error document; no body for `HEAD`)
 * and resolves `false`; an allowed one calls `next()` and resolves `true`. So it is Express 5 and
 * Connect middleware as it is, and in a plain `node:http` handler
 * `if (await guard(req, res)) serve(req, res)`.
 *
 * Under Express, `req.url` is relative to the path the middleware is mounted on: mount the guard
 * where the object keys start (usually the root).
 *
 * @param policy - A policy from `definePolicy`, or its plain input (validated here; invalid input
 *   throws `PolicyError`).
 * @param options - See {@link NodeGuardOptions}; a bad option throws a `TypeError` naming it.
 * @example
 * import { createServer } from 'node:http';
 * import { createNodeGuard } from 'oss-source-guard/node';
 *
 * const guard = createNodeGuard(
 *   { rules: [{ prefix: 'image/' }], delimiters: ['!'], styles: ['small'] },
 *   { bucket: 'examplebucket' },
 * );
 * createServer(async (req, res) => {
 *   if (await guard(req, res)) res.end('the object'); // denied requests are already answered
 * }).listen(8080);
 *
 * // Express 5: app.use(guard) before the handlers that serve objects
 */
export function createNodeGuard<
  Req extends NodeRequestLike = NodeRequestLike,
  Res extends NodeResponseLike = NodeResponseLike,
>(policy: Policy | PolicyInput, options: NodeGuardOptions<Req, Res> = {}): NodeGuard<Req, Res> {
  const factory = 'createNodeGuard';
  const guard = prepareGuard(factory, policy, options, ['onDeny']);
  const { onDecision, onDeny } = options;
  const hooks = onDecision !== undefined || onDeny !== undefined;

  /** Answer the request; true when it is allowed. */
  async function judge(req: Req, res: Res): Promise<boolean> {
    const decision = await guard.decide(req);
    const exposed: GuardDecision | undefined = hooks ? guard.expose(decision) : undefined;
    if (onDecision !== undefined) onDecision(exposed as GuardDecision, req);
    if (decision.allow) return true;
    const head = typeof req.method === 'string' && req.method.toUpperCase() === 'HEAD';
    if (onDeny !== undefined) {
      const replaced = await onDeny(exposed as GuardDenial, req, res);
      if (replaced === true) return false;
      if (replaced !== undefined) {
        if (!isDenyResponse(replaced))
          throw optionError(
            factory,
            'options.onDeny must return undefined, true (response written), or { status, headers?, body? }.',
          );
        write(res, replaced.status, replaced.headers, replaced.body, head);
        return false;
      }
    }
    const { status, headers, body } = guard.respond(decision, req.method);
    write(res, status, headers, body, head);
    return false;
  }

  return async function ossSourceGuard(req: Req, res: Res, next?: (error?: unknown) => void) {
    let allowed: boolean;
    try {
      allowed = await judge(req, res);
    } catch (error) {
      if (next === undefined) throw error;
      next(error);
      return false;
    }
    if (allowed && next !== undefined) next();
    return allowed;
  };
}
