/**
 * Writes a run's outputs, all or nothing (see {@link stageOutput}): the model
 * bundle, a metrics JSON document, and the report folder.
 *
 * @module
 */
import { join } from "node:path";
import type { ModelBundle } from "./bundle.ts";
import type { Dataset } from "./dataset.ts";
import type { RunEvaluation } from "./evaluate_run.ts";
import { stageOutput } from "./output.ts";
import type { RunSplit } from "./split.ts";
import type { CandidateResult } from "./train_candidate.ts";

/** The file name of the bundle inside a run's output folder. */
export const BUNDLE_FILE = "model_bundle.json";

/** Where a run's files landed. */
export interface RunReport {
  readonly bundlePath: string;
  readonly metricsPath: string;
  readonly files: readonly string[];
}

/**
 * The metrics document of a run: the comparison table, the selected model's
 * figures, threshold, calibration and stability, and the data notices.
 *
 * @example
 * ```ts
 * const metrics = runMetrics(dataset, split, evaluation);
 * metrics.selected;
 * ```
 */
export function runMetrics(dataset: Dataset, split: RunSplit, evaluation: RunEvaluation) {
  const { testProbabilities: _omitted, ...figures } = evaluation;
  return {
    data: { description: dataset.description, rows: dataset.table.rows, fingerprint: dataset.fingerprint },
    split: { train: split.train.length, test: split.test.length, fixed: split.fixed },
    notices: dataset.notices,
    ...figures,
  };
}

/**
 * Writes the bundle and reports into `out`.
 *
 * @example
 * ```ts
 * const report = writeRunReport({ dataset, split, results, evaluation, bundle, out: "data/artifacts" });
 * report.bundlePath; // "data/artifacts/model_bundle.json"
 * ```
 */
export function writeRunReport(input: {
  dataset: Dataset;
  split: RunSplit;
  results: readonly CandidateResult[];
  evaluation: RunEvaluation;
  bundle: ModelBundle;
  out: string;
}): RunReport {
  const { dataset, split, evaluation, bundle, out } = input;
  const stage = stageOutput(out);
  try {
    stage.write(BUNDLE_FILE, JSON.stringify(bundle));
    stage.write("metrics.json", JSON.stringify(runMetrics(dataset, split, evaluation), null, 2));
    const files = stage.commit();
    return { bundlePath: join(out, BUNDLE_FILE), metricsPath: join(out, "metrics.json"), files };
  } catch (error) {
    stage.abort();
    throw error;
  }
}
