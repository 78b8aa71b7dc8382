/**
 * What the three adapters share: their options, checked once in the factory, and the
 * per-request work (evaluate, or verify and evaluate; `contentType` for `extensions: ["*"]`; the
 * OSS error response). Imports the core only through its public entry points.
 * @module
 */
import {
  type Allow,
  type Decision,
  type Denial,
  definePolicy,
  type ErrorResponse,
  type EvaluateOptions,
  errorResponse,
  evaluate,
  isImageContentType,
  isPolicy,
  type Policy,
  type PolicyInput,
  type RequestLike,
  type SignatureInfo,
} from '../index.js';
import { verifyAndEvaluate } from '../verify/index.js';

/**
 * Signature verification for an adapter (`oss-source-guard/verify`,
 * docs/behaviour.md#verification). Without it an
 * adapter only *detects* signatures: a forged `?OSSAccessKeyId=x&Expires=9999999999&Signature=x`
 * is allowed as `signed`, and the decision says `signature.verified: false`.
 *
 * @example
 * const secrets = new Map([['LTAI5tExample', 'the AccessKey secret']]);
 * createFetchGuard(policy, { bucket: 'examplebucket', verify: { getSecret: (id) => secrets.get(id) } });
 */
export interface GuardVerifyOptions {
  /**
   * The secret of an AccessKeyId, or `undefined` when the id is unknown (→ 403
   * `InvalidAccessKeyId`). May be async. An error it throws is passed on, not turned into a
   * verdict.
   */
  getSecret(accessKeyId: string): string | undefined | Promise<string | undefined>;
  /**
   * How far the time of a header-signed request may be from `now()`, in seconds.
   * @default 900 (OSS's 15 minutes)
   */
  readonly clockSkewSeconds?: number | undefined;
}

/**
 * The options every adapter takes (`createFetchGuard`, `ossSourceGuard`, `createNodeGuard`);
 * each adds its own `onDeny`. `Req` is what the hooks receive as the request: a Fetch `Request`,
 * a Hono `Context`, a Node `IncomingMessage`.
 */
export interface GuardBaseOptions<Req> {
  /**
   * Verify signatures instead of only detecting them. Without it, signed requests are allowed
   * on their form alone: use it unless something in front of this guard verifies them.
   * @default undefined (detect only; `decision.signature.verified` is `false`)
   */
  readonly verify?: GuardVerifyOptions | undefined;
  /**
   * The bucket when the request's host names none: a gateway on a custom domain, or on
   * `localhost`, in front of one bucket. Signatures are then verified against this bucket.
   * @default undefined (the bucket comes from an OSS host name, or `buckets`)
   */
  readonly bucket?: string | undefined;
  /**
   * Custom domains → bucket names (hosts compared case-insensitively, without the port).
   * @default undefined
   */
  readonly buckets?: Readonly<Record<string, string>> | ReadonlyMap<string, string> | undefined;
  /**
   * The clock: query signatures past their expiry are denied, and header signatures are checked
   * against it. Called once per request.
   * @default () => new Date()
   */
  readonly now?: (() => Date) | undefined;
  /**
   * The object's `Content-Type`, for policies with `extensions: ["*"]` (which protect images
   * only). Called only when such a policy would deny the request, once for each distinct key it
   * read; `undefined` (unknown object) counts as an image. May be async.
   * @default undefined (under `["*"]` every key is protected, the fail-closed reading)
   */
  readonly contentType?:
    | ((key: string) => string | undefined | Promise<string | undefined>)
    | undefined;
  /**
   * The request id of an error response (`x-oss-request-id` and `<RequestId>`).
   * @default 24 random upper-case hex digits, as `errorResponse` makes them
   */
  readonly requestId?: (() => string) | undefined;
  /**
   * Called with every decision, allowed or denied, before anything is answered: logging,
   * metrics. Its return value is ignored; an error it throws is passed on.
   * @default undefined
   */
  readonly onDecision?: ((decision: GuardDecision, request: Req) => void) | undefined;
}

/**
 * A signature as an adapter reports it: what `detectSignature` found, and whether it was
 * verified. `verified` is `true` only when the adapter has the `verify` option, the request is
 * signed, and the signature checked out.
 */
export type GuardSignature = SignatureInfo & {
  /** The signature was verified with the secret (the `verify` option), not only detected. */
  readonly verified: boolean;
};

/** An allowed request, as an adapter's hooks see it. */
export interface GuardAllow extends Allow {
  /** As in `Decision`, plus whether it was verified; `undefined` when the method is not a read. */
  readonly signature: GuardSignature | undefined;
}

/** A denied request, as an adapter's hooks see it: `errorResponse` takes it as it is. */
export interface GuardDenial extends Denial {
  /** As in `Decision`, plus whether it was verified; `undefined` when it was not looked at. */
  readonly signature: GuardSignature | undefined;
}

/**
 * The decision an adapter passes to `onDecision` and `onDeny`: the core's `Decision`, with
 * `signature.verified` saying whether the signature was checked or only detected.
 */
export type GuardDecision = GuardAllow | GuardDenial;

/**
 * The per-request work, prepared once by a factory.
 * @internal
 */
export interface PreparedGuard {
  readonly policy: Policy;
  /** The decision for a request: evaluate, or verify and evaluate. */
  decide(request: RequestLike): Promise<Decision>;
  /** The decision with `signature.verified`, for the hooks. */
  expose(decision: Decision): GuardDecision;
  /** OSS's error response for a denial. */
  respond(denial: Denial, method: string | undefined): ErrorResponse;
}

const KNOWN = [
  'verify',
  'bucket',
  'buckets',
  'now',
  'contentType',
  'requestId',
  'onDecision',
] as const;

// docs/behaviour.md#hosts-and-buckets: 3–63 of [a-z0-9-], not starting or ending with "-".
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/**
 * A TypeError naming the factory and the option, as every adapter reports a bad option.
 * @internal
 */
export const optionError = (factory: string, message: string): TypeError =>
  new TypeError(`${factory}: ${message}`);

function checkFunction(factory: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    throw optionError(factory, `options.${name} must be a function, not ${describe(value)}.`);
}

function checkBucket(factory: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || !BUCKET.test(value))
    throw optionError(
      factory,
      `${name} must be a bucket name (3–63 of a–z, 0–9 and "-", not starting or ending with "-"), not ${
        typeof value === 'string' ? JSON.stringify(value) : describe(value)
      }.`,
    );
}

function checkOptions(
  factory: string,
  options: unknown,
  extra: readonly string[],
): asserts options is GuardBaseOptions<unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw optionError(factory, `options must be an object, not ${describe(options)}.`);
  const known: readonly string[] = [...KNOWN, ...extra];
  for (const name of Object.keys(options))
    if (!known.includes(name))
      throw optionError(
        factory,
        `unknown option "${name}" (the options are ${known.map((k) => `"${k}"`).join(', ')}).`,
      );
  const o = options as Record<string, unknown>;
  if (o.verify !== undefined) {
    const v = o.verify as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw optionError(
        factory,
        `options.verify must be an object with getSecret, not ${describe(v)}.`,
      );
    for (const name of Object.keys(v))
      if (name !== 'getSecret' && name !== 'clockSkewSeconds')
        throw optionError(
          factory,
          `unknown option "verify.${name}" (the options are "verify.getSecret", "verify.clockSkewSeconds").`,
        );
    if (typeof v.getSecret !== 'function')
      throw optionError(
        factory,
        `options.verify.getSecret must be a function (accessKeyId) => secret, not ${describe(v.getSecret)}.`,
      );
    const skew = v.clockSkewSeconds;
    if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0))
      throw optionError(factory, 'options.verify.clockSkewSeconds must be a number ≥ 0.');
  }
  if (o.bucket !== undefined) checkBucket(factory, 'options.bucket', o.bucket);
  if (o.buckets !== undefined) {
    const b = o.buckets;
    const entries =
      b instanceof Map
        ? [...b]
        : typeof b === 'object' && b !== null && !Array.isArray(b)
          ? Object.entries(b)
          : undefined;
    if (entries === undefined)
      throw optionError(
        factory,
        `options.buckets must be an object or a Map of host → bucket, not ${describe(b)}.`,
      );
    for (const [host, bucket] of entries) {
      if (typeof host !== 'string' || host === '')
        throw optionError(factory, 'options.buckets must map host names (strings) to buckets.');
      checkBucket(factory, `options.buckets[${JSON.stringify(host)}]`, bucket);
    }
  }
  for (const name of ['now', 'contentType', 'requestId', 'onDecision', ...extra])
    checkFunction(factory, name, o[name]);
}

function readPolicy(factory: string, policy: unknown): Policy {
  if (isPolicy(policy)) return policy;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    throw optionError(
      factory,
      `the policy must be a policy object (definePolicy's result, or its input), not ${describe(policy)}.`,
    );
  // Invalid input throws PolicyError, listing every problem.
  return definePolicy(policy as PolicyInput);
}

const CONTENT_TYPE_REASONS: ReadonlySet<string> = new Set([
  'original',
  'inline-processing',
  'ambiguous-processing',
]);

/**
 * Check a factory's policy and options once and prepare the per-request work. `factory` names
 * the function in error messages; `extra` lists the adapter's own options (functions).
 * @internal
 */
export function prepareGuard(
  factory: string,
  policyInput: Policy | PolicyInput,
  options: unknown,
  extra: readonly string[],
): PreparedGuard {
  const policy = readPolicy(factory, policyInput);
  checkOptions(factory, options, extra);
  const { verify, bucket, buckets, contentType, requestId } = options;
  const now = options.now ?? (() => new Date());
  const wildcard = policy.extensions[0] === '*';
  const getSecret = verify?.getSecret.bind(verify);
  const clockSkewSeconds = verify?.clockSkewSeconds;

  const run = (request: RequestLike, type: string | undefined): Promise<Decision> | Decision => {
    const at = now();
    if (!(at instanceof Date) || Number.isNaN(at.getTime()))
      throw optionError(factory, 'options.now must return a valid Date.');
    const opts: EvaluateOptions = { now: at, bucket, buckets, contentType: type };
    if (getSecret === undefined) return evaluate(request, policy, opts);
    return verifyAndEvaluate(request, policy, { ...opts, getSecret, now: at, clockSkewSeconds });
  };

  return {
    policy,
    async decide(request) {
      const decision = await run(request, undefined);
      if (decision.allow || contentType === undefined || !wildcard) return decision;
      if (!CONTENT_TYPE_REASONS.has(decision.reason)) return decision;
      // `*` may have protected keys that are not images: ask for their types. Any key that is
      // (or may be) an image keeps the denial; otherwise decide again with a non-image type.
      const keys = new Set<string>();
      for (const r of decision.readings)
        if (!r.allowed && r.match?.kind === 'wildcard') keys.add(r.key);
      if (keys.size === 0) return decision;
      let type: string | undefined;
      for (const key of keys) {
        const t = await contentType(key);
        if (typeof t !== 'string' || isImageContentType(t)) return decision;
        type ??= t;
      }
      return run(request, type);
    },
    expose(decision) {
      const s = decision.signature;
      if (s === undefined) return decision as GuardDecision;
      // A signed request is allowed only once its signature verified (with `verify`).
      const verified = getSecret !== undefined && s.kind === 'signed' && decision.allow;
      return { ...decision, signature: { ...s, verified } } as GuardDecision;
    },
    respond(denial, method) {
      const id = requestId?.();
      if (id !== undefined && typeof id !== 'string')
        throw optionError(factory, 'options.requestId must return a string.');
      return errorResponse(
        denial,
        id === undefined
          ? { method: method ?? denial.method }
          : { requestId: id, method: method ?? denial.method },
      );
    },
  };
}
