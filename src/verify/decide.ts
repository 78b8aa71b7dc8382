/**
 * verifyAndEvaluate: the whole answer for one request — a verified signature, or the protection
 * decision (docs/behaviour.md#the-decision, with docs/behaviour.md#verification in place of
 * "signed → allow").
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
 * Protection governs reads only, so `evaluate` allows a non-read (`PUT`, `DELETE`, …) as
 * `not-a-read` without reading its signature; here every method's signature counts
 * (docs/behaviour.md#verification, "non-reads too"): a malformed one is denied as
 * `malformed-signature` and an expired one as `expired-signature`, as `evaluate` denies them on a
 * read, and a forged one as `invalid-signature`. An anonymous non-read is still allowed.
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
  // evaluate does not read the signature of a non-read; verification still must
  // (docs/behaviour.md#verification).
  const signature = decision.signature ?? detectSignature(request, { now: options?.now });
  if (signature.kind === 'anonymous') return decision;
  const deny = (
    reason: Denial['reason'],
    status: Denial['status'],
    code: string,
    message: string,
    ec: string | undefined,
  ): Denial => ({ ...decision, signature, allow: false, reason, status, code, message, ec });
  // What evaluate answers for the same signature on a read.
  if (signature.kind === 'malformed')
    return deny('malformed-signature', 403, 'AccessDenied', signature.message, undefined);
  if (signature.expired)
    return deny('expired-signature', 403, 'AccessDenied', 'Request has expired.', undefined);
  const result = await verifySignature(request, options);
  if (result.valid) return decision;
  return deny('invalid-signature', result.status, result.code, result.message, result.ec);
}
