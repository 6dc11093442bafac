/**
 * MLflow 3 logged models: `<experiment>/models/<model_id>/` with
 * `meta.yaml`, `params/`, `tags/`, `metrics/` and (by default) `artifacts/`
 * holding `MLmodel` and the model's files.
 *
 * @module
 */
import { join } from "node:path";
import {
  type Listing,
  LOGGED_MODEL_STATUS_CODES,
  type LoggedModel,
  type LoggedModelMetric,
  type LoggedModelStatus,
  type StoreProblem,
  type ViewType,
} from "./entities.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import type { ArtifactRoot } from "./artifacts.ts";
import { findExperiment, listExperimentLocations, readExperiment } from "./experiments.ts";
import { type MetaFields, requireMetaFile, writeMetaFile } from "./meta_file.ts";
import { formatModelMetricLine, parseModelMetricFile } from "./metric_lines.ts";
import { paramText, type ParamValue, validateMetric, validateStoredKey, validateTags } from "./runs.ts";
import { createFolderAtomically, initializeStore, type StoreContext } from "./store_context.ts";
import {
  appendText,
  isDirectory,
  listFilesRecursive,
  listSubdirectories,
  pathExists,
  readTextIfExists,
  readValueFiles,
} from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { appendToUri } from "./uri.ts";
import { validateLoggedModelId, validateLoggedModelName, validateRunId } from "./validation.ts";

/** Where a logged model's folder is. */
export interface LoggedModelLocation {
  readonly modelId: string;
  readonly experimentId: string;
  readonly dir: string;
}

/**
 * Finds a logged model's folder among all experiments.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const location = await findLoggedModel(context, "m-d2cbb33c40c84b7584bff0a6340829a8");
 * ```
 */
export async function findLoggedModel(context: StoreContext, modelId: string): Promise<LoggedModelLocation> {
  validateLoggedModelId(modelId);
  for (const experiment of await listExperimentLocations(context, "ALL")) {
    const dir = join(experiment.dir, "models", modelId);
    if (await isDirectory(dir)) return { modelId, experimentId: experiment.experimentId, dir };
  }
  throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `logged model '${modelId}' not found in ${context.root}`);
}

/**
 * Reads a logged model with MLflow's rules (required fields, status code
 * 0-3 with READY when missing, ids matching the folders).
 *
 * @example
 * ```ts
 * declare const location: LoggedModelLocation; // from findLoggedModel
 *
 * (await readLoggedModel(location)).name; // "model_logistic"
 * ```
 */
export async function readLoggedModel(location: LoggedModelLocation): Promise<LoggedModel> {
  const meta = await requireMetaFile(join(location.dir, "meta.yaml"));
  const modelId = meta.string("model_id");
  const experimentId = meta.id("experiment_id");
  if (modelId !== location.modelId) meta.fail("model_id", `the folder name '${location.modelId}'`, modelId);
  if (experimentId !== location.experimentId) {
    meta.fail("experiment_id", `the experiment folder '${location.experimentId}'`, experimentId);
  }
  const [params, tags, metrics] = await Promise.all([
    readValueFiles(join(location.dir, "params")),
    readValueFiles(join(location.dir, "tags")),
    readModelMetrics(location.dir),
  ]);
  return {
    modelId,
    experimentId,
    name: meta.string("name"),
    artifactLocation: meta.string("artifact_location"),
    creationTimestamp: meta.int("creation_timestamp"),
    lastUpdatedTimestamp: meta.int("last_updated_timestamp"),
    modelType: meta.optionalString("model_type"),
    sourceRunId: meta.optionalString("source_run_id"),
    status: statusFromCode(meta),
    statusMessage: meta.optionalString("status_message"),
    lifecycleStage: meta.optionalString("lifecycle_stage") === "deleted" ? "deleted" : "active",
    params: Object.fromEntries(params),
    tags: Object.fromEntries(tags),
    metrics,
  };
}

/**
 * Lists logged models (of some experiments, or all), hiding deleted ones
 * unless asked; unreadable ones are reported in `problems`.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const { items } = await listLoggedModels(context, ["195242121511690317"]);
 * ```
 */
export async function listLoggedModels(
  context: StoreContext,
  experimentIds?: readonly string[],
  view: ViewType = "ACTIVE_ONLY",
): Promise<Listing<LoggedModel>> {
  const experiments = (await listExperimentLocations(context, "ALL"))
    .filter((experiment) => experimentIds === undefined || experimentIds.includes(experiment.experimentId));
  const problems: StoreProblem[] = [];
  const items: LoggedModel[] = [];
  for (const experiment of experiments) {
    const models = join(experiment.dir, "models");
    const read = await Promise.all((await listSubdirectories(models)).map(async (name) => {
      const location = { modelId: name, experimentId: experiment.experimentId, dir: join(models, name) };
      // MLflow silently skips a model folder without meta.yaml (a creation in progress elsewhere).
      if (!(await pathExists(join(location.dir, "meta.yaml")))) return;
      try {
        return await readLoggedModel(location);
      } catch (error) {
        if (!isTrackingError(error)) throw error;
        problems.push({ path: error.path ?? location.dir, message: error.message });
      }
    }));
    for (const model of read) {
      if (model && (view === "ALL" || (view === "DELETED_ONLY") === (model.lifecycleStage === "deleted"))) {
        items.push(model);
      }
    }
  }
  items.sort((a, b) => b.creationTimestamp - a.creationTimestamp || (a.modelId < b.modelId ? -1 : 1));
  return { items, problems };
}

/** Options of {@link createLoggedModel}. */
export interface CreateLoggedModelOptions {
  /** The experiment the model belongs to. */
  readonly experimentId: string;
  /** The model's name, e.g. `model_logistic` (what `runs:/<run_id>/<name>` refers to). */
  readonly name: string;
  /** The run that produced it. */
  readonly sourceRunId?: string;
  /** A free-form model type. */
  readonly modelType?: string;
  /** Params recorded on the model. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Tags recorded on the model (the `mlflow.user`/`mlflow.source.*` defaults can be overridden). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Creates a PENDING logged model (MLflow 3's `create_logged_model`); fill its
 * artifacts, then {@link finalizeLoggedModel}.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 * import type { Run } from "./entities.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * declare const run: Run; // the training run
 * const model = await createLoggedModel(context, {
 *   experimentId: run.info.experimentId,
 *   name: "model_logistic",
 *   sourceRunId: run.info.runId,
 * });
 * ```
 */
export async function createLoggedModel(
  context: StoreContext,
  options: CreateLoggedModelOptions,
): Promise<LoggedModel> {
  validateLoggedModelName(options.name);
  if (options.sourceRunId !== undefined) validateRunId(options.sourceRunId);
  const tags = {
    "mlflow.user": context.userId,
    "mlflow.source.name": context.sourceName,
    "mlflow.source.type": "LOCAL",
    ...options.tags,
  };
  validateTags(tags);
  const params = Object.entries(options.params ?? {}).map(([key, value]) => [key, paramText(key, value)] as const);
  const experimentLocation = await findExperiment(context, options.experimentId);
  if (!experimentLocation || experimentLocation.inTrash) {
    throw new TrackingError(
      "RESOURCE_DOES_NOT_EXIST",
      `experiment '${options.experimentId}' does not exist or is deleted`,
    );
  }
  const experiment = await readExperiment(experimentLocation);
  await initializeStore(context);
  const modelId = `m-${crypto.randomUUID().replaceAll("-", "")}`;
  const now = context.now();
  const fields = {
    artifact_location: appendToUri(experiment.artifactLocation, "models", modelId, "artifacts"),
    creation_timestamp: now,
    experiment_id: options.experimentId,
    last_updated_timestamp: now,
    lifecycle_stage: "active",
    model_id: modelId,
    model_type: options.modelType ?? null,
    name: options.name,
    source_run_id: options.sourceRunId ?? null,
    status: LOGGED_MODEL_STATUS_CODES.PENDING,
    status_message: null,
  };
  const dir = join(experimentLocation.dir, "models", modelId);
  await createFolderAtomically(context, dir, async (staging) => {
    await writeMetaFile(join(staging, "meta.yaml"), fields);
    for (const [key, value] of params) await writeFileAtomic(join(staging, "params", key), value, staging);
    for (const [key, value] of Object.entries(tags)) await writeFileAtomic(join(staging, "tags", key), value, staging);
  });
  return readLoggedModel({ modelId, experimentId: options.experimentId, dir });
}

/**
 * Sets a logged model's final status (MLflow's `finalize_logged_model`): the
 * meta.yaml is rewritten without `lifecycle_stage`, as MLflow does.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const location = await findLoggedModel(context, "m-d2cbb33c40c84b7584bff0a6340829a8");
 * await finalizeLoggedModel(context, location, "READY");
 * ```
 */
export async function finalizeLoggedModel(
  context: StoreContext,
  location: LoggedModelLocation,
  status: LoggedModelStatus,
  statusMessage: string | null = null,
): Promise<LoggedModel> {
  const meta = await requireMetaFile(join(location.dir, "meta.yaml"));
  const { lifecycle_stage: _dropped, ...fields } = meta.values;
  await writeMetaFile(join(location.dir, "meta.yaml"), {
    ...fields,
    last_updated_timestamp: context.now(),
    status: LOGGED_MODEL_STATUS_CODES[status],
    status_message: statusMessage,
  }, location.dir);
  return readLoggedModel(location);
}

/**
 * Appends metric values to a logged model (`<ts> <value> <step> <run_id>` lines).
 *
 * @example
 * ```ts
 * declare const location: LoggedModelLocation; // from findLoggedModel
 *
 * const runId = "c705528894b5469ebd076e089e2f92ae"; // the run that logged the value
 * await logModelMetrics(location, [{ key: "auc", value: 0.9, timestamp: Date.now(), step: 0, runId }]);
 * ```
 */
export async function logModelMetrics(
  location: LoggedModelLocation,
  metrics: readonly LoggedModelMetric[],
): Promise<void> {
  for (const metric of metrics) {
    validateMetric(metric);
    validateRunId(metric.runId);
  }
  for (const metric of metrics) {
    await appendText(join(location.dir, "metrics", metric.key), formatModelMetricLine(metric), location.dir);
  }
}

/**
 * The artifact root of a logged model: its recorded location, and its
 * default folder inside the store.
 *
 * @example
 * ```ts
 * import { artifactReadRoot } from "./artifacts.ts";
 *
 * declare const location: LoggedModelLocation; // from findLoggedModel
 * const model = await readLoggedModel(location);
 * await artifactReadRoot(loggedModelArtifactRoot(model, location)); // ".../models/m-.../artifacts"
 * ```
 */
export function loggedModelArtifactRoot(model: LoggedModel, location: LoggedModelLocation): ArtifactRoot {
  return { recordedUri: model.artifactLocation, storeDefault: join(location.dir, "artifacts") };
}

async function readModelMetrics(dir: string): Promise<LoggedModelMetric[]> {
  const metricsDir = join(dir, "metrics");
  const keys = await listFilesRecursive(metricsDir);
  const all = await Promise.all(keys.map(async (key) => {
    const path = join(metricsDir, key);
    validateStoredKey("metric", key, path);
    return parseModelMetricFile((await readTextIfExists(path)) ?? "", key, path);
  }));
  return all.flat();
}

function statusFromCode(meta: MetaFields): LoggedModelStatus {
  const code = meta.optionalInt("status") ?? LOGGED_MODEL_STATUS_CODES.READY;
  const status = (Object.keys(LOGGED_MODEL_STATUS_CODES) as LoggedModelStatus[])
    .find((name) => LOGGED_MODEL_STATUS_CODES[name] === code);
  return status ?? meta.fail("status", "a logged model status code 0-3", code);
}
