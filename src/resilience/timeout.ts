/**
 * Timeout: give each attempt a time limit. When it passes, the attempt's
 * signal aborts with the error `onTimeout` makes and the attempt is
 * abandoned at once, even if the work ignores its signal (cockatiel's
 * "aggressive" strategy); the same happens when the caller's signal aborts.
 *
 * @module
 */
import { type Clock, systemClock } from "./clock.ts";
import { type AttemptContext, complete, type Policy } from "./policy.ts";

/**
 * A policy that aborts and abandons an attempt after `ms` (no limit when
 * `ms` is undefined: the attempt is then only abandoned when the caller aborts).
 *
 * @example
 * ```ts
 * const policy = timeout(50, () => new Error("took over 50 ms"));
 * const error = await policy.execute(() => new Promise(() => {})).catch((e) => e);
 * // error.message === "took over 50 ms"
 * ```
 */
export function timeout(
  ms: number | undefined,
  onTimeout: () => unknown,
  clock: Pick<Clock, "setTimer"> = systemClock,
): Policy {
  return {
    async execute<T>(work: (context: AttemptContext) => Promise<T> | T, context?: Partial<AttemptContext>) {
      const outer = complete(context);
      const controller = new AbortController();
      const onOuterAbort = () => controller.abort(outer.signal.reason);
      if (outer.signal.aborted) onOuterAbort();
      outer.signal.addEventListener("abort", onOuterAbort, { once: true });
      const cancelTimer = ms === undefined ? () => {} : clock.setTimer(() => controller.abort(onTimeout()), ms);
      try {
        const running = Promise.resolve().then(() => work({ signal: controller.signal, attempt: outer.attempt }));
        return await untilAborted(running, controller.signal);
      } finally {
        cancelTimer();
        outer.signal.removeEventListener("abort", onOuterAbort);
      }
    },
  };
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
