/**
 * The handle `task.submit()` returns: awaitable like a promise, and also
 * showing the live state and id of its task run. Passing a future as (part
 * of) another task's input makes that task wait for it and records the edge.
 *
 * @module
 */
import type { TaskState } from "./states.ts";

/** The part of a task run a future can observe. */
export interface TaskRunHandle {
  readonly id: string;
  readonly name: string;
  readonly state: TaskState;
}

/**
 * A submitted task run's eventual result.
 *
 * @example
 * ```ts
 * import { flow } from "./flow.ts";
 * import { task } from "./task.ts";
 * const double = task(async (x: number) => 2 * x, { name: "double" });
 * const f = flow(async () => {
 *   const future = double.submit(21);
 *   future.state; // "Pending" or "Running"
 *   return await future; // 42
 * }, { name: "demo" });
 * ```
 */
export class TaskFuture<T> implements PromiseLike<T> {
  readonly #promise: Promise<T>;
  readonly #run: TaskRunHandle;

  constructor(promise: Promise<T>, run: TaskRunHandle) {
    this.#promise = promise;
    this.#run = run;
    // A failure is reported through the run record and to whoever awaits; an
    // unawaited failed future must not crash the process as an unhandled rejection.
    promise.catch(() => {});
  }

  /** Id of the task run. */
  get taskRunId(): string {
    return this.#run.id;
  }

  /** Current state of the task run. */
  get state(): TaskState {
    return this.#run.state;
  }

  /** The result (rejects with the task's error). */
  result(): Promise<T> {
    return this.#promise;
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onFulfilled, onRejected);
  }
}

/** A value, or a future or promise of it. */
export type Eventually<T> = T | TaskFuture<T> | Promise<T>;

/**
 * What task inputs accept: the value, a future or promise of it, or a plain
 * object or array whose members may be futures or promises.
 */
export type Deferred<T> =
  | Eventually<T>
  | (T extends readonly unknown[] ? { [K in keyof T]: Eventually<T[K]> }
    : T extends Record<string, unknown> ? { [K in keyof T]: Eventually<T[K]> }
    : never);
