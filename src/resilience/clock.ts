/**
 * Time as the resilience policies and the flow runtime see it: `now()` for
 * every recorded time, `sleep()` for retry delays, `setTimer()` for
 * timeouts. Injecting a {@link virtualClock} makes retry and timeout tests
 * exact and instant: nothing waits for real time, so a loaded machine cannot
 * make them flaky.
 *
 * @module
 */

/** A source of time, delays and timers. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` once, `ms` from now; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
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
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  setTimer: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** A {@link Clock} whose time only moves when something sleeps or the test advances it. */
export interface VirtualClock extends Clock {
  /** Every delay slept so far, in order. */
  readonly sleeps: readonly number[];
  /** Moves time forward (to simulate work taking time), firing the timers that fall due. */
  advance(ms: number): void;
}

/**
 * A clock for tests: `sleep(ms)` returns at once and moves `now()` forward by
 * `ms`, every delay is recorded, and timers fire when time passes them.
 *
 * @example
 * ```ts
 * const clock = virtualClock(1_000);
 * let fired = false;
 * clock.setTimer(() => (fired = true), 100);
 * await clock.sleep(250);
 * clock.now(); // 1250
 * clock.sleeps; // [250]
 * fired; // true
 * ```
 */
export function virtualClock(start = Date.UTC(2026, 0, 1)): VirtualClock {
  let time = start;
  const sleeps: number[] = [];
  const timers = new Set<{ at: number; fn: () => void }>();
  const advance = (ms: number) => {
    time += ms;
    const due = [...timers].filter((timer) => timer.at <= time).sort((a, b) => a.at - b.at);
    for (const timer of due) {
      timers.delete(timer);
      timer.fn();
    }
  };
  return {
    now: () => time,
    sleeps,
    advance,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      advance(ms);
      await Promise.resolve();
    },
    setTimer(fn, ms) {
      const timer = { at: time + ms, fn };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
}
