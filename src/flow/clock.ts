/**
 * Time as the runtime sees it: `now()` for every recorded time and duration,
 * `sleep()` for retry delays. Injecting a {@link virtualClock} makes retry
 * tests exact and instant. Timeouts deliberately use real timers, so that a
 * virtual clock cannot make every task with a timeout expire at once.
 *
 * @module
 */
import { CancelledError } from "./errors.ts";

/**
 * A source of time and delays.
 *
 * @example
 * ```ts
 * const frozen: Clock = { now: () => 0, sleep: () => Promise.resolve() };
 * ```
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new CancelledError("aborted");
}

/**
 * The real clock.
 *
 * @example
 * ```ts
 * await systemClock.sleep(1);
 * systemClock.now() > 0; // true
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * A {@link Clock} whose time only moves when something sleeps.
 *
 * @example
 * ```ts
 * const clock: VirtualClock = virtualClock();
 * clock.advance(1_000);
 * ```
 */
export interface VirtualClock extends Clock {
  /** Every delay slept so far, in order. */
  readonly sleeps: readonly number[];
  /** Moves time forward without sleeping (to simulate work taking time). */
  advance(ms: number): void;
}

/**
 * A clock for tests: `sleep(ms)` returns at once and moves `now()` forward by
 * `ms`, and every delay is recorded.
 *
 * @example
 * ```ts
 * const clock = virtualClock(1_000);
 * await clock.sleep(250);
 * clock.now(); // 1250
 * clock.sleeps; // [250]
 * ```
 */
export function virtualClock(start = Date.UTC(2026, 0, 1)): VirtualClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleeps,
    advance(ms) {
      time += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw abortReason(signal);
      sleeps.push(ms);
      time += ms;
      await Promise.resolve();
    },
  };
}
