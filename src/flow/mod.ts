/**
 * A small, typed, Prefect-like orchestration runtime: tasks and flows with
 * retries and timeouts (the policies of `src/resilience`), an on-disk
 * content-addressed cache, futures and `map`, worker isolation for CPU-bound
 * tasks, flow retries that reuse completed task runs, a run-bound logger,
 * and a JSON record of every flow run with an SVG run graph. No server, no
 * database: state is in memory per run and files on disk.
 *
 * Reading order for a newcomer: `task.ts` (what a task is) → `flow.ts` (a
 * run and its attempts) → `task_run.ts` (one task run: cache lookup → run
 * under policy → record outcome) → `cache.ts` / `hash.ts` / `codec.ts` (the
 * cache) → `isolate.ts` (workers) → `record.ts` / `graph.ts` (what is kept).
 * `step_runner.ts` and `task_step_runner.ts` run the pipeline's steps plainly
 * or as tasks.
 *
 * Folders (relative to the working directory, configurable per flow or per
 * run): records `flowruns/`, cache `.cache/flow/`. Inspect them with
 * `deno task runs` and `deno task cache`.
 *
 * Rules worth knowing:
 * - A task takes one input (use an object for several) and its body gets a
 *   context second: `{ signal, logger, attempt, taskRunId, flowRunId }`.
 * - Inside a running flow a task call is a recorded task run; outside any flow
 *   it just runs the body once (no retries, timeout, cache or record).
 * - `t(input)` awaits the run; `t.submit(input)` returns a {@link TaskFuture}
 *   at once; `t.map(inputs)` submits one run per input (futures in input
 *   order). Futures and promises may be passed as, or inside, another task's
 *   input: that task waits for them.
 * - Upstream edges: a task run consumed another if its input held a future of
 *   it or an object it returned (identity, per flow run). Primitive results
 *   cannot be traced: pass the future when the edge matters. If a consumed
 *   run fails, the consumer ends `NotRun`.
 * - Cache key: SHA-256 of task name + body source text + `version` +
 *   canonical input (DataFrames by content, typed arrays, Maps, Dates, plain
 *   objects; key order and Map order do not matter). Helpers the body calls
 *   are not part of the source text: put a code fingerprint in `version`
 *   (the pipeline uses `codeFingerprint()`). An unhashable input fails the
 *   task run, naming the input path. An expired, unreadable or corrupt entry
 *   is a miss with a warning.
 * - Timeouts abort the body's `signal` (a body that ignores it is abandoned
 *   and the run ends `TimedOut` on time). Synchronous CPU-bound bodies cannot
 *   be interrupted on the main thread: run them with `task.worker(...)`, whose
 *   default `"process"` isolation is killed on timeout.
 * - Errors of bad input (`isDeterministic` in `src/resilience`: `DataError`,
 *   `RangeError`, ...) fail the same way every time and are never retried,
 *   by tasks or flows; `retryIf` narrows retries further.
 * - Flow retries re-run the flow body; task runs whose name, source, version
 *   and input match a completed run of an earlier attempt are reused (state
 *   `Cached`, cache status `reused`) instead of re-executed.
 *
 * @example Define tasks and a flow, run it, get the result and the record
 * ```ts
 * import { exponentialBackoff } from "../resilience/mod.ts";
 * import { flow, task } from "./mod.ts";
 *
 * const loadData = task(async (opts: { rows: number }) => Array.from({ length: opts.rows }, (_, i) => i), {
 *   name: "load-data",
 *   retries: 2,
 *   retryDelayMs: exponentialBackoff({ baseMs: 500, jitter: 0.2 }),
 *   cache: { ttlMs: 24 * 3600_000 },
 * });
 * const total = task(async (xs: number[]) => xs.reduce((a, b) => a + b, 0), { name: "total" });
 *
 * const trainFlow = flow(async (params: { rows: number }, { logger }) => {
 *   const data = loadData.submit({ rows: params.rows }); // a future
 *   const sum = await total(data); // waits for it; records the upstream edge
 *   logger.info(`sum=${sum}`);
 *   return sum;
 * }, { name: "train" });
 *
 * const run = await trainFlow.run({ rows: 10 });
 * run.result; // 45
 * run.id; // "20260101-120000-a1b2c3"
 * run.recordPath; // "flowruns/20260101-120000-a1b2c3.json"
 * run.record.taskRuns.map((t) => t.state); // ["Completed", "Completed"] (or "Cached" on a second run)
 * ```
 *
 * @example CPU-bound work in a worker process, killed on timeout
 * ```ts
 * import { task } from "./mod.ts";
 * // fit_worker.ts: export function fitCandidate(spec: { depth: number }): { auc: number } { ... }
 * type FitCandidate = (spec: { depth: number }) => { auc: number };
 * const fit = task.worker<FitCandidate>(new URL("./fit_worker.ts", import.meta.url), "fitCandidate", {
 *   timeoutMs: 120_000,
 * });
 * // inside a flow: const [a, b] = await Promise.all([fit.submit(specA), fit.submit(specB)]); // two cores
 * ```
 *
 * @example Tests: no console output, no real sleeping, temporary folders
 * ```ts
 * import { virtualClock } from "../resilience/mod.ts";
 * import { flow } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const clock = virtualClock();
 * const myFlow = flow(() => 1, { name: "tiny" });
 * await myFlow.run(undefined, { recordsDir: dir, cacheDir: `${dir}/cache`, clock, log: { console: false } });
 * // clock.sleeps lists every retry delay; clock.advance(ms) fires timeouts
 * ```
 *
 * @module
 */
export { type Task, task, type TaskArgs, type WorkerTaskOptions } from "./task.ts";
export type { CacheOptions, TaskContext, TaskOptions } from "./task_options.ts";
export {
  type Flow,
  flow,
  type FlowArgs,
  type FlowContext,
  type FlowOptions,
  type FlowRun,
  FlowRunError,
  type RunOptions,
} from "./flow.ts";
export { type Deferred, TaskFuture } from "./future.ts";
export type { LogLevel, LogOptions, LogRecord, RunLogger } from "./logger.ts";
export { type FlowState, isFinal, TASK_STATES, type TaskState } from "./states.ts";
export {
  CancelledError,
  type ErrorInfo,
  TaskTimeoutError,
  UnsupportedValueError,
  UpstreamFailedError,
} from "./errors.ts";
export {
  type AttemptRecord,
  type CacheStatus,
  DEFAULT_RECORDS_DIR,
  type FlowAttemptRecord,
  type FlowRunRecord,
  listRunRecords,
  readRunRecord,
  type RunSummary,
  type TaskRunRecord,
} from "./record.ts";
export { type CacheEntryInfo, DEFAULT_CACHE_DIR, ResultCache } from "./cache.ts";
export { hashValue } from "./hash.ts";
export type { Isolation } from "./isolate.ts";
