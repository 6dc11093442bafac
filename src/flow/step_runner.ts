/**
 * How pipeline steps are run. The pipeline is written once against
 * {@link StepRunner}; the plain entry point runs each step as a direct call,
 * the flow entry points run each as a task of the flow runtime (retries,
 * caching, Workers). That is the whole difference between the seed's three
 * versions.
 *
 * @module
 */

/**
 * A step of the pipeline: a named function of one input object (as a flow
 * task takes), with how the flow runtime should treat it.
 */
export interface StepDefinition<I, R> {
  readonly name: string;
  readonly run: (input: I) => R | Promise<R>;
  /** Retries under the flow runtime (a flaky data source). */
  readonly retries?: number;
  /** Whether the flow runtime may cache the result by its inputs. */
  readonly cache?: boolean;
  /** CPU-heavy steps: the module that exports `run` as `exportName`, for a Worker. */
  readonly worker?: { readonly module: URL; readonly exportName: string };
}

/** Runs steps. */
export interface StepRunner {
  run<I, R>(step: StepDefinition<I, R>, input: I): Promise<R>;
}

/**
 * Runs each step as a plain call, in the order the pipeline awaits them.
 *
 * @example
 * ```ts
 * const double = { name: "double", run: (x: number) => 2 * x };
 * await plainRunner.run(double, 21); // 42
 * ```
 */
export const plainRunner: StepRunner = {
  async run(step, input) {
    return await step.run(input);
  },
};
