/**
 * `task(fn, options)`: wraps an async function into a typed task. Inside a
 * running flow, calling it runs it under the runtime (record, retries,
 * timeout, cache, concurrency limit); outside any flow it simply runs the
 * body once (no retries, timeout, cache or record), so tasks stay usable
 * from plain scripts and unit tests.
 *
 * A task takes ONE input value (use an object for several arguments) and
 * its body receives a {@link TaskContext} second (abort signal, logger).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { currentScope, outsideLogger } from "./context.ts";
import { type Deferred, TaskFuture } from "./future.ts";
import { type Isolation, moduleUrl, runIsolated } from "./isolate.ts";
import { resolveInput } from "./resolve.ts";
import type { TaskState } from "./states.ts";
import type { TaskContext, TaskDefinition, TaskOptions } from "./task_options.ts";
import { startTaskRun } from "./task_run.ts";

/** The arguments a task call takes: none for a task without input. */
export type TaskArgs<I> = [I] extends [void] ? [input?: Deferred<I>] : [input: Deferred<I>];

/** A task: call it, submit it, or map it over inputs. */
export interface Task<I, R> {
  /** Runs the task and returns its result (inside a flow: as a recorded task run). */
  (...args: TaskArgs<I>): Promise<R>;
  /** Starts the task run and returns its future at once (tasks submitted together run concurrently). */
  submit(...args: TaskArgs<I>): TaskFuture<R>;
  /** Submits one task run per input; the futures are in input order. */
  map(inputs: Iterable<Deferred<I>>): TaskFuture<R>[];
  /** The task's name. */
  readonly taskName: string;
  readonly options: Readonly<TaskOptions<I>>;
}

/** Options of a task whose body runs in a worker (see `task.worker`). */
export interface WorkerTaskOptions<I> extends TaskOptions<I> {
  /** `"process"` (default: truly killed on timeout) or `"thread"` (a Web Worker; cheaper to start). */
  readonly isolation?: Isolation;
}

function makeTask<I, R>(def: TaskDefinition): Task<I, R> {
  const submit = (input?: unknown): TaskFuture<R> => {
    const scope = currentScope();
    if (scope) return startTaskRun<R>(def, input, scope.run);
    const handle = { id: "", name: def.name, state: "Running" as TaskState };
    const promise = runOutsideFlow(def, input).then(
      (value) => {
        handle.state = "Completed";
        return value as R;
      },
      (error) => {
        handle.state = "Failed";
        throw error;
      },
    );
    return new TaskFuture<R>(promise, handle);
  };
  const call = (input?: unknown) => submit(input).result();
  return Object.assign(call, {
    submit,
    map: (inputs: Iterable<Deferred<I>>) => Array.from(inputs, (input) => submit(input)),
    taskName: def.name,
    options: def.options as TaskOptions<I>,
  }) as unknown as Task<I, R>;
}

async function runOutsideFlow(def: TaskDefinition, rawInput: unknown): Promise<unknown> {
  const { value } = await resolveInput(rawInput);
  const context: TaskContext = {
    signal: new AbortController().signal,
    logger: outsideLogger(`task '${def.name}'`),
    attempt: 1,
  };
  return await def.body(value, context);
}

/**
 * Wraps a function into a task.
 *
 * Cache key rule (when `cache` is set): SHA-256 of the task name, the body's
 * source text (`fn.toString()`), `version` and the canonical input (see
 * `hashValue`: DataFrames by content, typed arrays, Maps, Dates, nested plain
 * objects). The source text does not include helpers the body calls: bump
 * `version` when they change. With `cache.key`, the key is the task name,
 * `version` and that function's string. An input the hasher cannot handle
 * fails the task run with an error naming the input path.
 *
 * @example
 * ```ts
 * import { exponentialBackoff } from "../resilience/backoff.ts";
 * import { task } from "./task.ts";
 *
 * const loadData = task(async (opts: { path: string }, { signal }) => {
 *   const text = await Deno.readTextFile(opts.path, { signal });
 *   return text.split("\n").length;
 * }, { name: "load-data", retries: 2, retryDelayMs: exponentialBackoff({ baseMs: 200, jitter: 0.2 }), cache: {} });
 *
 * const lines = await loadData({ path: "deno.json" }); // outside a flow: just runs
 * ```
 */
export function task<I = void, R = unknown>(
  fn: (input: I, context: TaskContext) => R | Promise<R>,
  options: TaskOptions<I> = {},
): Task<I, Awaited<R>> {
  const def: TaskDefinition = {
    name: options.name ?? (fn.name || "task"),
    options: options as TaskOptions<unknown>,
    body: async (input, context) => await fn(input as I, context),
    source: () => Promise.resolve(fn.toString()),
  };
  return makeTask<I, Awaited<R>>(def);
}

/**
 * A task whose body is `exportName` of `module`, run in a worker process (or
 * thread) so CPU-bound work uses another core and a timeout really stops it.
 * The export takes the input and returns the result (both must be storable
 * values: no class instances). The "task source" for the cache key is the
 * module's file text plus the export name. Type it with the export's type
 * (`typeof trainModel` after `import type { trainModel } from "./train_worker.ts"`):
 *
 * @example
 * ```ts
 * import { task } from "./task.ts";
 * type TrainModel = (input: { rows: Float64Array; cols: number }) => { weights: Float64Array };
 *
 * const train = task.worker<TrainModel>(new URL("./train_worker.ts", import.meta.url), "trainModel", {
 *   timeoutMs: 60_000,
 * });
 * ```
 */
task.worker = function worker<F extends (input: never) => unknown>(
  module: URL | string,
  exportName: string,
  options: WorkerTaskOptions<Parameters<F>[0]> = {},
): Task<Parameters<F>[0], Awaited<ReturnType<F>>> {
  type I = Parameters<F>[0];
  const url = moduleUrl(module);
  const isolation = options.isolation ?? "process";
  const def: TaskDefinition = {
    name: options.name ?? exportName,
    options: options as TaskOptions<unknown>,
    isolation,
    body: (input, context) =>
      runIsolated({ module: url, exportName, input, isolation, signal: context.signal, logger: context.logger }),
    source: async () => `${await moduleText(url)}\n//export:${exportName}`,
  };
  return makeTask<I, Awaited<ReturnType<F>>>(def);
};

async function moduleText(url: string): Promise<string> {
  return url.startsWith("file:") ? await readFile(fileURLToPath(url), "utf8") : url;
}
