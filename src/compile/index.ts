/**
 * The compiled form of a policy: everything the hot path needs from it — the matcher
 * (docs/behaviour.md#matching-keys) and the style index (delimiters and catalogue:
 * docs/behaviour.md#delimiter-styles) — prepared together, once per policy. One `WeakMap` and one
 * last-seen pair serve every stage, so the free functions (`isProtected`, `parseRequestUrl`,
 * `evaluate`) cost the same as holding the compiled form.
 * @module
 */
import { Matcher } from '../match/matcher.js';
import type { Policy, PolicyInput } from '../policy/model.js';
import { definePolicy, isPolicy } from '../policy/validate.js';
import { StyleIndex } from '../request/styles.js';

/** A policy prepared for the hot path. @internal */
export interface Compiled {
  /** The validated policy (the input itself, unless it was a look-alike). */
  readonly policy: Policy;
  readonly matcher: Matcher;
  readonly styles: StyleIndex;
}

const cache = new WeakMap<object, Compiled>();
// The last policy used: one identity check instead of a WeakMap lookup on the hot path.
let lastPolicy: unknown;
let lastCompiled: Compiled | undefined;

/**
 * The compiled form of `policy`, cached. A look-alike (parsed JSON, or a policy made by another
 * copy of this package) is validated first and throws `PolicyError` when invalid; an unfrozen
 * look-alike may still change, so it is compiled afresh on every call.
 * @internal
 */
export function compiled(policy: Policy): Compiled {
  if (policy === lastPolicy && lastCompiled !== undefined) return lastCompiled;
  let c = cache.get(policy);
  if (c === undefined) {
    const valid = isPolicy(policy) ? policy : definePolicy(policy as PolicyInput);
    c = { policy: valid, matcher: new Matcher(valid), styles: new StyleIndex(valid) };
    if (!Object.isFrozen(policy)) return c;
    cache.set(policy, c);
  }
  lastPolicy = policy;
  lastCompiled = c;
  return c;
}
