/**
 * Version 3 of the seed: the training flow plus tracking in an `mlruns`
 * store. A parent run stands for the flow run; each candidate gets a nested
 * run with its params, CV and test metrics and its logged model; the selected
 * model is registered as a new version, and the `champion` alias moves to it
 * only when it beats the current champion re-scored on this run's test rows
 * (otherwise it becomes `challenger`); concurrent training runs cannot both
 * win against the same champion. A model with another input schema is never
 * promoted automatically. A failure marks the run FAILED with the error as a
 * tag and moves no alias.
 *
 * @module
 */
import { takeTableRows, takeValues } from "../data/table.ts";
import { rocAuc } from "../evaluate/roc.ts";
import type { FlowRun } from "../flow/flow.ts";
import { type ColumnSpec } from "../tracking/mlmodel.ts";
import { markRunFailed } from "../tracking/mark_run_failed.ts";
import { openTracking } from "../tracking/open.ts";
import { resolveTrackingUri } from "../tracking/uri.ts";
import { type Tracking } from "../tracking/tracking.ts";
import { buildBundle } from "./build_bundle.ts";
import type { BundleField, ModelBundle } from "../bundle/bundle.ts";
import { codeFingerprint } from "../flow/code_fingerprint.ts";
import { evaluateRun } from "./evaluate_run.ts";
import { loadModel } from "../bundle/load_model.ts";
import type { TrainOptions } from "./options.ts";
import type { PipelineResult } from "./pipeline.ts";
import { Scorer } from "../bundle/scorer.ts";
import { logHeldoutSample } from "./heldout_sample.ts";
import { allOrFirstError } from "../resilience/all_or_first_error.ts";

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
 * import type { FlowRun } from "../flow/flow.ts";
 * import type { TrainOptions } from "./options.ts";
 * import type { PipelineResult } from "./pipeline.ts";
 * declare const options: TrainOptions;
 * declare const runFlow: () => Promise<FlowRun<PipelineResult>>;
 * const tracked = await trackRun(options, runFlow, console.log);
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
  // Tracking I/O that needs no training result runs while the flow trains (over REST each request is a round
  // trip): the params, and the current champion's bundle, which the promotion re-scores.
  const paramsLogged = settleLater(client.logParams(runId, trainParams(options)));
  const champions = new ChampionBundles(client, options);
  try {
    const flowRun = await runFlow();
    await paramsLogged;
    const result = flowRun.result;
    const [selectedRun] = await allOrFirstError([
      logCandidates(client, experiment.experimentId, runId, result),
      logParent(client, runId, result, flowRun),
    ]);
    const version = await client.registerModel(
      options.modelName,
      `models:/${selectedRun.modelId}`,
      selectedRun.runId,
      { modelId: selectedRun.modelId, tags: { candidate: result.evaluation.selected } },
    );
    const decision = await promote(client, options, result, version.version, champions, log);
    await Promise.all([
      client.setTag(runId, "promotion", `${decision.alias}: ${decision.reason}`),
      client.setModelVersionTag(options.modelName, version.version, "promotion", decision.reason),
    ]);
    log(`registered ${options.modelName} v${version.version} as ${decision.alias}: ${decision.reason}`);
    await client.setTerminated(runId, "FINISHED");
    if (client.requestCount !== undefined) log(`tracking: ${client.requestCount} requests to ${client.location}`);
    return { runId, flowRun, modelVersion: version.version, decision };
  } catch (error) {
    await paramsLogged.catch(() => {});
    // A server that went away cannot record the failure; the original error is what the user needs.
    await markRunFailed(client, runId, error).catch(() => {});
    throw error;
  }
}

/** `promise`, marked as handled now (its rejection is awaited later, not reported as unhandled meanwhile). */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/**
 * Champion bundles by version, each loaded once. The champion at the start of the run is fetched while the
 * flow trains, so the promotion usually finds it already downloaded; a champion that changed meanwhile is
 * loaded when the promotion asks for it (the compare-and-set makes the decision against the right one).
 */
class ChampionBundles {
  readonly #bundles = new Map<number, Promise<ModelBundle>>();
  /** The champion's version when the run started (`null`: none), or undefined when it could not be read. */
  readonly atStart: Promise<number | null | undefined>;

  constructor(client: Tracking, readonly options: TrainOptions) {
    this.atStart = client.getRegisteredModel(options.modelName).then((model) => {
      const version = model.aliases.champion ?? null;
      if (version !== null && !options.promote) settleLater(this.bundle(version));
      return version;
    }, () => undefined);
  }

  /** The bundle of champion `version`, loaded on first use. */
  bundle(version: number): Promise<ModelBundle> {
    let bundle = this.#bundles.get(version);
    if (!bundle) {
      bundle = loadModel(`models:/${this.options.modelName}/${version}`, this.options.trackingUri)
        .then((loaded) => loaded.bundle);
      this.#bundles.set(version, bundle);
    }
    return bundle;
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

/** The parent run's params, test metrics and flow run id in one batch, then its report and flow record. */
async function logParent(client: Tracking, runId: string, result: PipelineResult, flowRun: FlowRun<PipelineResult>) {
  const { evaluation, dataset, split } = result;
  const params = {
    data_fingerprint: dataset.fingerprint.slice(0, 16),
    rows: dataset.table.rows,
    train_rows: split.train.length,
    test_rows: split.test.length,
    features: dataset.fields.map((field) => field.name).join(","),
    selected_candidate: evaluation.selected,
    threshold: evaluation.threshold.threshold,
  };
  const metrics = { ...testMetrics(evaluation.test), psi_train_test: evaluation.psi.psi };
  await client.logBatch(runId, {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value })),
    tags: [{ key: "flow_run_id", value: flowRun.id }],
  });
  // Concurrent uploads: over a tracking server each one is a round trip.
  await allOrFirstError([
    ...result.report.files.map((file) => client.logArtifact(runId, file, "report")),
    client.logArtifact(runId, flowRun.recordPath, "flow"),
    logHeldoutSample(client, runId, result),
  ]);
}

/**
 * One nested run per candidate, each with its own bundle logged as a model; returns the selected one's ids.
 * Bundles are built one after another (CPU); each candidate's tracking requests run while the next is built.
 */
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
  const logged: Promise<{ runId: string; modelId: string }>[] = [];
  for (const candidate of results) {
    const own = evaluateRun({ results: [candidate], trainTable, trainY, testTable, testY });
    const bundle = candidate.spec.name === evaluation.selected
      ? result.bundle
      : buildBundle({ dataset, trainTable, trainY, selected: candidate, evaluation: own, codeFingerprint: code });
    logged.push(settleLater(logCandidate(client, experimentId, parentRunId, candidate, own.test, bundle)));
    // Lets the requests just queued go out before the next bundle's synchronous build.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const ids = await allOrFirstError(logged);
  return ids[results.findIndex((candidate) => candidate.spec.name === evaluation.selected)];
}

/** A candidate's nested run: tags at creation, params and all metrics in one batch, its model, its end. */
async function logCandidate(
  client: Tracking,
  experimentId: string,
  parentRunId: string,
  candidate: PipelineResult["results"][number],
  test: PipelineResult["evaluation"]["test"],
  bundle: ModelBundle,
): Promise<{ runId: string; modelId: string }> {
  const child = await client.createRun({
    experimentId,
    runName: candidate.spec.name,
    parentRunId,
    tags: { candidate: candidate.spec.name, family: candidate.spec.family },
  });
  const childId = child.info.runId;
  const params = {
    model_type: candidate.spec.family,
    description: candidate.spec.description,
    ...candidate.spec.params,
    encoding: candidate.preparationReport.encoding,
    design_columns: candidate.fitted.preparation ? Object.keys(candidate.fitted.preparation.schema).length : 0,
  };
  const figures = {
    cv_auc_mean: candidate.cv.meanAuc,
    cv_auc_std: candidate.cv.stdAuc,
    cv_logloss_mean: candidate.cv.meanLogloss,
    fit_seconds: candidate.seconds.fit,
    ...testMetrics(test),
  };
  const timestamp = Date.now();
  await client.logBatch(childId, {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: [
      ...[...candidate.cv.folds.entries()].flatMap(([step, fold]) => [
        { key: "cv_auc", value: fold.auc, step, timestamp },
        { key: "cv_logloss", value: fold.logloss, step, timestamp },
      ]),
      ...Object.entries(figures).map(([key, value]) => ({ key, value, timestamp })),
    ],
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
  return { runId: childId, modelId: model.modelId };
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
 * Decides champion or challenger and moves that alias to the new version,
 * atomically with respect to other promotions of the model: the slow part
 * (loading and re-scoring the champion) runs outside the registry lock, and
 * the alias moves only if the champion is still the version the decision was
 * taken against (compare-and-set under the lock); otherwise the decision is
 * taken again against the new champion. A retry means another process
 * promoted meanwhile, so the loop ends.
 */
async function promote(
  client: Tracking,
  options: TrainOptions,
  result: PipelineResult,
  newVersion: number,
  champions: ChampionBundles,
  log: (message: string) => void,
): Promise<PromotionDecision> {
  // The champion read at the start of the run saves a read; if it moved since, the compare-and-set says so.
  let known = await champions.atStart;
  for (;;) {
    const championVersion = known === undefined
      ? (await client.getRegisteredModel(options.modelName)).aliases.champion
      : known ?? undefined;
    const decision = await decidePromotion(options, result, newVersion, championVersion, champions, log);
    const expected = { alias: "champion", version: championVersion ?? null };
    if (await client.compareAndSetAlias(options.modelName, decision.alias, newVersion, expected)) return decision;
    log(
      `the champion changed while v${newVersion} was being compared with ${
        championVersion === undefined ? "no champion" : `v${championVersion}`
      }; deciding again`,
    );
    known = undefined;
  }
}

/**
 * Champion or challenger against `championVersion`: the new version becomes
 * champion when there is no champion, when `--promote` asks for it, or when
 * its test AUC beats the champion's AUC on the same test rows. A champion
 * whose input schema (field names and kinds) differs from the new version's
 * keeps its alias: swapping it would break every client of the old schema,
 * so that takes a deliberate `--promote`. A champion that cannot be loaded or
 * cannot score these rows keeps its alias too; the reason says why.
 */
async function decidePromotion(
  options: TrainOptions,
  result: PipelineResult,
  newVersion: number,
  championVersion: number | undefined,
  champions: ChampionBundles,
  log: (message: string) => void,
): Promise<PromotionDecision> {
  const newAuc = result.evaluation.test.auc;
  if (championVersion === undefined) {
    return { alias: "champion", newAuc, reason: `no champion yet; v${newVersion} test AUC ${newAuc.toFixed(4)}` };
  }
  if (options.promote) {
    return {
      alias: "champion",
      newAuc,
      championVersion,
      reason: `promoted deliberately (--promote) over champion v${championVersion}; test AUC ${newAuc.toFixed(4)}`,
    };
  }
  const kept = (why: string): PromotionDecision => ({
    alias: "challenger",
    newAuc,
    championVersion,
    reason: `champion v${championVersion} ${why}; kept`,
  });
  log(`re-scoring champion v${championVersion} on this run's test rows`);
  let champion: ModelBundle;
  try {
    champion = await champions.bundle(championVersion);
  } catch (error) {
    return kept(`cannot be loaded (${(error as Error).message})`);
  }
  const difference = schemaDifference(champion.fields, result.bundle.fields);
  if (difference) {
    return kept(
      `has another input schema (${difference}), so v${newVersion} is not promoted automatically: ` +
        `re-run with --promote to make it champion deliberately, or train under another --model-name`,
    );
  }
  const testTable = takeTableRows(result.dataset.table, result.split.test);
  const testY = takeValues(result.dataset.y, result.split.test);
  let championAuc: number;
  try {
    championAuc = rocAuc(new Scorer(champion).scoreTable(testTable, { reasons: 0 }).probability, testY);
  } catch (error) {
    return kept(`cannot score this run's test rows (${(error as Error).message})`);
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

/** How two input schemas differ (fields only one has, kinds that changed), or undefined when they match. */
function schemaDifference(champion: readonly BundleField[], challenger: readonly BundleField[]): string | undefined {
  const championKinds = new Map(champion.map((field) => [field.name, field.kind]));
  const challengerKinds = new Map(challenger.map((field) => [field.name, field.kind]));
  const list = (names: string[]) =>
    names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
  const gone = champion.filter((field) => !challengerKinds.has(field.name)).map((field) => field.name);
  const added = challenger.filter((field) => !championKinds.has(field.name)).map((field) => field.name);
  const changed = champion
    .filter((field) => challengerKinds.has(field.name) && challengerKinds.get(field.name) !== field.kind)
    .map((field) => `${field.name} ${field.kind} -> ${challengerKinds.get(field.name)}`);
  const parts = [
    gone.length > 0 ? `fields it lacks: ${list(gone)}` : undefined,
    added.length > 0 ? `new fields: ${list(added)}` : undefined,
    changed.length > 0 ? `kinds changed: ${list(changed)}` : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join("; ") : undefined;
}
