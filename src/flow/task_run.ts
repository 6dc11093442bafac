/**
 * One task run inside a flow run: resolve inputs, try the flow's earlier
 * attempts and the cache, then run attempts with timeout and retries, and
 * keep the task-run record current at every step.
 *
 * @module
 */
import { join } from "node:path";
import type { FlowRunState, Scope, TaskRunState } from "./context.ts";
import { withScope } from "./context.ts";
import { CancelledError, errorInfo, TaskTimeoutError, UpstreamFailedError } from "./errors.ts";
import { randomHex } from "./fs.ts";
import { TaskFuture } from "./future.ts";
import { hashStrings, hashValue } from "./hash.ts";
import type { AttemptRecord, TaskRunRecord } from "./record.ts";
import { resolveInput } from "./resolve.ts";
import { jitterRandom, retryDelayMs } from "./retry.ts";
import { writeEntry } from "./store.ts";
import {
  type CacheOptions,
  cacheSettings,
  effectiveOptions,
  type TaskContext,
  type TaskDefinition,
  type TaskOptions,
} from "./task_options.ts";

const KEY_FORMAT = "flow-cache-v1";

/**
 * The default cache key: hash of task name, task source text, version and
 * the canonical input.
 *
 * @example
 * ```ts
 * // await defaultCacheKey(definition, 1, { rows: 3 });
 * ```
 */
export async function defaultCacheKey(
  def: TaskDefinition,
  version: TaskOptions["version"],
  input: unknown,
): Promise<string> {
  return hashStrings([KEY_FORMAT, def.name, await def.source(), String(version ?? ""), hashValue(input, "input")]);
}

function customCacheKey(def: TaskDefinition, options: TaskOptions, cache: CacheOptions, input: unknown): string {
  return hashStrings([`${KEY_FORMAT}:custom`, def.name, String(options.version ?? ""), cache.key!(input)]);
}

/**
 * Creates a task run in the current flow run and starts it; the future
 * settles with its result.
 *
 * @example
 * ```ts
 * // const future = startTaskRun(definition, input, currentScope()!);
 * ```
 */
export function startTaskRun<R>(def: TaskDefinition, rawInput: unknown, scope: Scope): TaskFuture<R> {
  const run = scope.run;
  const call = (run.calls.get(def.name) ?? 0) + 1;
  run.calls.set(def.name, call);
  let id = randomHex(4);
  while (run.taskRunIds.has(id)) id = randomHex(4);
  run.taskRunIds.add(id);
  const options = effectiveOptions(def.options, run.taskDefaults);
  const record: TaskRunRecord = {
    id,
    name: `${def.name}-${id.slice(0, 4)}`,
    task: def.name,
    version: options.version === undefined ? undefined : String(options.version),
    flowAttempt: run.attempt,
    state: "Pending",
    created: iso(run.settings.clock.now()),
    attempts: [],
    cache: { status: "disabled" },
    upstream: [],
    parent: scope.taskRun?.record.id,
    isolation: def.isolation,
  };
  run.record.taskRuns.push(record);
  const taskRun: TaskRunState = { record, logger: run.sink.logger({ id, name: record.name }), call };
  const promise = execute(def, options, rawInput, run, taskRun, scope.taskRun !== undefined);
  run.inflight.add(promise);
  const forget = () => run.inflight.delete(promise);
  promise.then(forget, forget);
  return new TaskFuture<R>(promise as Promise<R>, record);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

class Stop extends Error {
  constructor(readonly reason: unknown) {
    super("task run stopped");
  }
}

async function execute(
  def: TaskDefinition,
  options: TaskOptions,
  rawInput: unknown,
  run: FlowRunState,
  taskRun: TaskRunState,
  nested: boolean,
): Promise<unknown> {
  const { record, logger } = taskRun;
  const clock = run.settings.clock;
  const finish = (state: TaskRunRecord["state"], error?: unknown) => {
    record.state = state;
    const end = clock.now();
    record.end = iso(end);
    if (record.start) record.durationMs = end - Date.parse(record.start);
    if (error !== undefined) record.error = errorInfo(error);
  };
  const stop = (state: TaskRunRecord["state"], error: unknown): never => {
    finish(state, error);
    const message = error instanceof Error ? error.message : String(error);
    if (state === "Cancelled" || state === "NotRun") logger.warn(`Finished in state ${state}: ${message}`);
    else logger.error(`Finished in state ${state}: ${message}`);
    throw new Stop(error);
  };
  const attempts = async (input: unknown): Promise<unknown> => {
    const retries = options.retries ?? 0;
    const random = jitterRandom(options.retryDelayMs, def.name, taskRun.call);
    for (let attempt = 1;; attempt++) {
      let release = () => {};
      if (!nested && run.limiter) {
        try {
          release = await run.limiter.acquire(run.signal);
        } catch (error) {
          stop("Cancelled", error);
        }
      }
      const start = clock.now();
      record.state = "Running";
      record.start ??= iso(start);
      if (attempt === 1) logger.debug("Running");
      try {
        const value = await runAttempt(def, options, input, run, taskRun, attempt);
        const end = clock.now();
        record.attempts.push({
          attempt,
          start: iso(start),
          end: iso(end),
          durationMs: end - start,
          state: "Completed",
        });
        return value;
      } catch (error) {
        release();
        const end = clock.now();
        const state = error instanceof TaskTimeoutError
          ? "TimedOut"
          : error instanceof CancelledError || (run.signal.aborted && error === run.signal.reason)
          ? "Cancelled"
          : "Failed";
        const entry: AttemptRecord = {
          attempt,
          start: iso(start),
          end: iso(end),
          durationMs: end - start,
          state,
          error: errorInfo(error),
        };
        record.attempts.push(entry);
        if (state === "Cancelled" || attempt > retries || !shouldRetry(options, error, logger)) stop(state, error);
        const delay = retryDelayMs(options.retryDelayMs, attempt, random);
        entry.delayMs = delay;
        record.state = "Retrying";
        logger.warn(
          `Attempt ${attempt} ${state === "TimedOut" ? "timed out" : "failed"}: ${(error as Error).message}; ` +
            `retrying in ${delay} ms (${retries - attempt + 1} retries left)`,
        );
        try {
          await clock.sleep(delay, run.signal);
        } catch (reason) {
          stop("Cancelled", reason);
        }
      } finally {
        release();
      }
    }
  };

  try {
    const resolved = await resolveInput(rawInput, run.producers);
    record.upstream = [...resolved.upstream];
    if (resolved.failed.length > 0) {
      const first = resolved.failed[0].error;
      const upstreamError = new UpstreamFailedError(
        def.name,
        resolved.failed.map((f) => run.record.taskRuns.find((t) => t.id === f.taskRunId)?.name ?? f.taskRunId),
        first instanceof Error ? first.message : String(first),
      );
      stop("NotRun", upstreamError);
    }
    if (run.signal.aborted) stop("Cancelled", run.signal.reason);
    const input = resolved.value;

    const cache = cacheSettings(options.cache);
    let digest: string | undefined;
    let cacheKey: string | undefined;
    if (cache || run.reuse) {
      try {
        digest = await defaultCacheKey(def, options.version, input);
        cacheKey = cache?.key ? customCacheKey(def, options, cache, input) : digest;
      } catch (error) {
        if (cache) stop("Failed", new Error(`task "${def.name}": no cache key: ${(error as Error).message}`));
        logger.debug(`input not hashable, a flow retry will run this task again: ${(error as Error).message}`);
      }
    }

    const earlier = digest === undefined ? undefined : run.reusable.get(digest);
    if (earlier) {
      record.cache = { status: "reused", key: cacheKey, reusedFrom: earlier.taskRunId };
      record.start = iso(clock.now());
      finish("Cached");
      logger.info(`Finished in state Cached: reused the result of task run ${earlier.taskRunId}`);
      return remember(run, record, digest, earlier.value);
    }

    if (cache && cacheKey) {
      record.cache = { status: cache.refresh ? "refresh" : "miss", key: cacheKey };
      if (!cache.refresh) {
        const found = await run.cache.get(cacheKey);
        if (found.status === "hit") {
          record.cache.status = "hit";
          record.start = iso(clock.now());
          finish("Cached");
          logger.info(`Finished in state Cached: cache hit ${cacheKey.slice(0, 12)}`);
          return remember(run, record, digest, found.value);
        }
        if (found.status === "expired") {
          record.cache.status = "expired";
          logger.warn(`cache entry ${cacheKey.slice(0, 12)} expired; running the task`);
        } else if (found.status === "corrupt") {
          record.cache = { status: "corrupt", key: cacheKey, note: found.reason };
          logger.warn(`cache entry ${cacheKey.slice(0, 12)} unusable (${found.reason}); running the task`);
        }
      }
    }

    const value = await attempts(input);
    finish("Completed");
    remember(run, record, digest, value);
    if (cache && cacheKey) await writeCache(run, taskRun, cacheKey, cache, value);
    if (options.persistResult) await persist(run, taskRun, value);
    logger.info(`Finished in state Completed (${record.durationMs} ms)`);
    return value;
  } catch (error) {
    if (error instanceof Stop) throw error.reason;
    // Failures of the runtime itself (an unwritable folder...) still end the task run.
    finish("Failed", error);
    logger.error(`Finished in state Failed: ${(error as Error).message}`);
    throw error;
  }
}

function shouldRetry(options: TaskOptions, error: unknown, logger: TaskRunState["logger"]): boolean {
  if (!options.retryIf) return true;
  try {
    return options.retryIf(error);
  } catch (problem) {
    logger.error(`retryIf threw (${(problem as Error).message}); not retrying`);
    return false;
  }
}

async function runAttempt(
  def: TaskDefinition,
  options: TaskOptions,
  input: unknown,
  run: FlowRunState,
  taskRun: TaskRunState,
  attempt: number,
): Promise<unknown> {
  const controller = new AbortController();
  const onFlowStop = () => controller.abort(run.signal.reason ?? new CancelledError("flow run stopped"));
  if (run.signal.aborted) onFlowStop();
  run.signal.addEventListener("abort", onFlowStop, { once: true });
  const timeoutMs = options.timeoutMs;
  const timer = timeoutMs === undefined
    ? undefined
    : setTimeout(() => controller.abort(new TaskTimeoutError(def.name, timeoutMs)), timeoutMs);
  const context: TaskContext = {
    signal: controller.signal,
    logger: taskRun.logger,
    attempt,
    taskRunId: taskRun.record.id,
    flowRunId: run.record.id,
  };
  try {
    const body = withScope({ run, taskRun }, () => (async () => await def.body(input, context))());
    return await untilAborted(body, controller.signal);
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener("abort", onFlowStop);
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts (a body that ignores its signal is abandoned). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function remember(run: FlowRunState, record: TaskRunRecord, digest: string | undefined, value: unknown): unknown {
  if (typeof value === "object" && value !== null) run.producers.set(value, record.id);
  if (digest !== undefined && run.reuse) run.reusable.set(digest, { value, taskRunId: record.id });
  return value;
}

async function writeCache(
  run: FlowRunState,
  taskRun: TaskRunState,
  key: string,
  cache: CacheOptions,
  value: unknown,
): Promise<void> {
  try {
    await run.cache.set(key, value, {
      task: taskRun.record.task,
      ttlMs: cache.ttlMs,
      flowRunId: run.record.id,
      taskRunId: taskRun.record.id,
    });
    taskRun.record.cache.written = true;
  } catch (error) {
    taskRun.record.cache.note = (error as Error).message;
    taskRun.logger.warn(`result not cached: ${(error as Error).message}`);
  }
}

async function persist(run: FlowRunState, taskRun: TaskRunState, value: unknown): Promise<void> {
  const path = join(run.settings.resultsDir, run.record.id, taskRun.record.id);
  try {
    await writeEntry(path, value, {
      task: taskRun.record.task,
      createdAt: run.settings.clock.now(),
      flowRunId: run.record.id,
      taskRunId: taskRun.record.id,
    });
    taskRun.record.resultPath = path;
  } catch (error) {
    taskRun.logger.warn(`result not persisted: ${(error as Error).message}`);
  }
}
