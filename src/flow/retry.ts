/**
 * Retry delays: a fixed delay, a list (the last entry repeats, as in
 * Prefect), or exponential backoff with seeded jitter.
 *
 * @module
 */
import { createRandom, type Random } from "../stats/random.ts";

/**
 * Exponential backoff: `baseMs * factor^(retry-1)`, capped at `maxMs`, stretched by up to `jitter` of itself.
 *
 * @example
 * ```ts
 * const backoff: ExponentialBackoff = exponentialBackoff({ baseMs: 100, maxMs: 5_000, jitter: 0.2 });
 * ```
 */
export interface ExponentialBackoff {
  readonly kind: "exponential";
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
  /** Fraction in [0, 1]: each delay is multiplied by `1 + jitter * u`, `u` uniform on [0, 1). */
  readonly jitter: number;
  /** Seed of the jitter; mixed with the task name and call number, so retries of different task runs spread out. */
  readonly seed: number;
}

/**
 * How long to wait before each retry.
 *
 * @example
 * ```ts
 * const delays: RetryDelay[] = [500, [100, 1_000, 10_000], exponentialBackoff({ baseMs: 100 })];
 * ```
 */
export type RetryDelay = number | readonly number[] | ExponentialBackoff;

/**
 * Builds an {@link ExponentialBackoff} (defaults: factor 2, no cap, no jitter, seed 0).
 *
 * @example
 * ```ts
 * const backoff = exponentialBackoff({ baseMs: 100 });
 * [1, 2, 3].map((retry) => retryDelayMs(backoff, retry)); // [100, 200, 400]
 * ```
 */
export function exponentialBackoff(
  options: { baseMs: number } & Partial<Omit<ExponentialBackoff, "kind" | "baseMs">>,
): ExponentialBackoff {
  const spec = { kind: "exponential" as const, factor: 2, maxMs: Infinity, jitter: 0, seed: 0, ...options };
  if (!(spec.baseMs >= 0) || !(spec.factor >= 1) || !(spec.jitter >= 0 && spec.jitter <= 1)) {
    throw new RangeError(`invalid backoff ${JSON.stringify(options)}: need baseMs >= 0, factor >= 1, 0 <= jitter <= 1`);
  }
  return spec;
}

/**
 * The delay before retry number `retry` (1 = the first retry). `random`
 * supplies the jitter draws; pass one per task run so delays are reproducible.
 *
 * @example
 * ```ts
 * retryDelayMs([10, 50], 1); // 10
 * retryDelayMs([10, 50], 5); // 50
 * retryDelayMs(30, 2); // 30
 * ```
 */
export function retryDelayMs(spec: RetryDelay | undefined, retry: number, random?: Random): number {
  if (spec === undefined) return 0;
  if (typeof spec === "number") return spec;
  if (Array.isArray(spec)) return spec.length === 0 ? 0 : spec[Math.min(retry, spec.length) - 1];
  const backoff = spec as ExponentialBackoff;
  const base = Math.min(backoff.maxMs, backoff.baseMs * backoff.factor ** (retry - 1));
  const u = backoff.jitter > 0 ? (random ?? createRandom(backoff.seed)).next() : 0;
  return Math.round(base * (1 + backoff.jitter * u));
}

/**
 * The jitter generator for one task run: seeded from the backoff seed, the
 * task name and the call number within the flow run.
 *
 * @example
 * ```ts
 * const spec = exponentialBackoff({ baseMs: 100, jitter: 0.5, seed: 7 });
 * retryDelayMs(spec, 1, jitterRandom(spec, "fit", 1)) === retryDelayMs(spec, 1, jitterRandom(spec, "fit", 1)); // true
 * ```
 */
export function jitterRandom(spec: RetryDelay | undefined, taskName: string, call: number): Random | undefined {
  if (spec === undefined || typeof spec === "number" || Array.isArray(spec)) return undefined;
  let h = 0x811c9dc5 ^ (spec as ExponentialBackoff).seed;
  for (const ch of `${taskName}#${call}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return createRandom(h >>> 0);
}
