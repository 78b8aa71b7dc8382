/**
 * verifyAndEvaluate: the whole answer for one request — a verified signature, or the protection
 * decision (SPEC S6 with S8 in place of "signed → allow").
 * @module
 */
import {
  type Decision,
  type Denial,
  type EvaluateOptions,
  evaluate,
} from '../decision/evaluate.js';
import type { Policy } from '../policy/model.js';
import type { RequestLike } from '../request/access.js';
import { detectSignature } from '../signature/detect.js';
import type { VerifyOptions } from './result.js';
import { verifySignature } from './verify.js';

/**
 * Evaluate a request under a policy, verifying its signature where `evaluate` would only detect
 * one. The result is `evaluate`'s decision, except that a signed request whose signature does
 * not verify is denied with reason `invalid-signature` and the verification's status, code,
 * message and EC. Requests `evaluate` denies before looking at the signature's validity (invalid,
 * malformed, expired) keep `evaluate`'s denial; anonymous requests get exactly its decision.
 *
 * Protection governs reads only, so a non-read (`PUT`, `DELETE`, …) is allowed as `not-a-read`;
 * but when it carries a signature, that signature must still verify: a forged signature is
 * refused whatever the method.
 *
 * Never rejects on any request; it rejects only on invalid options, when `getSecret` does, or
 * when `policy` is not a policy (as `evaluate` throws).
 *
 * @example
 * import { definePolicy } from 'oss-source-guard';
 * import { verifyAndEvaluate } from 'oss-source-guard/verify';
 *
 * const policy = definePolicy({ extensions: ['jpg', 'png'], styles: ['small'] });
 * const decision = await verifyAndEvaluate(request, policy, {
 *   getSecret: (id) => secrets.get(id),
 *   now: new Date(),
 * });
 * if (!decision.allow) return errorResponse(decision);
 * // decision.reason: 'signed' (verified), 'style', 'not-protected', …
 */
export async function verifyAndEvaluate(
  request: RequestLike,
  policy: Policy,
  options: VerifyOptions & EvaluateOptions,
): Promise<Decision> {
  const decision = evaluate(request, policy, options);
  if (!decision.allow) return decision;
  // evaluate does not read the signature of a non-read; verification still must.
  const signature =
    decision.signature ?? (decision.reason === 'not-a-read' ? detectSignature(request) : undefined);
  if (signature?.kind !== 'signed') return decision;
  const result = await verifySignature(request, options);
  if (result.valid) return decision;
  const denial: Denial = {
    ...decision,
    signature,
    allow: false,
    reason: 'invalid-signature',
    status: result.status,
    code: result.code,
    message: result.message,
    ec: result.ec,
  };
  return denial;
}
