/**
 * oss-source-guard/fetch: source image protection for any Fetch server — Cloudflare Workers,
 * Deno, Bun, Next.js middleware. `createFetchGuard` prepares a policy once and returns a function
 * that answers a denied `Request` with OSS's error `Response`, and an allowed one with
 * `undefined`.
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

/** Options of {@link createFetchGuard}. */
export interface FetchGuardOptions extends GuardBaseOptions<Request> {
  /**
   * Called for each denial: return a `Response` to send instead of OSS's error (a placeholder
   * image, a redirect), or `undefined` to send OSS's. May be async. For `HEAD` the response is
   * sent without its body.
   * @default undefined (OSS's XML error)
   */
  readonly onDeny?:
    | ((
        denial: GuardDenial,
        request: Request,
      ) => Response | undefined | Promise<Response | undefined>)
    | undefined;
}

/**
 * The per-request function {@link createFetchGuard} returns: resolves to the `Response` to send
 * when the request is denied, `undefined` when it may go on.
 */
export type FetchGuard = (request: Request) => Promise<Response | undefined>;

const isResponse = (value: unknown): value is Response =>
  typeof Response === 'function'
    ? value instanceof Response
    : typeof value === 'object' && value !== null && typeof (value as Response).status === 'number';

/**
 * Prepare a policy once and return a guard for Fetch `Request`s. A denied request gets what OSS
 * sends (status, `Content-Type: application/xml`, `x-oss-request-id`, `x-oss-ec` where there is
 * one, the XML error document; no body for `HEAD`); an allowed one resolves to `undefined`.
 *
 * The guard reads `request.url`, which a Fetch runtime has already parsed as a WHATWG URL (dot
 * segments removed, `\` turned into `/`): it judges the request the way the rest of a Fetch
 * application will read it.
 *
 * @param policy - A policy from `definePolicy`, or its plain input (validated here; invalid input
 *   throws `PolicyError`).
 * @param options - See {@link FetchGuardOptions}; a bad option throws a `TypeError` naming it.
 * @example
 * // A Cloudflare Worker in front of a bucket
 * import { createFetchGuard } from 'oss-source-guard/fetch';
 *
 * const guard = createFetchGuard(
 *   { rules: [{ prefix: 'image/' }], delimiters: ['!'], styles: ['small'] },
 *   { bucket: 'examplebucket' },
 * );
 *
 * export default {
 *   async fetch(request, env) {
 *     const denied = await guard(request);
 *     if (denied) return denied;
 *     const url = new URL(request.url);
 *     return fetch(new URL(url.pathname + url.search, env.ORIGIN), request);
 *   },
 * };
 */
export function createFetchGuard(
  policy: Policy | PolicyInput,
  options: FetchGuardOptions = {},
): FetchGuard {
  const factory = 'createFetchGuard';
  const guard = prepareGuard(factory, policy, options, ['onDeny']);
  const { onDecision, onDeny } = options;
  const hooks = onDecision !== undefined || onDeny !== undefined;

  return async function ossSourceGuard(request: Request): Promise<Response | undefined> {
    const decision = await guard.decide(request);
    const exposed: GuardDecision | undefined = hooks ? guard.expose(decision) : undefined;
    if (onDecision !== undefined) onDecision(exposed as GuardDecision, request);
    if (decision.allow) return undefined;
    const head = request.method.toUpperCase() === 'HEAD';
    if (onDeny !== undefined) {
      const replaced = await onDeny(exposed as GuardDenial, request);
      if (replaced !== undefined) {
        if (!isResponse(replaced))
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
