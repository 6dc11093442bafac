/**
 * `flow(fn, options)`: wraps an async function into a flow. Each run gets an
 * id, validated parameters, its own state (AsyncLocalStorage: concurrent
 * runs never mix), a logger, flow-level retries that reuse the results of
 * task runs that already completed, and a JSON record saved when the run
 * starts and when it ends, whatever the outcome.
 *
 * @module
 */
import { join } from "node:path";
import { DEFAULT_CACHE_DIR, ResultCache } from "./cache.ts";
import { type Clock, systemClock } from "./clock.ts";
import { currentScope, type FlowRunState, type RunSettings, withScope } from "./context.ts";
import { CancelledError, errorInfo } from "./errors.ts";
import { Limiter } from "./limiter.ts";
import { type LogOptions, LogSink, type RunLogger } from "./logger.ts";
import { type ParamsValidator, validateParams } from "./params.ts";
import { DEFAULT_RECORDS_DIR, type FlowAttemptRecord, flowRunId, type FlowRunRecord, saveRunRecord } from "./record.ts";
import { type RetryDelay, retryDelayMs } from "./retry.ts";
import { isFinal } from "./states.ts";
import type { TaskDefaults } from "./task_options.ts";
import { formatDuration } from "./units.ts";
import { summarize } from "./values.ts";

/**
 * Where and how runs execute; per run, these override the flow's options.
 *
 * @example
 * ```ts
 * const options: RunOptions = { recordsDir: "/tmp/runs", log: { console: false }, concurrency: 2 };
 * ```
 */
export interface RunOptions {
  /** Folder of run records (default `flowruns/`). */
  readonly recordsDir?: string;
  /** Folder of the task cache (default `.cache/flow/`). */
  readonly cacheDir?: string;
  /** Folder of persisted task results (default `<recordsDir>/results/`). */
  readonly resultsDir?: string;
  /** Cache size cap in bytes (least recently used entries are evicted). */
  readonly cacheMaxBytes?: number;
  /** Console and level of the run's log. */
  readonly log?: LogOptions;
  /** Time source (tests inject `virtualClock()`). */
  readonly clock?: Clock;
  /** Most task runs running at once in this flow run. */
  readonly concurrency?: number;
  /** Cancels the run: running tasks are aborted and the run ends Cancelled. */
  readonly signal?: AbortSignal;
}

/**
 * Options of a flow.
 *
 * @example
 * ```ts
 * const options: FlowOptions<{ days: number }> = { name: "train", retries: 1, taskDefaults: { retries: 2 } };
 * ```
 */
export interface FlowOptions<P> extends Omit<RunOptions, "signal"> {
  /** Name in logs and records (default: the function's name). */
  readonly name?: string;
  /** Validates (and may transform) the parameters: a zod schema or a function. */
  readonly params?: ParamsValidator<P>;
  /** Options applied to every task of the flow that does not set them. */
  readonly taskDefaults?: TaskDefaults;
  /** Extra attempts of the whole flow after a failure; completed task runs are reused. */
  readonly retries?: number;
  readonly retryDelayMs?: RetryDelay;
}

/**
 * What a flow body receives besides its parameters.
 *
 * @example
 * ```ts
 * const f = flow(async (_: void, { logger, flowRunId }: FlowContext) => logger.info(`run ${flowRunId}`));
 * ```
 */
export interface FlowContext {
  readonly flowRunId: string;
  readonly logger: RunLogger;
  /** Aborts when the run is cancelled. */
  readonly signal: AbortSignal;
  /** 1-based flow attempt. */
  readonly attempt: number;
}

/**
 * A finished, successful flow run.
 *
 * @example
 * ```ts
 * const f = flow(async (n: number) => n * 2, { name: "double" });
 * const run: FlowRun<number> = await f.run(21);
 * run.result; // 42
 * ```
 */
export interface FlowRun<R> {
  readonly id: string;
  readonly state: "Completed";
  readonly result: R;
  readonly record: FlowRunRecord;
  /** Path of the saved record. */
  readonly recordPath: string;
}

/**
 * A flow run that ended Failed or Cancelled; the record is saved all the same.
 *
 * @example
 * ```ts
 * // try { await trainFlow.run(params) } catch (e) { if (e instanceof FlowRunError) console.log(e.recordPath) }
 * ```
 */
export class FlowRunError extends Error {
  constructor(readonly record: FlowRunRecord, readonly recordPath: string, override readonly cause: unknown) {
    super(`flow run '${record.name}' ${record.id} ended ${record.state}: ${errorInfo(cause).message}`);
    this.name = "FlowRunError";
  }

  /** Final state of the run. */
  get state(): FlowRunRecord["state"] {
    return this.record.state;
  }
}

/**
 * The arguments of a flow call: none for a flow without parameters.
 *
 * @example
 * ```ts
 * const noParams: FlowArgs<void> = [];
 * const withParams: FlowArgs<number> = [3];
 * ```
 */
export type FlowArgs<P> = [P] extends [void] ? [params?: P] : [params: P];

/**
 * A flow: call it for its result, or `run` it for the result and the record.
 *
 * @example
 * ```ts
 * const f: Flow<number, number> = flow(async (n: number) => n + 1, { name: "inc" });
 * await f(1); // 2
 * ```
 */
export interface Flow<P, R> {
  /** Runs the flow and returns its result; throws {@link FlowRunError} if it does not complete. */
  (...args: FlowArgs<P>): Promise<R>;
  /** Runs the flow and returns result, id and record; throws {@link FlowRunError} if it does not complete. */
  run(...args: [...FlowArgs<P>, options?: RunOptions]): Promise<FlowRun<R>>;
  readonly flowName: string;
  readonly options: Readonly<FlowOptions<P>>;
}

/**
 * Wraps a function into a flow.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { flow, task } from "./mod.ts";
 *
 * const square = task(async (x: number) => x * x, { name: "square", retries: 1 });
 * const sumOfSquares = flow(async ({ n }: { n: number }) => {
 *   const squares = await Promise.all(square.map(Array.from({ length: n }, (_, i) => i)));
 *   return squares.reduce((a, b) => a + b, 0);
 * }, { name: "sum-of-squares", params: z.object({ n: z.number().int().min(1) }), concurrency: 2 });
 *
 * const run = await sumOfSquares.run({ n: 4 }, { log: { console: false } });
 * run.result; // 14
 * run.record.taskRuns.length; // 4
 * run.recordPath; // "flowruns/<id>.json"
 * ```
 */
export function flow<P = void, R = unknown>(
  fn: (params: P, context: FlowContext) => R | Promise<R>,
  options: FlowOptions<P> = {},
): Flow<P, Awaited<R>> {
  const name = options.name ?? (fn.name || "flow");
  const run = (params?: unknown, runOptions: RunOptions = {}) =>
    executeFlow<P, Awaited<R>>(
      name,
      fn as (params: P, context: FlowContext) => Promise<Awaited<R>>,
      options,
      params,
      runOptions,
    );
  const call = async (params?: unknown) => (await run(params)).result;
  return Object.assign(call, { run, flowName: name, options }) as unknown as Flow<P, Awaited<R>>;
}

function resolveSettings(options: FlowOptions<unknown>, runOptions: RunOptions, parent?: RunSettings): RunSettings {
  const pick = <K extends keyof RunSettings>(key: K & keyof RunOptions, fallback: RunSettings[K]): RunSettings[K] =>
    (runOptions[key] ?? options[key] ?? parent?.[key] ?? fallback) as RunSettings[K];
  const recordsDir = pick("recordsDir", DEFAULT_RECORDS_DIR);
  return {
    clock: pick("clock", systemClock),
    log: pick("log", {}),
    recordsDir,
    cacheDir: pick("cacheDir", DEFAULT_CACHE_DIR),
    resultsDir: pick("resultsDir", join(recordsDir, "results")),
    cacheMaxBytes: pick("cacheMaxBytes", undefined),
  };
}

async function executeFlow<P, R>(
  name: string,
  fn: (params: P, context: FlowContext) => Promise<R>,
  options: FlowOptions<P>,
  rawParams: unknown,
  runOptions: RunOptions,
): Promise<FlowRun<R>> {
  const parent = currentScope();
  const settings = resolveSettings(options as FlowOptions<unknown>, runOptions, parent?.run.settings);
  const clock = settings.clock;
  const concurrency = runOptions.concurrency ?? options.concurrency;
  const id = flowRunId(clock.now());
  const sink = new LogSink(`flow run '${name}' ${id}`, settings.log, () => clock.now());
  const record: FlowRunRecord = {
    formatVersion: 1,
    id,
    name,
    parentFlowRunId: parent?.run.record.id,
    parameters: summarize(rawParams),
    state: "Pending",
    start: new Date(clock.now()).toISOString(),
    attempts: [],
    taskRuns: [],
    logs: sink.records,
    settings: { concurrency, cacheDir: settings.cacheDir, resultsDir: settings.resultsDir },
  };
  const logger = sink.logger();
  const end = async (error?: unknown): Promise<string> => {
    const now = clock.now();
    record.end = new Date(now).toISOString();
    record.durationMs = now - Date.parse(record.start);
    if (error !== undefined) record.error = errorInfo(error);
    for (const taskRun of record.taskRuns) if (!isFinal(taskRun.state)) taskRun.state = "Cancelled";
    const message = `Finished in state ${record.state}${error === undefined ? "" : `: ${errorInfo(error).message}`}`;
    if (record.state === "Completed") logger.info(message);
    else logger.error(message);
    return await saveRunRecord(settings.recordsDir, record);
  };

  let params: P;
  try {
    params = validateParams(options.params, rawParams, name);
  } catch (error) {
    record.state = "Failed";
    throw new FlowRunError(record, await end(error), error);
  }
  record.parameters = summarize(params);
  record.state = "Running";
  await saveRunRecord(settings.recordsDir, record);
  logger.info(`Beginning flow run ${id} for flow '${name}'`);

  const state: FlowRunState = {
    record,
    settings,
    sink,
    logger,
    cache: new ResultCache(settings.cacheDir, { maxBytes: settings.cacheMaxBytes, now: () => clock.now() }),
    limiter: concurrency === undefined ? undefined : new Limiter(concurrency),
    taskDefaults: options.taskDefaults ?? {},
    producers: new WeakMap(),
    reusable: new Map(),
    reuse: (options.retries ?? 0) > 0,
    inflight: new Set(),
    calls: new Map(),
    taskRunIds: new Set(),
    attempt: 0,
    signal: new AbortController().signal,
  };

  const stopTicker = runningTicker(state);
  const outcome = await attemptAll(fn, params, options, state, runOptions.signal);
  stopTicker();
  if (outcome.ok) {
    record.state = "Completed";
    const recordPath = await end();
    return { id, state: "Completed", result: outcome.result, record, recordPath };
  }
  record.state = runOptions.signal?.aborted ? "Cancelled" : "Failed";
  throw new FlowRunError(record, await end(outcome.error), outcome.error);
}

async function attemptAll<P, R>(
  fn: (params: P, context: FlowContext) => Promise<R>,
  params: P,
  options: FlowOptions<P>,
  state: FlowRunState,
  external: AbortSignal | undefined,
): Promise<{ ok: true; result: R } | { ok: false; error: unknown }> {
  const { record, logger, settings } = state;
  const retries = options.retries ?? 0;
  for (let attempt = 1;; attempt++) {
    const controller = new AbortController();
    const cancel = () => controller.abort(new CancelledError("flow run cancelled"));
    if (external?.aborted) cancel();
    external?.addEventListener("abort", cancel, { once: true });
    state.attempt = attempt;
    state.signal = controller.signal;
    const entry: FlowAttemptRecord = { attempt, start: new Date(settings.clock.now()).toISOString(), state: "Running" };
    record.attempts.push(entry);
    const context: FlowContext = { flowRunId: record.id, logger, signal: controller.signal, attempt };
    try {
      const result = await withScope({ run: state }, () => (async () => await fn(params, context))());
      await settle(state);
      entry.state = "Completed";
      entry.end = new Date(settings.clock.now()).toISOString();
      return { ok: true, result };
    } catch (error) {
      controller.abort(new CancelledError(`flow run attempt ${attempt} failed`));
      await settle(state);
      entry.end = new Date(settings.clock.now()).toISOString();
      entry.error = errorInfo(error);
      entry.state = external?.aborted ? "Cancelled" : "Failed";
      if (external?.aborted || attempt > retries) return { ok: false, error };
      const delay = retryDelayMs(options.retryDelayMs, attempt);
      entry.delayMs = delay;
      record.state = "Retrying";
      logger.warn(`Flow attempt ${attempt} failed: ${errorInfo(error).message}; retrying in ${delay} ms`);
      try {
        await settings.clock.sleep(delay, external);
      } catch (reason) {
        entry.state = "Cancelled";
        return { ok: false, error: reason };
      }
      record.state = "Running";
    } finally {
      external?.removeEventListener("abort", cancel);
    }
  }
}

/**
 * On a terminal, redraws a status line every second naming the task runs
 * that have been running for over two seconds, with their elapsed time.
 */
function runningTicker(state: FlowRunState): () => void {
  if (!state.sink.interactive) return () => {};
  const timer = setInterval(() => {
    const now = state.settings.clock.now();
    if (Date.now() - state.sink.lastProgressAt < 1500) return;
    const long = state.record.taskRuns.filter((t) => t.state === "Running" && now - Date.parse(t.start!) > 2000);
    state.sink.status(
      long.length === 0
        ? ""
        : `running: ${long.map((t) => `${t.name} ${formatDuration(now - Date.parse(t.start!))}`).join(", ")}`,
    );
  }, 1000);
  return () => {
    clearInterval(timer);
    state.sink.status("");
  };
}

/** Waits until every task run of the flow run has settled (including ones started while waiting). */
async function settle(state: FlowRunState): Promise<void> {
  while (state.inflight.size > 0) await Promise.allSettled([...state.inflight]);
}
