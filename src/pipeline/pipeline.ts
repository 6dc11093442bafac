/**
 * The training pipeline, defined once: data → EDA report → split →
 * candidates (preparation, cross-validation, fit: every candidate's folds and
 * refit cut into one batch per core, in parallel where the runner allows) →
 * selection and evaluation → bundle → charts → report files. The
 * {@link StepRunner} decides how each step runs (plain call or flow task).
 *
 * @module
 */
import { takeTableRows, takeValues } from "../data/table.ts";
import { buildBundle, type BundleInput } from "./build_bundle.ts";
import type { ModelBundle } from "../bundle/bundle.ts";
import { chooseCandidates } from "./candidates.ts";
import { type ChartsInput, runCharts } from "./charts.ts";
import { codeFingerprint } from "../flow/code_fingerprint.ts";
import { type Dataset, loadDataset } from "./dataset.ts";
import { edaReport } from "./eda_step.ts";
import { type EvaluateInput, evaluateRun, type RunEvaluation, selectCandidate } from "./evaluate_run.ts";
import type { TrainOptions } from "./options.ts";
import { type ReportInput, type RunReport, writeRunReport } from "./report.ts";
import type { StepDefinition, StepRunner } from "../flow/step_runner.ts";
import { type RunSplit, splitDataset } from "./split.ts";
import {
  assembleCandidate,
  type CandidateResult,
  type FoldBatch,
  type FoldOutcome,
  planFoldBatches,
  trainFoldBatch,
} from "./train_candidate.ts";
import { DataError } from "../data/errors.ts";

/** The steps, as the runners see them. */
export const STEPS = {
  /** `source` only keys the cache: it changes when the input file does. */
  loadData: {
    name: "load-data",
    run: ({ options }: { options: TrainOptions; source: string }) => loadDataset(options),
    retries: 2,
    cache: true,
  } satisfies StepDefinition<{ options: TrainOptions; source: string }, Dataset>,
  eda: { name: "eda-report", run: edaReport, cache: true } satisfies StepDefinition<{ dataset: Dataset }, string>,
  split: {
    name: "split",
    run: ({ dataset, testSize, seed }: { dataset: Dataset; testSize: number; seed: number }) =>
      splitDataset(dataset, { testSize, seed }),
  } satisfies StepDefinition<{ dataset: Dataset; testSize: number; seed: number }, RunSplit>,
  trainFolds: {
    name: "train-folds",
    run: trainFoldBatch,
    cache: true,
    worker: { module: new URL("./train_candidate.ts", import.meta.url), exportName: "trainFoldBatch" },
  } satisfies StepDefinition<FoldBatch, FoldOutcome[]>,
  evaluate: { name: "evaluate", run: evaluateRun } satisfies StepDefinition<EvaluateInput, RunEvaluation>,
  bundle: { name: "build-bundle", run: buildBundle } satisfies StepDefinition<BundleInput, ModelBundle>,
  charts: { name: "charts", run: runCharts } satisfies StepDefinition<ChartsInput, Record<string, string>>,
  report: { name: "write-report", run: writeRunReport } satisfies StepDefinition<ReportInput, RunReport>,
};

/** Everything a training run produced. */
export interface PipelineResult {
  readonly dataset: Dataset;
  readonly split: RunSplit;
  readonly results: readonly CandidateResult[];
  readonly evaluation: RunEvaluation;
  readonly bundle: ModelBundle;
  readonly report: RunReport;
}

/**
 * Runs the training pipeline with a runner and reports progress.
 *
 * @example
 * ```ts
 * import { plainRunner } from "../flow/step_runner.ts";
 * import { DEFAULT_TRAIN_OPTIONS } from "./options.ts";
 * const result = await runPipeline(DEFAULT_TRAIN_OPTIONS, plainRunner);
 * result.evaluation.selected;
 * ```
 */
export async function runPipeline(
  options: TrainOptions,
  runner: StepRunner,
  progress: (message: string) => void = () => {},
): Promise<PipelineResult> {
  const candidates = chooseCandidates(options.candidates).map((spec) =>
    spec.family === "gbt" && options.monotone ? { ...spec, monotone: options.monotone } : spec
  );
  progress("loading data");
  const dataset = await runner.run(STEPS.loadData, { options, source: await sourceStamp(options.data) });
  progress(`${dataset.table.rows} rows, ${dataset.fields.length} features (${dataset.description})`);
  for (const notice of dataset.notices) progress(`notice: ${notice}`);
  checkMonotone(options.monotone, dataset);
  const split = await runner.run(STEPS.split, { dataset, testSize: options.testSize, seed: options.seed });
  const trainTable = takeTableRows(dataset.table, split.train);
  const trainY = takeValues(dataset.y, split.train);
  const testTable = takeTableRows(dataset.table, split.test);
  const testY = takeValues(dataset.y, split.test);
  progress(`split: ${split.train.length} train, ${split.test.length} test rows${split.fixed ? " (fixed)" : ""}`);
  progress(`training ${candidates.length} candidates with ${options.folds}-fold cross-validation`);
  const { folds, seed } = options;
  // One batch per core: the results do not depend on how units are batched, only the wall time does.
  const batches = planFoldBatches(candidates, folds, navigator.hardwareConcurrency || 1);
  const training = Promise.all(
    batches.map((units) =>
      runner.run(STEPS.trainFolds, { specs: candidates, table: trainTable, y: trainY, folds, seed, units })
    ),
  );
  training.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  // The EDA report needs nothing downstream: started after the training batches, under the flow runtime it runs on
  // the main thread while they train in Workers (before them, its synchronous work would delay their start).
  const edaPage = runner.run(STEPS.eda, { dataset });
  edaPage.catch(() => {}); // likewise
  const outcomes = (await training).flat();
  const results = candidates.map((spec, c) => {
    const result = assembleCandidate(spec, c, outcomes, trainY, folds, seed);
    progress(`  ${spec.name}: CV AUC ${result.cv.meanAuc.toFixed(4)} ± ${result.cv.stdAuc.toFixed(4)}`);
    return result;
  });
  const evaluation = await runner.run(STEPS.evaluate, {
    results,
    trainTable,
    trainY,
    testTable,
    testY,
    rule: { by: "f1" },
  });
  const selected = selectCandidate(results);
  progress(
    `selected ${evaluation.selected}: test AUC ${evaluation.test.auc.toFixed(4)}, log loss ${
      evaluation.test.logloss.toFixed(4)
    }`,
  );
  const bundle = await runner.run(STEPS.bundle, {
    dataset,
    trainTable,
    trainY,
    selected,
    evaluation,
    codeFingerprint: codeFingerprint(),
  });
  const charts = await runner.run(STEPS.charts, { results, evaluation, bundle, trainY, testTable, testY });
  const report = await runner.run(STEPS.report, {
    dataset,
    split,
    results,
    evaluation,
    bundle,
    eda: await edaPage,
    charts,
    out: options.out,
  });
  progress(`wrote ${report.files.length} files to ${options.out}`);
  return { dataset, split, results, evaluation, bundle, report };
}

/** Monotone constraints must name numeric features (a categorical one has no order) with a direction of ±1 or 0. */
function checkMonotone(monotone: TrainOptions["monotone"], dataset: Dataset): void {
  const numeric = dataset.fields.filter((f) => f.kind === "numeric").map((f) => f.name);
  for (const [name, direction] of Object.entries(monotone ?? {})) {
    if (!numeric.includes(name)) {
      throw new DataError(`--monotone: "${name}" is not a numeric feature (numeric features: ${numeric.join(", ")})`);
    }
    if (direction !== 1 && direction !== -1 && direction !== 0) {
      throw new DataError(`--monotone: the direction of "${name}" must be 1, -1 or 0, got ${direction}`);
    }
  }
}

/** What identifies an input file's content cheaply (path, size, modification time), for cache keys. */
async function sourceStamp(path: string | undefined): Promise<string> {
  if (path === undefined) return "synthetic";
  try {
    const info = await Deno.stat(path);
    return `${path}:${info.size}:${info.mtime?.getTime() ?? 0}`;
  } catch {
    return `${path}:missing`;
  }
}
