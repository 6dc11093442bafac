/**
 * What a task is made of: its options (Prefect's task keyword arguments), the
 * context its body receives, and the internal definition the runtime runs.
 *
 * @module
 */
import type { Isolation } from "./isolate.ts";
import type { RunLogger } from "./logger.ts";
import type { RetryDelay } from "./retry.ts";

/**
 * Cache settings of a task.
 *
 * @example
 * ```ts
 * const cache: CacheOptions<{ path: string }> = { key: (input) => input.path, ttlMs: 3_600_000 };
 * ```
 */
export interface CacheOptions<I = unknown> {
  /**
   * Custom key from the input. The stored key is a hash of the task name,
   * the `version` and this string; the task source is then NOT part of it.
   */
  readonly key?: (input: I) => string;
  /** Entries older than this are a miss (with a warning). */
  readonly ttlMs?: number;
  /** Skip the lookup, run the task and overwrite the entry. */
  readonly refresh?: boolean;
}

/**
 * Options of a task (see `task()` for the rules).
 *
 * @example
 * ```ts
 * const options: TaskOptions<number> = { name: "fit", retries: 2, retryDelayMs: [1_000, 5_000], timeoutMs: 60_000 };
 * ```
 */
export interface TaskOptions<I = unknown> {
  /** Name in logs, records and cache listings (default: the function's name). */
  readonly name?: string;
  /** Extra attempts after a failure (default 0). */
  readonly retries?: number;
  /** Delay before each retry: a number, a list (last entry repeats) or `exponentialBackoff(...)`. */
  readonly retryDelayMs?: RetryDelay;
  /** Decides per failure whether to retry (default: always, while retries remain). */
  readonly retryIf?: (error: unknown) => boolean;
  /** Per-attempt time limit; the body's `signal` aborts with a `TaskTimeoutError`. */
  readonly timeoutMs?: number;
  /** Cache results on disk: `true` for defaults, or settings. */
  readonly cache?: boolean | CacheOptions<I>;
  /**
   * Part of the cache key. Bump it when code the task calls changes: the
   * default key only sees the task's own source text, not its helpers.
   */
  readonly version?: string | number;
  /** Save the result of each completed run under the flow's results folder (path in the run record). */
  readonly persistResult?: boolean;
}

/**
 * Task options a flow applies to its tasks where the task does not set them.
 *
 * @example
 * ```ts
 * const defaults: TaskDefaults = { retries: 1, timeoutMs: 600_000, cache: { ttlMs: 86_400_000 } };
 * ```
 */
export interface TaskDefaults {
  readonly retries?: number;
  readonly retryDelayMs?: RetryDelay;
  readonly retryIf?: (error: unknown) => boolean;
  readonly timeoutMs?: number;
  readonly cache?: boolean | Omit<CacheOptions, "key">;
  readonly persistResult?: boolean;
}

/**
 * What a task body receives besides its input.
 *
 * @example
 * ```ts
 * // task(async (url: string, { signal, logger }: TaskContext) => { logger.info(url); return await fetch(url, { signal }); })
 * ```
 */
export interface TaskContext {
  /** Aborts on timeout (reason: `TaskTimeoutError`) or when the flow run stops (reason: `CancelledError`). */
  readonly signal: AbortSignal;
  /** Logger bound to this task run. */
  readonly logger: RunLogger;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Undefined when the task is called outside a flow. */
  readonly taskRunId?: string;
  readonly flowRunId?: string;
}

/**
 * The runtime's view of a task.
 *
 * @example
 * ```ts
 * const def: TaskDefinition = {
 *   name: "noop",
 *   options: {},
 *   body: () => Promise.resolve(null),
 *   source: () => Promise.resolve("noop"),
 * };
 * ```
 */
export interface TaskDefinition {
  readonly name: string;
  readonly options: TaskOptions<unknown>;
  readonly isolation?: Isolation;
  /** Runs one attempt of the body. */
  body(input: unknown, context: TaskContext): Promise<unknown>;
  /** The text the default cache key hashes as "task source". */
  source(): Promise<string>;
}

/**
 * A task's options completed with its flow's defaults (the task wins).
 *
 * @example
 * ```ts
 * effectiveOptions({ retries: 1 }, { retries: 3, timeoutMs: 50 }); // { retries: 1, timeoutMs: 50, ... }
 * ```
 */
export function effectiveOptions(options: TaskOptions<unknown>, defaults: TaskDefaults): TaskOptions<unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
  return merged as TaskOptions<unknown>;
}

/**
 * The cache settings of a task, or undefined when caching is off.
 *
 * @example
 * ```ts
 * cacheSettings(true); // {}
 * cacheSettings(false); // undefined
 * ```
 */
export function cacheSettings(cache: TaskOptions<unknown>["cache"]): CacheOptions<unknown> | undefined {
  if (cache === undefined || cache === false) return undefined;
  return cache === true ? {} : cache;
}
