/**
 * The current flow run and task run, kept in an AsyncLocalStorage so that
 * every await inside a flow (and inside its tasks) sees its own run: two
 * flows running at once in one process never share state.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ResultCache } from "./cache.ts";
import type { Clock } from "../resilience/clock.ts";
import { type LogOptions, LogSink, type RunLogger } from "./logger.ts";
import type { FlowRunRecord, TaskRunRecord } from "./record.ts";
import type { RecordWriter } from "./record_writer.ts";

/**
 * Settings a flow run resolved from run options, flow options, its parent run and defaults.
 */
export interface RunSettings {
  readonly clock: Clock;
  readonly log: LogOptions;
  readonly recordsDir: string;
  readonly cacheDir: string;
}

/**
 * Everything one flow run owns while it executes.
 */
export interface FlowRunState {
  readonly record: FlowRunRecord;
  /** Saves `record` as task runs change, for readers in other processes. */
  readonly writer: RecordWriter;
  readonly settings: RunSettings;
  readonly sink: LogSink;
  readonly logger: RunLogger;
  readonly cache: ResultCache;
  /** Objects returned by task runs, to the id of the run that returned them (upstream tracking). */
  readonly producers: WeakMap<object, string>;
  /** Results of completed task runs by input digest, reused by later attempts of the flow run. */
  readonly reusable: Map<string, { value: unknown; taskRunId: string }>;
  /** Whether digests are computed for reuse (the flow has retries). */
  readonly reuse: boolean;
  /** Task runs not yet settled. */
  readonly inflight: Set<Promise<unknown>>;
  /** Calls per task name, for reproducible jitter seeds. */
  readonly calls: Map<string, number>;
  readonly taskRunIds: Set<string>;
  attempt: number;
  /** Aborts when the current flow attempt fails or the run is cancelled. */
  signal: AbortSignal;
}

/**
 * A task run being executed.
 */
export interface TaskRunState {
  readonly record: TaskRunRecord;
  readonly logger: RunLogger;
  /** 1-based number of this call of the task within the flow run. */
  readonly call: number;
}

/**
 * What the AsyncLocalStorage holds.
 */
export interface Scope {
  readonly run: FlowRunState;
  readonly taskRun?: TaskRunState;
}

const storage = new AsyncLocalStorage<Scope>();

/**
 * The scope of the code calling it, if it runs inside a flow.
 *
 * @example
 * ```ts
 * currentScope(); // undefined outside any flow
 * ```
 */
export function currentScope(): Scope | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` (and everything it awaits) inside a scope.
 */
export function withScope<T>(scope: Scope, fn: () => T): T {
  return storage.run(scope, fn);
}

const outsideSinks = new Map<string, LogSink>();

/**
 * A console logger for code running outside any flow (nothing is saved).
 *
 * @example
 * ```ts
 * outsideLogger("task 'load'").info("running without a flow");
 * ```
 */
export function outsideLogger(label: string): RunLogger {
  let sink = outsideSinks.get(label);
  if (!sink) {
    sink = new LogSink(label, {}, Date.now, false);
    outsideSinks.set(label, sink);
  }
  return sink.logger();
}
