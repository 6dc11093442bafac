/**
 * Version 3 of the seed: the training flow plus tracking in an `mlruns`
 * store. A parent run stands for the flow run; each candidate gets a nested
 * run with its params, CV and test metrics and its logged model; the selected
 * model is registered as a new version, and the `champion` alias moves to it
 * only when it beats the current champion re-scored on this run's test rows
 * (otherwise it becomes `challenger`). A failure marks the run FAILED with the
 * error as a tag and moves no alias.
 *
 * @module
 */
import { takeTableRows, takeValues } from "../data/table.ts";
import { rocAuc } from "../evaluate/roc.ts";
import type { FlowRun } from "../flow/mod.ts";
import {
  type ColumnSpec,
  isTrackingError,
  markRunFailed,
  openTracking,
  resolveTrackingUri,
  type Tracking,
  withPromotionLease,
} from "../tracking/mod.ts";
import { buildBundle } from "./build_bundle.ts";
import type { ModelBundle } from "../bundle/bundle.ts";
import { codeFingerprint } from "../flow/code_fingerprint.ts";
import { evaluateRun } from "./evaluate_run.ts";
import { loadModel } from "../bundle/load_model.ts";
import type { TrainOptions } from "./options.ts";
import type { PipelineResult } from "./pipeline.ts";
import { Scorer } from "../bundle/scorer.ts";

/** What happened to the aliases. */
export interface PromotionDecision {
  readonly alias: "champion" | "challenger";
  readonly newAuc: number;
  /** The previous champion's version and its AUC on this run's test rows, when there was one it could score. */
  readonly championVersion?: number;
  readonly championAuc?: number;
  readonly reason: string;
}

/** The outcome of a tracked run. */
export interface TrackedRun {
  readonly runId: string;
  readonly flowRun: FlowRun<PipelineResult>;
  readonly modelVersion: number;
  readonly decision: PromotionDecision;
}

/**
 * Runs the flow under a parent tracking run and records everything.
 *
 * @example
 * ```ts
 * const tracked = await trackRun(options, () => runFlow(options, {}, console.log), console.log);
 * tracked.decision.alias; // "champion" or "challenger"
 * ```
 */
export async function trackRun(
  options: TrainOptions,
  runFlow: () => Promise<FlowRun<PipelineResult>>,
  log: (message: string) => void,
): Promise<TrackedRun> {
  const trackingUri = resolveTrackingUri(options.trackingUri);
  const client = openTracking(trackingUri);
  const experiment = await client.getOrCreateExperiment(options.experiment);
  const parent = await client.createRun({
    experimentId: experiment.experimentId,
    runName: `train-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")}`,
    tags: { "mlflow.source.type": "LOCAL", "mlflow.source.name": "deno task train", pipeline: "tracked" },
  });
  const runId = parent.info.runId;
  // The client's URI, not the given one: a server URI may carry credentials, which never go to logs.
  log(`tracking run ${runId} in ${client.trackingUri} (experiment ${options.experiment})`);
  try {
    await client.logParams(runId, trainParams(options));
    const flowRun = await runFlow();
    await client.setTag(runId, "flow_run_id", flowRun.id);
    const result = flowRun.result;
    const selectedRun = await logCandidates(client, experiment.experimentId, runId, result);
    await logParent(client, runId, result, flowRun.recordPath);
    const version = await client.registerModel(
      options.modelName,
      `models:/${selectedRun.modelId}`,
      selectedRun.runId,
      { modelId: selectedRun.modelId, tags: { candidate: result.evaluation.selected } },
    );
    // The decision and the alias move hold the promotion lease, so racing trainings cannot lose a promotion.
    const decision = await withPromotionLease(client, options.modelName, runId, async (confirm) => {
      const decided = await decidePromotion(client, options, result, version.version);
      await confirm();
      await client.setAlias(options.modelName, decided.alias, version.version);
      const moved = await client.getModelVersionByAlias(options.modelName, decided.alias);
      if (moved.version !== version.version) {
        throw new Error(
          `${decided.alias} alias of ${options.modelName} is v${moved.version} after moving it to v${version.version}`,
        );
      }
      return decided;
    });
    await client.setTag(runId, "promotion", `${decision.alias}: ${decision.reason}`);
    await client.setModelVersionTag(options.modelName, version.version, "promotion", decision.reason);
    log(`registered ${options.modelName} v${version.version} as ${decision.alias}: ${decision.reason}`);
    await client.setTerminated(runId, "FINISHED");
    return { runId, flowRun, modelVersion: version.version, decision };
  } catch (error) {
    // A server that went away cannot record the failure; the original error is what the user needs.
    await markRunFailed(client, runId, error).catch(() => {});
    throw error;
  }
}

function trainParams(options: TrainOptions): Record<string, string | number> {
  const entries: [string, string | number | undefined][] = [
    ["data", options.data ?? "synthetic"],
    ["target", options.target],
    ["split_column", options.splitColumn],
    ["customers", options.data ? undefined : options.customers],
    ["transactions", options.data ? undefined : options.transactions],
    ["seed", options.seed],
    ["cutoff", options.cutoff?.toISOString().slice(0, 10)],
    ["horizon_days", options.horizonDays],
    ["label_rule", options.labelRule],
    ["test_size", options.testSize],
    ["cv_folds", options.folds],
    ["candidates", (options.candidates ?? ["all"]).join(",")],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string | number] => entry[1] !== undefined));
}

async function logParent(client: Tracking, runId: string, result: PipelineResult, flowRecord: string) {
  const { evaluation, dataset, split } = result;
  await client.logParams(runId, {
    data_fingerprint: dataset.fingerprint.slice(0, 16),
    rows: dataset.table.rows,
    train_rows: split.train.length,
    test_rows: split.test.length,
    features: dataset.fields.map((field) => field.name).join(","),
    selected_candidate: evaluation.selected,
    threshold: evaluation.threshold.threshold,
  });
  await client.logMetrics(runId, testMetrics(evaluation.test));
  await client.logMetric(runId, "psi_train_test", evaluation.psi.psi);
  // Concurrent uploads: over a tracking server each one is a round trip.
  await Promise.all([
    ...result.report.files.map((file) => client.logArtifact(runId, file, "report")),
    client.logArtifact(runId, flowRecord, "flow"),
  ]);
}

/** One nested run per candidate, each with its own bundle logged as a model; returns the selected one's ids. */
async function logCandidates(
  client: Tracking,
  experimentId: string,
  parentRunId: string,
  result: PipelineResult,
): Promise<{ runId: string; modelId: string }> {
  const { dataset, split, results, evaluation } = result;
  const trainTable = takeTableRows(dataset.table, split.train);
  const trainY = takeValues(dataset.y, split.train);
  const testTable = takeTableRows(dataset.table, split.test);
  const testY = takeValues(dataset.y, split.test);
  const code = codeFingerprint();
  let selected: { runId: string; modelId: string } | undefined;
  for (const candidate of results) {
    const own = evaluateRun({ results: [candidate], trainTable, trainY, testTable, testY });
    const bundle = candidate.spec.name === evaluation.selected
      ? result.bundle
      : buildBundle({ dataset, trainTable, trainY, selected: candidate, evaluation: own, codeFingerprint: code });
    const child = await client.createRun({
      experimentId,
      runName: candidate.spec.name,
      parentRunId,
      tags: { candidate: candidate.spec.name, family: candidate.spec.family },
    });
    const childId = child.info.runId;
    await client.logParams(childId, {
      model_type: candidate.spec.family,
      description: candidate.spec.description,
      ...candidate.spec.params,
      encoding: candidate.preparationReport.encoding,
      design_columns: candidate.fitted.preparation ? Object.keys(candidate.fitted.preparation.schema).length : 0,
    });
    const timestamp = Date.now();
    await client.logBatch(childId, {
      metrics: [...candidate.cv.folds.entries()].flatMap(([step, figures]) => [
        { key: "cv_auc", value: figures.auc, step, timestamp },
        { key: "cv_logloss", value: figures.logloss, step, timestamp },
      ]),
    });
    await client.logMetrics(childId, {
      cv_auc_mean: candidate.cv.meanAuc,
      cv_auc_std: candidate.cv.stdAuc,
      cv_logloss_mean: candidate.cv.meanLogloss,
      fit_seconds: candidate.seconds.fit,
      ...testMetrics(own.test),
    });
    const model = await client.logModel({
      runId: childId,
      name: "model",
      bundle: { fileName: "model_bundle.json", content: JSON.stringify(bundle) },
      flavorConfig: { candidate: candidate.spec.name, bundle_version: bundle.version },
      signature: signatureOf(bundle),
      inputExample: inputExampleOf(bundle),
      params: candidate.spec.params,
      modelType: candidate.spec.family,
    });
    await client.setTerminated(childId, "FINISHED");
    if (candidate.spec.name === evaluation.selected) selected = { runId: childId, modelId: model.modelId };
  }
  return selected!;
}

function testMetrics(report: PipelineResult["evaluation"]["test"]): Record<string, number> {
  return {
    test_auc: report.auc,
    test_gini: report.gini,
    test_ks: report.ks,
    test_logloss: report.logloss,
    test_brier: report.brier,
    ...(report.atThreshold
      ? {
        test_precision: report.atThreshold.precision,
        test_recall: report.atThreshold.recall,
        test_f1: report.atThreshold.f1,
      }
      : {}),
  };
}

function signatureOf(bundle: ModelBundle) {
  const inputs: ColumnSpec[] = bundle.fields.map((field) => ({
    name: field.name,
    type: field.kind === "numeric" ? "double" : "string",
    required: false,
  }));
  return {
    inputs,
    outputs: [
      { name: "probability", type: "double" },
      { name: "score", type: "double" },
      { name: "decision", type: "string" },
    ] satisfies ColumnSpec[],
  };
}

function inputExampleOf(bundle: ModelBundle) {
  return {
    columns: bundle.fields.map((field) => field.name),
    data: [bundle.fields.map((field) => field.reference)],
  };
}

/**
 * Champion or challenger: the new version becomes champion when there is no
 * champion, or when its test AUC beats the champion's AUC on the same test
 * rows. A champion that cannot score these rows (another feature set) keeps
 * its alias; the new version is challenger, and the reason says why.
 */
async function decidePromotion(
  client: Tracking,
  options: TrainOptions,
  result: PipelineResult,
  newVersion: number,
): Promise<PromotionDecision> {
  const newAuc = result.evaluation.test.auc;
  let championVersion: number;
  try {
    championVersion = (await client.getModelVersionByAlias(options.modelName, "champion")).version;
  } catch (error) {
    if (!isTrackingError(error)) throw error;
    return { alias: "champion", newAuc, reason: `no champion yet; v${newVersion} test AUC ${newAuc.toFixed(4)}` };
  }
  const testTable = takeTableRows(result.dataset.table, result.split.test);
  const testY = takeValues(result.dataset.y, result.split.test);
  let championAuc: number;
  try {
    const champion = await loadModel(`models:/${options.modelName}@champion`, options.trackingUri);
    championAuc = rocAuc(new Scorer(champion.bundle).scoreTable(testTable, { reasons: 0 }).probability, testY);
  } catch (error) {
    return {
      alias: "challenger",
      newAuc,
      championVersion,
      reason: `champion v${championVersion} cannot score this run's test rows (${(error as Error).message}); kept`,
    };
  }
  const wins = newAuc > championAuc;
  return {
    alias: wins ? "champion" : "challenger",
    newAuc,
    championVersion,
    championAuc,
    reason: `test AUC ${newAuc.toFixed(4)} ${wins ? ">" : "<="} champion v${championVersion}'s ${
      championAuc.toFixed(4)
    } on the same ${testY.length} test rows`,
  };
}
