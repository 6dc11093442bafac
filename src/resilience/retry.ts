/**
 * Retry: run the work again after a failure, waiting a backoff delay between
 * attempts, as long as retries remain, the failure is worth retrying
 * (`retryIf`) and the caller has not aborted.
 *
 * @module
 */
import { type Backoff, backoffDelay } from "./backoff.ts";
import { type Clock, systemClock } from "./clock.ts";
import { type AttemptContext, complete, type Policy } from "./policy.ts";

/** A failed attempt that will be retried. */
export interface RetryEvent {
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly error: unknown;
  /** The wait before the next attempt. */
  readonly delayMs: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts after the first. */
  readonly retries: number;
  /** The wait before each retry (default: none). */
  readonly backoff?: Backoff;
  /**
   * Whether a failure may pass on another attempt (default: every failure).
   * Deterministic failures (bad data, a 4xx answer) should say no: retrying
   * them only wastes the backoff.
   */
  readonly retryIf?: (error: unknown) => boolean;
  /** A wait the failure itself asks for (an HTTP `Retry-After`); when defined it replaces the backoff delay. */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
  /** Uniform on [0, 1): the jitter (seed it for reproducible delays). */
  readonly random?: () => number;
  /** Where the waits happen (tests inject a virtual clock). */
  readonly clock?: Pick<Clock, "sleep">;
  /** Told before each wait. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * A policy that retries failed attempts. When retries run out, or `retryIf`
 * says no, or the caller's signal aborts, the last error is thrown as is.
 *
 * @example
 * ```ts
 * import { exponentialBackoff } from "./backoff.ts";
 * let calls = 0;
 * const policy = retry({ retries: 3, backoff: exponentialBackoff({ baseMs: 1 }) });
 * const value = await policy.execute(({ attempt }) => {
 *   calls++;
 *   if (attempt < 3) throw new Error("flaky");
 *   return "ok";
 * });
 * // value === "ok", calls === 3
 * ```
 */
export function retry(options: RetryOptions): Policy {
  const clock = options.clock ?? systemClock;
  return {
    async execute<T>(work: (context: AttemptContext) => Promise<T> | T, context?: Partial<AttemptContext>) {
      const { signal } = complete(context);
      for (let attempt = 1;; attempt++) {
        try {
          return await work({ signal, attempt });
        } catch (error) {
          if (signal.aborted || attempt > options.retries || !(options.retryIf?.(error) ?? true)) throw error;
          const delayMs = options.retryAfterMs?.(error) ??
            backoffDelay(options.backoff, attempt, options.random);
          options.onRetry?.({ attempt, error, delayMs });
          await clock.sleep(delayMs, signal);
        }
      }
    },
  };
}
