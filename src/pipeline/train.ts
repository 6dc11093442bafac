/**
 * The three entry points over one pipeline: `plain` (direct calls), `flow`
 * (tasks of the flow runtime) and `tracked` (the flow plus MLflow-format
 * tracking and champion promotion).
 *
 * @module
 */
import type { TrainOptions } from "./options.ts";
import { runPipeline } from "./pipeline.ts";
import { plainRunner } from "./runner.ts";

/** How a training run is executed. */
export type RunMode = "plain" | "flow" | "tracked";
/** The run modes, for validation. */
export const RUN_MODES: readonly RunMode[] = ["plain", "flow", "tracked"];

/** The JSON summary a run prints with `--json`. */
export interface TrainSummary {
  readonly ok: boolean;
  readonly mode: RunMode;
  readonly selected: string;
  readonly auc: number;
  readonly logloss: number;
  readonly brier: number;
  readonly ks: number;
  readonly threshold: number;
  readonly bundle: string;
  readonly candidates: readonly {
    name: string;
    cvAuc: number;
    testAuc: number;
    testLogloss: number;
    fitSeconds: number;
  }[];
  readonly seconds: number;
}

/**
 * Trains in the given mode.
 *
 * @example
 * ```ts
 * import { DEFAULT_TRAIN_OPTIONS } from "./options.ts";
 * const summary = await train(DEFAULT_TRAIN_OPTIONS, "plain");
 * summary.auc;
 * ```
 */
export async function train(
  options: TrainOptions,
  mode: RunMode,
  { progress = false }: { progress?: boolean } = {},
): Promise<TrainSummary> {
  const began = performance.now();
  const log = progress ? (message: string) => console.error(`[${mode}] ${message}`) : () => {};
  const result = await runPipeline(options, plainRunner, log);
  const { evaluation } = result;
  return {
    ok: true,
    mode,
    selected: evaluation.selected,
    auc: evaluation.test.auc,
    logloss: evaluation.test.logloss,
    brier: evaluation.test.brier,
    ks: evaluation.test.ks,
    threshold: evaluation.threshold.threshold,
    bundle: result.report.bundlePath,
    candidates: evaluation.candidates.map((c) => ({
      name: c.name,
      cvAuc: c.cvAuc,
      testAuc: c.test.auc,
      testLogloss: c.test.logloss,
      fitSeconds: c.fitSeconds,
    })),
    seconds: (performance.now() - began) / 1000,
  };
}
