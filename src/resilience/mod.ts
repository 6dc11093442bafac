/**
 * Resilience policies, a small subset of cockatiel's: {@link retry} with
 * backoff and jitter and a `retryIf` classifier, {@link timeout} through an
 * AbortSignal, composed with {@link wrap}, over an injectable
 * {@link Clock}, and {@link isDeterministic} to tell failures not worth
 * retrying. The flow runtime (task and flow retries, task timeouts) and
 * the HTTP scoring client use these and nothing else.
 *
 * @example Retry a flaky call, each attempt limited to 2 s
 * ```ts
 * import { exponentialBackoff, retry, timeout, wrap } from "./mod.ts";
 * const policy = wrap(
 *   retry({ retries: 3, backoff: exponentialBackoff({ baseMs: 200, maxMs: 5_000, jitter: 1 }) }),
 *   timeout(2_000, () => new Error("no answer within 2 s")),
 * );
 * const response = await policy.execute(({ signal }) => fetch("http://127.0.0.1:8000/health", { signal }));
 * ```
 *
 * @module
 */
export { allOrFirstError } from "./all_or_first_error.ts";
export { type Backoff, backoffDelay, type ExponentialBackoff, exponentialBackoff } from "./backoff.ts";
export { isDeterministic } from "./classify.ts";
export { type Clock, systemClock, type VirtualClock, virtualClock } from "./clock.ts";
export { type AttemptContext, type Policy, wrap } from "./policy.ts";
export { retry, type RetryEvent, type RetryOptions } from "./retry.ts";
export { timeout } from "./timeout.ts";
