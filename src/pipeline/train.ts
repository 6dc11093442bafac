/**
 * The three entry points over one pipeline: `plain` (direct calls), `flow`
 * (tasks of the flow runtime: retries, caching, candidates in parallel
 * Workers, a saved run record and run graph) and `tracked` (the flow plus
 * MLflow-format tracking, registration and champion promotion).
 *
 * @module
 */
import { flow, type FlowRun, type RunOptions } from "../flow/flow.ts";
import { renderRunGraph } from "../flow/graph.ts";
import { codeFingerprint } from "../flow/code_fingerprint.ts";
import { flowRunner } from "../flow/task_step_runner.ts";
import type { TrainOptions } from "./options.ts";
import { stageOutput } from "../fs/stage.ts";
import { type PipelineResult, runPipeline } from "./pipeline.ts";
import { plainRunner } from "../flow/step_runner.ts";
import { type PromotionDecision, trackRun } from "./tracked.ts";

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
  readonly flowRunId?: string;
  readonly flowRecord?: string;
  readonly runId?: string;
  readonly modelVersion?: number;
  readonly decision?: PromotionDecision;
  readonly seconds: number;
}

/** Where the flow runtime keeps records and cache, and whether it prints (tests use temp folders, no console). */
export interface TrainRuntime {
  readonly progress?: boolean;
  readonly flow?: Pick<RunOptions, "recordsDir" | "cacheDir" | "clock">;
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
export async function train(options: TrainOptions, mode: RunMode, runtime: TrainRuntime = {}): Promise<TrainSummary> {
  const began = performance.now();
  const log = runtime.progress ? (message: string) => console.error(`[${mode}] ${message}`) : () => {};
  if (mode === "plain") {
    const result = await runPipeline(options, plainRunner, log);
    return summarize(mode, result, began);
  }
  if (mode === "flow") {
    const run = await runFlow(options, runtime, log);
    return { ...summarize(mode, run.result, began), flowRunId: run.id, flowRecord: run.recordPath };
  }
  return await trackRun(options, () => runFlow(options, runtime, log), log).then((tracked) => ({
    ...summarize(mode, tracked.flowRun.result, began),
    flowRunId: tracked.flowRun.id,
    flowRecord: tracked.flowRun.recordPath,
    runId: tracked.runId,
    modelVersion: tracked.modelVersion,
    decision: tracked.decision,
  }));
}

/** The pipeline as a flow; the run graph SVG is written beside the bundle. */
async function runFlow(
  options: TrainOptions,
  runtime: TrainRuntime,
  log: (message: string) => void,
): Promise<FlowRun<PipelineResult>> {
  const version = codeFingerprint();
  const trainFlow = flow(
    (params: TrainOptions, { logger }) =>
      runPipeline(params, flowRunner({ cache: params.cache, version }), (message) => logger.info(message)),
    { name: "train-conversion-model" },
  );
  const run = await trainFlow.run(options, { ...runtime.flow, log: { console: runtime.progress ?? false } });
  const stage = stageOutput(options.out);
  stage.write("report/flow_run.svg", renderRunGraph(run.record));
  stage.commit();
  log(`flow run ${run.id}: record ${run.recordPath}`);
  return run;
}

function summarize(mode: RunMode, result: PipelineResult, began: number): TrainSummary {
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
