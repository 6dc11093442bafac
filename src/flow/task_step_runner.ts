/**
 * Runs pipeline steps as tasks of the flow runtime: steps that read flaky
 * sources retry with backoff (the runtime never retries bad input),
 * cacheable steps are cached on disk by their inputs and the code's
 * fingerprint, and CPU-heavy steps run in Workers so that candidates train
 * on both cores at once.
 *
 * @module
 */
import { exponentialBackoff } from "../resilience/backoff.ts";
import { type Task, task } from "./task.ts";
import type { StepDefinition, StepRunner } from "./step_runner.ts";

/** Options of {@link flowRunner}. */
export interface FlowRunnerOptions {
  /** Read and write the task cache for steps that allow it. */
  readonly cache: boolean;
  /**
   * Part of every cache key: the fingerprint of the code, so that a change in
   * any helper a step calls is a cache miss (a task's own source text would
   * not see it).
   */
  readonly version: string;
}

/**
 * A runner that turns each step into a flow task (once) and calls it.
 * Call it inside a flow body so the task runs are recorded.
 *
 * @example
 * ```ts
 * import { flow } from "./flow.ts";
 * import type { StepDefinition } from "./step_runner.ts";
 * const double: StepDefinition<number, number> = { name: "double", run: (x) => 2 * x, cache: true };
 * const doubling = flow((x: number) => flowRunner({ cache: true, version: "v1" }).run(double, x), { name: "doubling" });
 * await doubling(21); // 42
 * ```
 */
export function flowRunner(options: FlowRunnerOptions): StepRunner {
  const tasks = new Map<string, Task<unknown, unknown>>();
  const taskFor = (step: StepDefinition<unknown, unknown>): Task<unknown, unknown> => {
    const known = tasks.get(step.name);
    if (known) return known;
    const shared = {
      name: step.name,
      retries: step.retries ?? 0,
      retryDelayMs: exponentialBackoff({ baseMs: 200, jitter: 0.2 }),
      cache: options.cache && step.cache === true,
      version: options.version,
    };
    // Threads: steps set no timeout, so the cheaper start wins over a process that can be killed.
    const made = step.worker
      ? task.worker(step.worker.module, step.worker.exportName, { ...shared, isolation: "thread" })
      : task(step.run, shared);
    tasks.set(step.name, made as Task<unknown, unknown>);
    return made as Task<unknown, unknown>;
  };
  return {
    run<I, R>(step: StepDefinition<I, R>, input: I): Promise<R> {
      return taskFor(step as StepDefinition<unknown, unknown>)(input) as Promise<R>;
    },
  };
}
