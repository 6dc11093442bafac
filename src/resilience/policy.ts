/**
 * A policy runs a piece of work under some rule (retry it, time it out).
 * Policies compose like cockatiel's: `wrap(retry(...), timeout(...))` retries
 * attempts that each have their own time limit. The work receives the
 * attempt number and an AbortSignal that aborts when it should stop.
 *
 * @module
 */

/** What the work receives on each attempt. */
export interface AttemptContext {
  /** Aborts when the attempt should stop (a timeout, or the caller's signal). */
  readonly signal: AbortSignal;
  /** 1-based attempt number. */
  readonly attempt: number;
}

/** Runs work under a rule. */
export interface Policy {
  /** Runs `work`; `context` carries the caller's signal (and, inside another policy, the attempt number). */
  execute<T>(work: (context: AttemptContext) => Promise<T> | T, context?: Partial<AttemptContext>): Promise<T>;
}

/**
 * Nests policies, the first outermost: `wrap(retry(...), timeout(...))`
 * gives every attempt its own timeout.
 *
 * @example
 * ```ts
 * import { retry } from "./retry.ts";
 * import { timeout } from "./timeout.ts";
 * const policy = wrap(retry({ retries: 2 }), timeout(1_000, () => new Error("too slow")));
 * const answer = await policy.execute(({ signal }) => fetch("http://127.0.0.1:8000/health", { signal }));
 * ```
 */
export function wrap(...policies: readonly Policy[]): Policy {
  return {
    execute<T>(work: (context: AttemptContext) => Promise<T> | T, context?: Partial<AttemptContext>): Promise<T> {
      const run = (index: number, inner: Partial<AttemptContext> | undefined): Promise<T> =>
        index === policies.length
          ? Promise.resolve().then(() => work(complete(inner)))
          : policies[index].execute((next) => run(index + 1, next), inner);
      return run(0, context);
    },
  };
}

/**
 * Fills in what a caller left out: a signal that never aborts, attempt 1.
 *
 * @example
 * ```ts
 * complete({}).attempt; // 1
 * ```
 */
export function complete(context: Partial<AttemptContext> | undefined): AttemptContext {
  return { signal: context?.signal ?? new AbortController().signal, attempt: context?.attempt ?? 1 };
}
