/**
 * How long to wait before each retry: a fixed delay, a list (the last entry
 * repeats, as in Prefect), or exponential backoff with jitter. One formula
 * serves every caller: the ceiling `baseMs * factor^(retry-1)`, capped at
 * `maxMs`, of which a random share `jitter` is taken off. `jitter: 1` is
 * AWS's "full jitter" (uniform on [0, ceiling)), which spreads out many
 * clients retrying at once; `jitter: 0` is plain doubling.
 *
 * @module
 */

/** Exponential backoff settings (build with {@link exponentialBackoff}). */
export interface ExponentialBackoff {
  readonly kind: "exponential";
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
  /** Fraction in [0, 1]: each delay is `ceiling * (1 - jitter + jitter * u)`, `u` uniform on [0, 1). */
  readonly jitter: number;
}

/** A delay before each retry: milliseconds, a list (last entry repeats) or exponential backoff. */
export type Backoff = number | readonly number[] | ExponentialBackoff;

/**
 * Builds an {@link ExponentialBackoff} (defaults: factor 2, no cap, no jitter).
 *
 * @example
 * ```ts
 * const backoff = exponentialBackoff({ baseMs: 100 });
 * [1, 2, 3].map((retry) => backoffDelay(backoff, retry)); // [100, 200, 400]
 * ```
 */
export function exponentialBackoff(
  options: { baseMs: number } & Partial<Omit<ExponentialBackoff, "kind" | "baseMs">>,
): ExponentialBackoff {
  const spec = { kind: "exponential" as const, factor: 2, maxMs: Infinity, jitter: 0, ...options };
  if (!(spec.baseMs >= 0) || !(spec.factor >= 1) || !(spec.jitter >= 0 && spec.jitter <= 1)) {
    throw new RangeError(`invalid backoff ${JSON.stringify(options)}: need baseMs >= 0, factor >= 1, 0 <= jitter <= 1`);
  }
  return spec;
}

/**
 * The delay before retry number `retry` (1 = the first retry); `random`
 * (uniform on [0, 1)) supplies the jitter.
 *
 * @example
 * ```ts
 * backoffDelay([10, 50], 1); // 10
 * backoffDelay([10, 50], 5); // 50
 * backoffDelay(30, 2); // 30
 * backoffDelay(exponentialBackoff({ baseMs: 200, maxMs: 5_000, jitter: 1 }), 4, () => 0.5); // 800
 * ```
 */
export function backoffDelay(spec: Backoff | undefined, retry: number, random: () => number = Math.random): number {
  if (spec === undefined) return 0;
  if (typeof spec === "number") return spec;
  if (Array.isArray(spec)) return spec.length === 0 ? 0 : spec[Math.min(retry, spec.length) - 1];
  const backoff = spec as ExponentialBackoff;
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * backoff.factor ** (retry - 1));
  const share = backoff.jitter > 0 ? 1 - backoff.jitter + backoff.jitter * random() : 1;
  return Math.round(ceiling * share);
}
