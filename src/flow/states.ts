/**
 * The states a task run and a flow run pass through. Names follow Prefect's
 * (Cached, Retrying and TimedOut are their own states rather than sub-types,
 * because the run record and the run graph colour by them).
 *
 * @module
 */

/**
 * Every state a task run can be in.
 *
 * - `Pending`: created, waiting for its inputs or a concurrency slot.
 * - `Running`: an attempt is executing.
 * - `Retrying`: an attempt failed and the next one is scheduled.
 * - `Completed`: finished with a result.
 * - `Cached`: result taken from the cache, or reused from an earlier attempt of the flow.
 * - `Failed`: the last attempt threw.
 * - `TimedOut`: the last attempt exceeded `timeoutMs`.
 * - `Cancelled`: stopped because its flow run failed or was cancelled.
 * - `NotRun`: never started because a task it consumes failed.
 */
export type TaskState =
  | "Pending"
  | "Running"
  | "Retrying"
  | "Completed"
  | "Cached"
  | "Failed"
  | "TimedOut"
  | "Cancelled"
  | "NotRun";

/** Every state a flow run can be in. */
export type FlowState = "Pending" | "Running" | "Retrying" | "Completed" | "Failed" | "Cancelled";

/**
 * Ordered list of task states, for legends and summaries.
 *
 * @example
 * ```ts
 * TASK_STATES.includes("NotRun"); // true
 * ```
 */
export const TASK_STATES: readonly TaskState[] = [
  "Pending",
  "Running",
  "Retrying",
  "Completed",
  "Cached",
  "Failed",
  "TimedOut",
  "Cancelled",
  "NotRun",
];

/**
 * Whether a task run in this state will not change any more.
 *
 * @example
 * ```ts
 * isFinal("Retrying"); // false
 * isFinal("NotRun"); // true
 * ```
 */
export function isFinal(state: TaskState): boolean {
  return state !== "Pending" && state !== "Running" && state !== "Retrying";
}
