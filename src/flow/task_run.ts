/**
 * One task run inside a flow run, in three stages: look for a result (an
 * earlier attempt of the flow run, then the cache), run the body under the
 * task's retry and timeout policy, record the outcome. The task-run record
 * is kept current at every stage, so a saved record shows where a run is.
 *
 * @module
 */
import { createRandom } from "../stats/random.ts";
import { isDeterministic } from "../resilience/classify.ts";
import { retry } from "../resilience/retry.ts";
import { timeout } from "../resilience/timeout.ts";
import type { FlowRunState, TaskRunState } from "./context.ts";
import { withScope } from "./context.ts";
import { CancelledError, errorInfo, TaskTimeoutError, UpstreamFailedError } from "./errors.ts";
import { randomHex } from "./fs.ts";
import { TaskFuture } from "./future.ts";
import { hashStrings, hashValue } from "./hash.ts";
import type { TaskRunRecord } from "./record.ts";
import { resolveInput } from "./resolve.ts";
import { type CacheOptions, cacheSettings, type TaskContext, type TaskDefinition } from "./task_options.ts";

const KEY_FORMAT = "flow-cache-v1";

/**
 * Creates a task run in the current flow run and starts it; the future
 * settles with its result.
 */
export function startTaskRun<R>(def: TaskDefinition, rawInput: unknown, run: FlowRunState): TaskFuture<R> {
  const call = (run.calls.get(def.name) ?? 0) + 1;
  run.calls.set(def.name, call);
  let id = randomHex(4);
  while (run.taskRunIds.has(id)) id = randomHex(4);
  run.taskRunIds.add(id);
  const options = def.options;
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
    isolation: def.isolation,
  };
  run.record.taskRuns.push(record);
  run.writer.changed();
  const taskRun: TaskRunState = { record, logger: run.sink.logger({ id, name: record.name }), call };
  const promise = execute(def, rawInput, run, taskRun);
  run.inflight.add(promise);
  const forget = () => run.inflight.delete(promise);
  promise.then(forget, forget);
  return new TaskFuture<R>(promise as Promise<R>, record);
}

/** Upstream results → cache lookup → run under policy → record the outcome (whatever it is). */
async function execute(def: TaskDefinition, rawInput: unknown, run: FlowRunState, taskRun: TaskRunState) {
  const { record, logger } = taskRun;
  try {
    const input = await upstreamResults(def, rawInput, run, record);
    const keys = await cacheKeys(def, input, run, logger);
    const found = await lookup(run, taskRun, keys);
    if (found) {
      finish(run, record, "Cached");
      logger.info(`Finished in state Cached: ${found.how}`);
      return remember(run, record, keys.digest, found.value);
    }
    const value = await runUnderPolicy(def, input, run, taskRun);
    finish(run, record, "Completed");
    remember(run, record, keys.digest, value);
    if (keys.cache && keys.cacheKey) await writeCache(run, taskRun, keys.cacheKey, keys.cache, value);
    logger.info(`Finished in state Completed (${record.durationMs} ms)`);
    return value;
  } catch (error) {
    const state = endState(error, run);
    finish(run, record, state, error);
    const message = `Finished in state ${state}: ${errorInfo(error).message}`;
    if (state === "Cancelled" || state === "NotRun") logger.warn(message);
    else logger.error(message);
    throw error;
  }
}

/** Waits for the futures in the input; a failed upstream run means this one is not run. */
async function upstreamResults(def: TaskDefinition, rawInput: unknown, run: FlowRunState, record: TaskRunRecord) {
  const resolved = await resolveInput(rawInput, run.producers);
  record.upstream = [...resolved.upstream];
  if (resolved.failed.length > 0) {
    const first = resolved.failed[0].error;
    throw new UpstreamFailedError(
      def.name,
      resolved.failed.map((f) => run.record.taskRuns.find((t) => t.id === f.taskRunId)?.name ?? f.taskRunId),
      errorInfo(first).message,
    );
  }
  if (run.signal.aborted) throw run.signal.reason;
  return resolved.value;
}

interface CacheKeys {
  readonly cache?: CacheOptions;
  /** Hash of name, source, version and input: the identity a flow retry reuses results by. */
  readonly digest?: string;
  readonly cacheKey?: string;
}

async function cacheKeys(
  def: TaskDefinition,
  input: unknown,
  run: FlowRunState,
  logger: TaskRunState["logger"],
): Promise<CacheKeys> {
  const cache = cacheSettings(def.options.cache);
  if (!cache && !run.reuse) return {};
  const version = String(def.options.version ?? "");
  try {
    const digest = hashStrings([KEY_FORMAT, def.name, await def.source(), version, hashValue(input, "input")]);
    const cacheKey = cache?.key ? hashStrings([`${KEY_FORMAT}:custom`, def.name, version, cache.key(input)]) : digest;
    return { cache, digest, cacheKey };
  } catch (error) {
    if (cache) throw new Error(`task "${def.name}": no cache key: ${(error as Error).message}`);
    logger.debug(`input not hashable, a flow retry will run this task again: ${(error as Error).message}`);
    return {};
  }
}

/** A result from an earlier attempt of this flow run, else from the cache; updates the record's cache status. */
async function lookup(
  run: FlowRunState,
  { record, logger }: TaskRunState,
  { cache, digest, cacheKey }: CacheKeys,
): Promise<{ value: unknown; how: string } | undefined> {
  const earlier = digest === undefined ? undefined : run.reusable.get(digest);
  if (earlier) {
    record.cache = { status: "reused", key: cacheKey, reusedFrom: earlier.taskRunId };
    return { value: earlier.value, how: `reused the result of task run ${earlier.taskRunId}` };
  }
  if (!cache || !cacheKey) return undefined;
  record.cache = { status: cache.refresh ? "refresh" : "miss", key: cacheKey };
  if (cache.refresh) return undefined;
  const found = await run.cache.get(cacheKey);
  const short = cacheKey.slice(0, 12);
  if (found.status === "hit") {
    record.cache.status = "hit";
    return { value: found.value, how: `cache hit ${short}` };
  }
  if (found.status === "expired") {
    record.cache.status = "expired";
    logger.warn(`cache entry ${short} expired; running the task`);
  } else if (found.status === "corrupt") {
    record.cache = { status: "corrupt", key: cacheKey, note: found.reason };
    logger.warn(`cache entry ${short} unusable (${found.reason}); running the task`);
  }
  return undefined;
}

/**
 * Runs the body: each attempt has the task's timeout; failures are retried
 * as the task's options say, but never bad input (it fails the same way
 * every time) and never after the flow run stopped.
 */
function runUnderPolicy(def: TaskDefinition, input: unknown, run: FlowRunState, taskRun: TaskRunState) {
  const { record, logger } = taskRun;
  const { options } = def;
  const clock = run.settings.clock;
  const retries = options.retries ?? 0;
  const retrying = retry({
    retries,
    backoff: options.retryDelayMs,
    retryIf: (error) => endState(error, run) !== "Cancelled" && !isDeterministic(error) && retryIf(def, error, logger),
    random: jitterRandom(def.name, taskRun.call),
    clock,
    onRetry: ({ attempt, error, delayMs }) => {
      record.attempts[record.attempts.length - 1].delayMs = delayMs;
      record.state = "Retrying";
      run.writer.changed();
      const what = error instanceof TaskTimeoutError ? "timed out" : "failed";
      logger.warn(
        `Attempt ${attempt} ${what}: ${errorInfo(error).message}; ` +
          `retrying in ${delayMs} ms (${retries - attempt + 1} retries left)`,
      );
    },
  });
  const timeLimit = timeout(options.timeoutMs, () => new TaskTimeoutError(def.name, options.timeoutMs!), clock);
  return retrying.execute(async ({ attempt }) => {
    const start = clock.now();
    const attemptRecord = () => ({
      attempt,
      start: iso(start),
      end: iso(clock.now()),
      durationMs: clock.now() - start,
    });
    record.state = "Running";
    record.start ??= iso(start);
    run.writer.changed();
    if (attempt === 1) logger.debug("Running");
    try {
      const value = await timeLimit.execute(({ signal }) => {
        const context: TaskContext = { signal, logger, attempt, taskRunId: record.id, flowRunId: run.record.id };
        return withScope({ run, taskRun }, () => def.body(input, context));
      }, { signal: run.signal, attempt });
      record.attempts.push({ ...attemptRecord(), state: "Completed" });
      return value;
    } catch (error) {
      const state = endState(error, run);
      record.attempts.push({
        ...attemptRecord(),
        state: state === "NotRun" ? "Failed" : state,
        error: errorInfo(error),
      });
      throw error;
    }
  }, { signal: run.signal });
}

/** The task's `retryIf`; one that throws is a "no" (logged), so a bad predicate cannot loop. */
function retryIf(def: TaskDefinition, error: unknown, logger: TaskRunState["logger"]): boolean {
  if (!def.options.retryIf) return true;
  try {
    return def.options.retryIf(error);
  } catch (problem) {
    logger.error(`retryIf threw (${(problem as Error).message}); not retrying`);
    return false;
  }
}

/** Jitter draws seeded by task name and call number: the same flow run retries with the same delays. */
function jitterRandom(taskName: string, call: number): () => number {
  let h = 0x811c9dc5;
  for (const ch of `${taskName}#${call}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const random = createRandom(h >>> 0);
  return () => random.next();
}

function endState(error: unknown, run: FlowRunState): "NotRun" | "TimedOut" | "Cancelled" | "Failed" {
  if (error instanceof UpstreamFailedError) return "NotRun";
  if (error instanceof TaskTimeoutError) return "TimedOut";
  if (error instanceof CancelledError || (run.signal.aborted && error === run.signal.reason)) return "Cancelled";
  return "Failed";
}

function finish(run: FlowRunState, record: TaskRunRecord, state: TaskRunRecord["state"], error?: unknown): void {
  const end = run.settings.clock.now();
  record.state = state;
  record.start ??= iso(end);
  record.end = iso(end);
  record.durationMs = end - Date.parse(record.start);
  if (error !== undefined) record.error = errorInfo(error);
  run.writer.changed();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function remember(run: FlowRunState, record: TaskRunRecord, digest: string | undefined, value: unknown): unknown {
  if (typeof value === "object" && value !== null) run.producers.set(value, record.id);
  if (digest !== undefined && run.reuse) run.reusable.set(digest, { value, taskRunId: record.id });
  return value;
}

async function writeCache(run: FlowRunState, taskRun: TaskRunState, key: string, cache: CacheOptions, value: unknown) {
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
