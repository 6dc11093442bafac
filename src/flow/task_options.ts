/**
 * What a task is made of: its options (Prefect's task keyword arguments), the
 * context its body receives, and the internal definition the runtime runs.
 *
 * @module
 */
import type { Isolation } from "./isolate.ts";
import type { RunLogger } from "./logger.ts";
import type { Backoff } from "../resilience/backoff.ts";

/** Cache settings of a task. */
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

/** Options of a task (see `task()` for the rules). */
export interface TaskOptions<I = unknown> {
  /** Name in logs, records and cache listings (default: the function's name). */
  readonly name?: string;
  /** Extra attempts after a failure (default 0). */
  readonly retries?: number;
  /** Delay before each retry: a number, a list (last entry repeats) or `exponentialBackoff(...)`. */
  readonly retryDelayMs?: Backoff;
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
}

/** What a task body receives besides its input. */
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

/** The runtime's view of a task. */
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
