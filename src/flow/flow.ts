/**
 * `flow(fn, options)`: wraps an async function into a flow. Each run gets an
 * id, validated parameters, its own state (AsyncLocalStorage: concurrent
 * runs never mix), a logger, flow-level retries that reuse the results of
 * task runs that already completed, and a JSON record saved when the run
 * starts and when it ends, whatever the outcome.
 *
 * @module
 */
import { DEFAULT_CACHE_DIR, ResultCache } from "./cache.ts";
import { type Backoff } from "../resilience/backoff.ts";
import { type Clock, systemClock } from "../resilience/clock.ts";
import { isDeterministic } from "../resilience/classify.ts";
import { retry } from "../resilience/retry.ts";
import { currentScope, type FlowRunState, type RunSettings, withScope } from "./context.ts";
import { CancelledError, errorInfo } from "./errors.ts";
import { type LogOptions, LogSink, type RunLogger } from "./logger.ts";
import { DEFAULT_RECORDS_DIR, type FlowAttemptRecord, flowRunId, type FlowRunRecord } from "./record.ts";
import { RecordWriter } from "./record_writer.ts";
import { isFinal } from "./states.ts";
import { formatDuration } from "./units.ts";
import { summarize } from "./values.ts";

/** Where and how runs execute; per run, these override the flow's options. */
export interface RunOptions {
  /** Folder of run records (default `flowruns/`). */
  readonly recordsDir?: string;
  /** Folder of the task cache (default `.cache/flow/`). */
  readonly cacheDir?: string;
  /** Console and level of the run's log. */
  readonly log?: LogOptions;
  /** Time source for records, retry waits and timeouts (tests inject `virtualClock()`). */
  readonly clock?: Clock;
  /** Cancels the run: running tasks are aborted and the run ends Cancelled. */
  readonly signal?: AbortSignal;
}

/** Options of a flow. */
export interface FlowOptions extends Omit<RunOptions, "signal"> {
  /** Name in logs and records (default: the function's name). */
  readonly name?: string;
  /** Extra attempts of the whole flow after a failure; completed task runs are reused. */
  readonly retries?: number;
  readonly retryDelayMs?: Backoff;
}

/** What a flow body receives besides its parameters. */
export interface FlowContext {
  readonly flowRunId: string;
  readonly logger: RunLogger;
  /** Aborts when the run is cancelled. */
  readonly signal: AbortSignal;
  /** 1-based flow attempt. */
  readonly attempt: number;
}

/** A finished, successful flow run. */
export interface FlowRun<R> {
  readonly id: string;
  readonly state: "Completed";
  readonly result: R;
  readonly record: FlowRunRecord;
  /** Path of the saved record. */
  readonly recordPath: string;
}

/**
 * A flow run that ended Failed or Cancelled; the record is saved all the
 * same. `cause` is what the flow body threw.
 *
 * @example
 * ```ts
 * import { flow } from "./flow.ts";
 * const failing = flow(() => Promise.reject(new Error("boom")), { name: "fails", log: { console: false } });
 * const error = await failing().catch((e) => e as FlowRunError);
 * // error.state === "Failed", (error.cause as Error).message === "boom", error.recordPath: the saved record
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

/** The arguments of a flow call: none for a flow without parameters. */
export type FlowArgs<P> = [P] extends [void] ? [params?: P] : [params: P];

/** A flow: call it for its result, or `run` it for the result and the record. */
export interface Flow<P, R> {
  /** Runs the flow and returns its result; throws {@link FlowRunError} if it does not complete. */
  (...args: FlowArgs<P>): Promise<R>;
  /** Runs the flow and returns result, id and record; throws {@link FlowRunError} if it does not complete. */
  run(...args: [...FlowArgs<P>, options?: RunOptions]): Promise<FlowRun<R>>;
  readonly flowName: string;
}

/**
 * Wraps a function into a flow.
 *
 * @example
 * ```ts
 * import { flow } from "./flow.ts";
 * import { task } from "./task.ts";
 *
 * const square = task(async (x: number) => x * x, { name: "square", retries: 1 });
 * const sumOfSquares = flow(async ({ n }: { n: number }) => {
 *   const squares = await Promise.all(square.map(Array.from({ length: n }, (_, i) => i)));
 *   return squares.reduce((a, b) => a + b, 0);
 * }, { name: "sum-of-squares" });
 *
 * const run = await sumOfSquares.run({ n: 4 }, { log: { console: false } });
 * run.result; // 14
 * run.record.taskRuns.length; // 4
 * run.recordPath; // "flowruns/<id>.json"
 * ```
 */
export function flow<P = void, R = unknown>(
  fn: (params: P, context: FlowContext) => R | Promise<R>,
  options: FlowOptions = {},
): Flow<P, Awaited<R>> {
  const name = options.name ?? (fn.name || "flow");
  const run = (params?: unknown, runOptions: RunOptions = {}) =>
    executeFlow<P, Awaited<R>>(
      name,
      fn as (params: P, context: FlowContext) => Promise<Awaited<R>>,
      options,
      params as P,
      runOptions,
    );
  const call = async (params?: unknown) => (await run(params)).result;
  return Object.assign(call, { run, flowName: name }) as unknown as Flow<P, Awaited<R>>;
}

function resolveSettings(options: FlowOptions, runOptions: RunOptions, parent?: RunSettings): RunSettings {
  const pick = <K extends keyof RunSettings>(key: K & keyof RunOptions, fallback: RunSettings[K]): RunSettings[K] =>
    (runOptions[key] ?? options[key] ?? parent?.[key] ?? fallback) as RunSettings[K];
  return {
    clock: pick("clock", systemClock),
    log: pick("log", {}),
    recordsDir: pick("recordsDir", DEFAULT_RECORDS_DIR),
    cacheDir: pick("cacheDir", DEFAULT_CACHE_DIR),
  };
}

async function executeFlow<P, R>(
  name: string,
  fn: (params: P, context: FlowContext) => Promise<R>,
  options: FlowOptions,
  params: P,
  runOptions: RunOptions,
): Promise<FlowRun<R>> {
  const parent = currentScope();
  const settings = resolveSettings(options, runOptions, parent?.run.settings);
  const clock = settings.clock;
  const id = flowRunId(clock.now());
  const sink = new LogSink(`flow run '${name}' ${id}`, settings.log, () => clock.now());
  const record: FlowRunRecord = {
    formatVersion: 1,
    id,
    name,
    parentFlowRunId: parent?.run.record.id,
    parameters: summarize(params),
    state: "Running",
    start: new Date(clock.now()).toISOString(),
    attempts: [],
    taskRuns: [],
    logs: sink.records,
    settings: { cacheDir: settings.cacheDir },
  };
  const logger = sink.logger();
  const writer = new RecordWriter(settings.recordsDir, record, clock);
  const end = async (error?: unknown): Promise<string> => {
    const now = clock.now();
    record.end = new Date(now).toISOString();
    record.durationMs = now - Date.parse(record.start);
    if (error !== undefined) record.error = errorInfo(error);
    for (const taskRun of record.taskRuns) if (!isFinal(taskRun.state)) taskRun.state = "Cancelled";
    const message = `Finished in state ${record.state}${error === undefined ? "" : `: ${errorInfo(error).message}`}`;
    if (record.state === "Completed") logger.info(message);
    else logger.error(message);
    return await writer.save();
  };

  await writer.save();
  logger.info(`Beginning flow run ${id} for flow '${name}'`);

  const state: FlowRunState = {
    record,
    writer,
    settings,
    sink,
    logger,
    cache: new ResultCache(settings.cacheDir, { now: () => clock.now() }),
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

/**
 * Runs the flow body under the flow's retry policy. A failed attempt stops
 * its task runs and waits for them before the next attempt; the next one
 * reuses the task runs that completed.
 */
async function attemptAll<P, R>(
  fn: (params: P, context: FlowContext) => Promise<R>,
  params: P,
  options: FlowOptions,
  state: FlowRunState,
  external: AbortSignal | undefined,
): Promise<{ ok: true; result: R } | { ok: false; error: unknown }> {
  const { record, logger, settings } = state;
  const now = () => new Date(settings.clock.now()).toISOString();
  const policy = retry({
    retries: options.retries ?? 0,
    backoff: options.retryDelayMs,
    retryIf: (error) => !isDeterministic(error),
    clock: settings.clock,
    onRetry: ({ attempt, error, delayMs }) => {
      record.attempts[attempt - 1].delayMs = delayMs;
      record.state = "Retrying";
      logger.warn(`Flow attempt ${attempt} failed: ${errorInfo(error).message}; retrying in ${delayMs} ms`);
    },
  });
  try {
    const result = await policy.execute(async ({ attempt }) => {
      const controller = new AbortController();
      const cancel = () => controller.abort(new CancelledError("flow run cancelled"));
      if (external?.aborted) cancel();
      external?.addEventListener("abort", cancel, { once: true });
      state.attempt = attempt;
      state.signal = controller.signal;
      record.state = "Running";
      const entry: FlowAttemptRecord = { attempt, start: now(), state: "Running" };
      record.attempts.push(entry);
      const context: FlowContext = { flowRunId: record.id, logger, signal: controller.signal, attempt };
      try {
        const value = await withScope({ run: state }, () => fn(params, context));
        await settle(state);
        entry.state = "Completed";
        entry.end = now();
        return value;
      } catch (error) {
        controller.abort(new CancelledError(`flow run attempt ${attempt} failed`));
        await settle(state);
        entry.end = now();
        entry.error = errorInfo(error);
        entry.state = external?.aborted ? "Cancelled" : "Failed";
        throw error;
      } finally {
        external?.removeEventListener("abort", cancel);
      }
    }, { signal: external });
    return { ok: true, result };
  } catch (error) {
    record.attempts[record.attempts.length - 1].state = external?.aborted ? "Cancelled" : "Failed";
    return { ok: false, error };
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
