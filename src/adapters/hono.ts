/**
 * oss-source-guard/hono: source image protection as Hono middleware. `ossSourceGuard` prepares a
 * policy once and returns a `MiddlewareHandler`: a denied request gets OSS's error response, an
 * allowed one goes on to the next handler. Typed structurally, so it needs no import of `hono`
 * and fits any Hono 4 app, on any runtime.
 *
 * Signatures are only detected unless the `verify` option is given: see {@link GuardVerifyOptions}.
 * @packageDocumentation
 */
import type { Policy, PolicyInput } from '../index.js';
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

/** What the middleware reads of a Hono `Context`: its Fetch `Request`. Every Hono `Context` fits. */
export interface HonoContextLike {
  readonly req: { readonly raw: Request };
}

/** Options of {@link ossSourceGuard}; the hooks receive the Hono `Context` as the request. */
export interface HonoGuardOptions<C extends HonoContextLike = HonoContextLike>
  extends GuardBaseOptions<C> {
  /**
   * Called for each denial: return a `Response` to send instead of OSS's error (`c.redirect(…)`,
   * a placeholder image), or `undefined` to send OSS's. May be async. For `HEAD` the response is
   * sent without its body.
   * @default undefined (OSS's XML error)
   */
  readonly onDeny?:
    | ((denial: GuardDenial, c: C) => Response | undefined | Promise<Response | undefined>)
    | undefined;
}

/**
 * The middleware {@link ossSourceGuard} returns: a Hono `MiddlewareHandler` (it resolves to the
 * error `Response` on a denial, and calls `next()` otherwise).
 */
export type HonoGuardMiddleware<C extends HonoContextLike = HonoContextLike> = (
  c: C,
  next: () => Promise<void>,
) => Promise<Response | undefined>;

/**
 * Prepare a policy once and return Hono middleware that answers a denied request as OSS does
 * (status, `Content-Type: application/xml`, `x-oss-request-id`, `x-oss-ec` where there is one,
 * the XML error document; no body for `HEAD`) and lets an allowed one through to `next()`.
 *
 * It judges `c.req.raw`, the Fetch `Request` the app routes on (a WHATWG URL on every runtime,
 * `@hono/node-server` included).
 *
 * @param policy - A policy from `definePolicy`, or its plain input (validated here; invalid input
 *   throws `PolicyError`).
 * @param options - See {@link HonoGuardOptions}; a bad option throws a `TypeError` naming it.
 * @example
 * import { Hono } from 'hono';
 * import { ossSourceGuard } from 'oss-source-guard/hono';
 *
 * const app = new Hono();
 * app.use(
 *   '/image/*',
 *   ossSourceGuard({ rules: [{ prefix: 'image/' }], styles: ['small'] }, { bucket: 'examplebucket' }),
 * );
 * app.get('/image/*', (c) => c.text('the object'));
 */
export function ossSourceGuard<C extends HonoContextLike = HonoContextLike>(
  policy: Policy | PolicyInput,
  options: HonoGuardOptions<C> = {},
): HonoGuardMiddleware<C> {
  const factory = 'ossSourceGuard';
  const guard = prepareGuard(factory, policy, options, ['onDeny']);
  const { onDecision, onDeny } = options;
  const hooks = onDecision !== undefined || onDeny !== undefined;

  return async function ossSourceGuard(c: C, next: () => Promise<void>) {
    const request = c.req.raw;
    const decision = await guard.decide(request);
    const exposed: GuardDecision | undefined = hooks ? guard.expose(decision) : undefined;
    if (onDecision !== undefined) onDecision(exposed as GuardDecision, c);
    if (decision.allow) {
      await next();
      return undefined;
    }
    const head = request.method.toUpperCase() === 'HEAD';
    if (onDeny !== undefined) {
      const replaced = await onDeny(exposed as GuardDenial, c);
      if (replaced !== undefined) {
        if (!(replaced instanceof Response))
          throw optionError(factory, 'options.onDeny must return a Response or undefined.');
        return head && replaced.body !== null
          ? new Response(null, {
              status: replaced.status,
              statusText: replaced.statusText,
              headers: replaced.headers,
            })
          : replaced;
      }
    }
    const { status, headers, body } = guard.respond(decision, request.method);
    return new Response(head || body === '' ? null : body, { status, headers });
  };
}
