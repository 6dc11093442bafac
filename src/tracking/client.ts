/**
 * `TrackingClient`: the TypeScript counterpart of MLflow's `MlflowClient`
 * over a `file:` tracking URI, reading and writing MLflow's `mlruns` layout.
 *
 * @module
 */
import { join } from "node:path";
import {
  artifactReadRoot,
  type ArtifactRoot,
  artifactWriteRoot,
  copyFileToArtifacts,
  listArtifactsIn,
  readArtifactFile,
  writeArtifactBytes,
} from "./artifacts.ts";
import type {
  ArtifactInfo,
  Experiment,
  Listing,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunStatus,
  ViewType,
} from "./entities.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import {
  createExperiment,
  type CreateExperimentOptions,
  getExperiment,
  getExperimentByName,
  getOrCreateExperiment,
  listExperiments,
} from "./experiments.ts";
import {
  createLoggedModel,
  type CreateLoggedModelOptions,
  finalizeLoggedModel,
  findLoggedModel,
  loggedModelArtifactRoot,
  type LoggedModelLocation,
  logModelMetrics,
  readLoggedModel,
} from "./logged_models.ts";
import { loggedModelFiles } from "./model_files.ts";
import { parseArtifactUri, resolveArtifactUri } from "./model_uri.ts";
import {
  type AliasExpectation,
  compareAndSetAlias,
  createModelVersion,
  createRegisteredModel,
  getLatestVersions,
  getModelVersion,
  getModelVersionByAlias,
  getRegisteredModel,
  listModelVersions,
  listRegisteredModels,
  setModelVersionTag,
  setRegisteredModelTag,
} from "./registry.ts";
import {
  assertRunActive,
  createRun,
  type CreateRunOptions,
  findRun,
  logMetrics,
  logParams,
  paramText,
  type ParamValue,
  readMetricHistory,
  readRun,
  readRunInfo,
  rewriteRunInfo,
  type RunLocation,
  setTags,
  validateMetric,
  validateTags,
  writeModelOutput,
} from "./runs.ts";
import { relocateCopiedStore } from "./relocate.ts";
import { searchStoreRuns } from "./run_search.ts";
import { ParsedFileCache } from "./file_cache.ts";
import { createStoreContext, type StoreContext } from "./store_context.ts";
import { isDirectory } from "./store_fs.ts";
import { resolveTrackingUri, trackingRootPath } from "./uri.ts";
import { LIMITS } from "./validation.ts";
import type {
  CreateModelVersionOptions,
  LogMetricOptions,
  LogModelOptions,
  MetricBatch,
  SearchRunsOptions,
  Tracking,
} from "./tracking.ts";

export type { CreateModelVersionOptions, LogMetricOptions, LogModelOptions, MetricBatch, SearchRunsOptions };

/** How to open a store. */
export interface TrackingClientOptions {
  /** Default: `MLFLOW_TRACKING_URI`, else `file:./mlruns` (see {@link resolveTrackingUri}). */
  readonly trackingUri?: string;
  /** The clock for timestamps (ms); injectable for tests. */
  readonly now?: () => number;
  /** The `user_id` of new runs (default: the OS user, like MLflow). */
  readonly userId?: string;
  /** The `mlflow.source.name` tag of new runs (default: the main script). */
  readonly sourceName?: string;
}

/**
 * A client for an MLflow file store (`mlruns`). Reads never write to the
 * store; the first write creates the root, `.trash/`, `models/` and, when a
 * run needs it, the `Default` experiment `0`. The first write that follows a
 * recorded artifact location relocates a copied or moved store first (see
 * `relocate.ts`), with a notice, so that nothing is written into the original.
 *
 * @example
 * ```ts
 * const client = new TrackingClient({ trackingUri: `file:${await Deno.makeTempDir()}/mlruns` });
 * const experiment = await client.getOrCreateExperiment("Customer_Conversion_Scorecard");
 * const parent = await client.createRun({ experimentId: experiment.experimentId, runName: "Manual-Run" });
 * const child = await client.createRun({
 *   experimentId: experiment.experimentId,
 *   runName: "LogisticRegression",
 *   parentRunId: parent.info.runId,
 * });
 * await client.logParams(child.info.runId, { model_type: "logistic", C: 1 });
 * await client.logMetric(child.info.runId, "auc", 0.91);
 * await client.setTerminated(child.info.runId, "FINISHED");
 * const { items } = await client.searchRuns({ filter: "metrics.auc > 0.8", orderBy: ["metrics.auc DESC"] });
 * items[0].info.runName; // "LogisticRegression"
 * ```
 */
export class TrackingClient implements Tracking {
  /** The tracking URI this client was opened with. */
  readonly trackingUri: string;
  /** The store's root folder (absolute). */
  readonly root: string;
  readonly #context: StoreContext;
  /** Parsed run files reused by searches while unchanged (see src/tracking/file_cache.ts). */
  readonly #searchCache = new ParsedFileCache();
  #relocation?: Promise<void>;

  /** Opens the store named by `options.trackingUri` (nothing is read or written yet). */
  constructor(options: TrackingClientOptions = {}) {
    this.trackingUri = resolveTrackingUri(options.trackingUri);
    this.root = trackingRootPath(this.trackingUri);
    this.#context = createStoreContext(this.root, options);
  }

  /** The store's root folder, for messages. */
  get location(): string {
    return this.root;
  }

  /** True when the store's root folder exists. */
  exists(): Promise<boolean> {
    return isDirectory(this.root);
  }

  // --- experiments ---

  /** Creates an experiment and returns its id. */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<string> {
    return createExperiment(this.#context, name, options);
  }

  /** Gets an experiment by id (active or deleted). */
  getExperiment(experimentId: string): Promise<Experiment> {
    return getExperiment(this.#context, experimentId);
  }

  /** Finds an active experiment by name, or `null`. */
  getExperimentByName(name: string): Promise<Experiment | null> {
    return getExperimentByName(this.#context, name);
  }

  /** Returns the experiment with this name, creating it if needed (`mlflow.set_experiment`). */
  getOrCreateExperiment(name: string): Promise<Experiment> {
    return getOrCreateExperiment(this.#context, name);
  }

  /** Lists experiments, newest first; unreadable ones are in `problems`. */
  listExperiments(viewType: ViewType = "ACTIVE_ONLY"): Promise<Listing<Experiment>> {
    return listExperiments(this.#context, viewType);
  }

  // --- runs ---

  /** Creates a RUNNING run (nested when `parentRunId` is given). */
  async createRun(options: CreateRunOptions = {}): Promise<Run> {
    await this.#relocateIfCopied();
    return createRun(this.#context, options);
  }

  /** Reads a run: info, latest metrics, params, tags, model outputs. */
  async getRun(runId: string): Promise<Run> {
    return readRun(await findRun(this.#context, runId));
  }

  /** Logs several params. */
  async logParams(runId: string, params: Readonly<Record<string, ParamValue>>): Promise<void> {
    const location = await this.#activeRun(runId);
    await logParams(location, Object.entries(params));
  }

  /** Appends a value to a metric's history (default step 0, timestamp now). */
  async logMetric(runId: string, key: string, value: number, options: LogMetricOptions = {}): Promise<void> {
    const location = await this.#activeRun(runId);
    const metric = { key, value, step: options.step ?? 0, timestamp: options.timestamp ?? this.#context.now() };
    validateMetric(metric);
    if (options.modelId !== undefined) {
      const model = await findLoggedModel(this.#context, options.modelId);
      await logMetrics(location, [metric]);
      await logModelMetrics(model, [{ ...metric, runId }]);
    } else {
      await logMetrics(location, [metric]);
    }
  }

  /** Logs several metrics at one step and timestamp. */
  async logMetrics(
    runId: string,
    metrics: Readonly<Record<string, number>>,
    options: LogMetricOptions = {},
  ): Promise<void> {
    const timestamp = options.timestamp ?? this.#context.now();
    for (const [key, value] of Object.entries(metrics)) {
      await this.logMetric(runId, key, value, { ...options, timestamp });
    }
  }

  /** Logs metrics, params and tags together; everything is validated before anything is written. */
  async logBatch(runId: string, batch: MetricBatch): Promise<void> {
    const now = this.#context.now();
    const metrics: Metric[] = (batch.metrics ?? []).map((metric) => ({
      key: metric.key,
      value: metric.value,
      step: metric.step ?? 0,
      timestamp: metric.timestamp ?? now,
    }));
    const params = batch.params ?? [];
    const tags = Object.fromEntries((batch.tags ?? []).map((tag) => [tag.key, tag.value]));
    checkBatchLimits(metrics.length, params.length, (batch.tags ?? []).length);
    metrics.forEach(validateMetric);
    params.forEach((param) => paramText(param.key, param.value));
    validateTags(tags);
    const duplicates = params.map((param) => param.key).filter((key, index, keys) => keys.indexOf(key) !== index);
    if (duplicates.length > 0) {
      throw new TrackingError("INVALID_PARAMETER_VALUE", `duplicate param keys in batch: ${duplicates.join(", ")}`);
    }
    const location = await this.#activeRun(runId);
    await logParams(location, params.map((param) => [param.key, param.value]));
    await logMetrics(location, metrics);
    await setTags(location, tags);
  }

  /** Sets a tag (`mlflow.runName` also renames the run). */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await setTags(await this.#activeRun(runId), { [key]: value });
  }

  /** Ends a run with a status (default FINISHED) and end time (default now). */
  async setTerminated(runId: string, status: RunStatus = "FINISHED", endTime?: number): Promise<void> {
    const location = await this.#activeRun(runId);
    await rewriteRunInfo(location, (info) => ({ ...info, status, endTime: endTime ?? this.#context.now() }));
  }

  /** Every logged value of a metric, in logging order. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return readMetricHistory(await findRun(this.#context, runId), key);
  }

  /**
   * Searches runs with MLflow's filter and order syntax, reading only what
   * the filter, order and columns need (src/tracking/run_search.ts). Unreadable
   * runs are skipped and reported in `problems`.
   */
  searchRuns(options: SearchRunsOptions = {}): Promise<Listing<Run>> {
    return searchStoreRuns(this.#context, this.#searchCache, options);
  }

  // --- artifacts ---

  /** The local folder holding a run's artifacts (the copy inside the store if the recorded one is absent). */
  async getArtifactDir(runId: string): Promise<string> {
    return artifactReadRoot(await this.#runArtifactRoot(runId));
  }

  /** Copies a local file into the run's artifacts, under `artifactPath`. */
  async logArtifact(runId: string, localFile: string, artifactPath = ""): Promise<string> {
    return copyFileToArtifacts(artifactWriteRoot(await this.#runArtifactRoot(runId, true)), localFile, artifactPath);
  }

  /** Lists one level of a run's artifacts. */
  async listArtifacts(runId: string, path = ""): Promise<ArtifactInfo[]> {
    return listArtifactsIn(await this.getArtifactDir(runId), path);
  }

  /** Reads a run artifact's bytes. */
  async readArtifact(runId: string, path: string): Promise<Uint8Array> {
    return readArtifactFile(await this.getArtifactDir(runId), path);
  }

  /** Reads a run artifact as UTF-8 text. */
  async readArtifactText(runId: string, path: string): Promise<string> {
    return new TextDecoder().decode(await this.readArtifact(runId, path));
  }

  // --- logged models (MLflow 3) ---

  /** Creates a PENDING logged model; add files with {@link logModelArtifacts}, then {@link finalizeLoggedModel}. */
  async #createLoggedModel(options: CreateLoggedModelOptions): Promise<LoggedModel> {
    await this.#relocateIfCopied();
    return createLoggedModel(this.#context, options);
  }

  /** Writes files (name to content) into a logged model's artifacts. */
  async #logModelArtifacts(modelId: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
    await this.#relocateIfCopied();
    const { model, location } = await this.#loggedModel(modelId);
    const dir = artifactWriteRoot(loggedModelArtifactRoot(model, location));
    for (const [name, content] of Object.entries(files)) await writeArtifactBytes(dir, name, content);
  }

  /** Sets a logged model's final status (READY or FAILED). */
  async #finalizeLoggedModel(modelId: string, status: LoggedModelStatus, statusMessage?: string): Promise<LoggedModel> {
    return finalizeLoggedModel(this.#context, await findLoggedModel(this.#context, modelId), status, statusMessage);
  }

  /**
   * Logs a model the MLflow 3 way: a logged model linked to its run (run
   * output), holding `MLmodel` (flavor `ts_json_bundle`, signature, input
   * example), the JSON bundle and any extra files; READY when complete,
   * FAILED (and rethrown) when writing fails.
   */
  async logModel(options: LogModelOptions): Promise<LoggedModel> {
    const runLocation = await this.#activeRun(options.runId);
    const model = await this.#createLoggedModel({
      experimentId: runLocation.experimentId,
      name: options.name,
      sourceRunId: options.runId,
      modelType: options.modelType,
      params: options.params,
      tags: options.tags,
    });
    try {
      const files = loggedModelFiles(options, model);
      await this.#logModelArtifacts(model.modelId, files);
      await writeModelOutput(runLocation, model.modelId, options.step ?? 0);
      return await this.#finalizeLoggedModel(model.modelId, "READY");
    } catch (error) {
      await this.#finalizeLoggedModel(model.modelId, "FAILED", (error as Error).message).catch(() => {});
      throw error;
    }
  }

  /** Reads a logged model (params, tags, metrics included). */
  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return (await this.#loggedModel(modelId)).model;
  }

  // --- model registry ---

  /** Creates a registered model. */
  createRegisteredModel(
    name: string,
    options?: { tags?: Readonly<Record<string, string>>; description?: string },
  ): Promise<RegisteredModel> {
    return createRegisteredModel(this.#context, name, options);
  }

  /** Reads a registered model (tags and aliases included). */
  getRegisteredModel(name: string): Promise<RegisteredModel> {
    return getRegisteredModel(this.#context, name);
  }

  /** Lists registered models; unreadable ones are in `problems`. */
  listRegisteredModels(): Promise<Listing<RegisteredModel>> {
    return listRegisteredModels(this.#context);
  }

  /**
   * Registers a new version of `name` from `source` (`runs:/...`,
   * `models:/m-...`, `models:/NAME/VERSION` or a file URI); the version number
   * is allocated under the model's lock. The last argument is the logged
   * model id, or options (`modelId`, `tags`, `description`, `runLink`).
   */
  async createModelVersion(
    name: string,
    source: string,
    runId?: string | null,
    modelIdOrOptions: string | CreateModelVersionOptions = {},
  ): Promise<ModelVersion> {
    await this.#relocateIfCopied();
    const options = typeof modelIdOrOptions === "string" ? { modelId: modelIdOrOptions } : modelIdOrOptions;
    const parsed = parseArtifactUri(source);
    let storageLocation = source;
    let modelId = options.modelId ?? null;
    if (parsed.kind === "logged-model") {
      storageLocation = (await this.getLoggedModel(parsed.modelId)).artifactLocation;
      modelId ??= parsed.modelId;
    } else if (parsed.kind !== "run-artifact" && parsed.kind !== "file") {
      storageLocation = await this.#getModelVersionDownloadUri(source);
    }
    return createModelVersion(this.#context, {
      name,
      source,
      storageLocation,
      runId: runId ?? (parsed.kind === "run-artifact" ? parsed.runId : null),
      modelId,
      runLink: options.runLink,
      description: options.description,
      tags: options.tags,
    });
  }

  /** Like `mlflow.register_model`: creates the registered model if needed, then a version. */
  async registerModel(
    name: string,
    source: string,
    runId?: string | null,
    modelIdOrOptions?: string | CreateModelVersionOptions,
  ): Promise<ModelVersion> {
    try {
      await this.createRegisteredModel(name);
    } catch (error) {
      if (!isTrackingError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
    }
    return this.createModelVersion(name, source, runId, modelIdOrOptions);
  }

  /** Reads one model version. */
  getModelVersion(name: string, version: number | string): Promise<ModelVersion> {
    return getModelVersion(this.#context, name, version);
  }

  /** Lists a registered model's versions in version order. */
  listModelVersions(name: string): Promise<Listing<ModelVersion>> {
    return listModelVersions(this.#context, name);
  }

  /** Points an alias at a version. */
  async setAlias(name: string, alias: string, version: number | string): Promise<void> {
    await compareAndSetAlias(this.#context, name, alias, version);
  }

  /**
   * Points `alias` at `version` only if `expected.alias` still points at
   * `expected.version` (`null`: is not set), atomically with respect to other
   * registry changes of the model; returns whether it did. Promotion decisions
   * taken outside the registry lock commit with it, and decide again on `false`.
   */
  compareAndSetAlias(
    name: string,
    alias: string,
    version: number | string,
    expected: AliasExpectation,
  ): Promise<boolean> {
    return compareAndSetAlias(this.#context, name, alias, version, expected);
  }

  /** The version an alias points at. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return getModelVersionByAlias(this.#context, name, alias);
  }

  /** Sets a registered model tag. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    return setRegisteredModelTag(this.#context, name, key, value);
  }

  /** Deletes a registered model tag. */
  deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return setRegisteredModelTag(this.#context, name, key, undefined);
  }

  /** Sets a model version tag. */
  setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> {
    return setModelVersionTag(this.#context, name, version, key, value);
  }

  /** The URI a `models:/` URI downloads from (the version's `storage_location`, else its `source`). */
  async #getModelVersionDownloadUri(modelUri: string): Promise<string> {
    const parsed = parseArtifactUri(modelUri);
    const version = parsed.kind === "model-version"
      ? await this.getModelVersion(parsed.name, parsed.version)
      : parsed.kind === "model-alias"
      ? await this.getModelVersionByAlias(parsed.name, parsed.alias)
      : parsed.kind === "model-stage"
      ? (await getLatestVersions(this.#context, parsed.name, [parsed.stage]))[0]
      : parsed.kind === "model-latest"
      ? (await this.listModelVersions(parsed.name)).items.at(-1)
      : undefined;
    if (!version) throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `no registered model version for ${modelUri}`);
    return version.storageLocation || version.source;
  }

  // --- URIs ---

  /**
   * Resolves `models:/NAME@ALIAS`, `models:/NAME/VERSION`, `models:/NAME/STAGE`,
   * `models:/m-<id>`, `runs:/RUN_ID/PATH` or a `file:` URI to a local folder or file.
   */
  resolveLocalPath(uri: string): Promise<string> {
    return resolveArtifactUri(this.#context, uri);
  }

  async #activeRun(runId: string): Promise<RunLocation> {
    const location = await findRun(this.#context, runId);
    await assertRunActive(location);
    return location;
  }

  /**
   * Before the first write that follows a recorded location: a copied or
   * moved store is relocated, so that nothing is written into the original.
   */
  #relocateIfCopied(): Promise<void> {
    this.#relocation ??= relocateCopiedStore(this.#context).catch((error) => {
      this.#relocation = undefined;
      throw error;
    });
    return this.#relocation;
  }

  async #runArtifactRoot(runId: string, forWriting = false): Promise<ArtifactRoot> {
    if (forWriting) await this.#relocateIfCopied();
    const location = await findRun(this.#context, runId);
    const info = forWriting ? await assertRunActive(location) : await readRunInfo(location);
    return { recordedUri: info.artifactUri, storeDefault: join(location.dir, "artifacts") };
  }

  async #loggedModel(modelId: string): Promise<{ model: LoggedModel; location: LoggedModelLocation }> {
    const location = await findLoggedModel(this.#context, modelId);
    return { model: await readLoggedModel(location), location };
  }
}

function checkBatchLimits(metrics: number, params: number, tags: number): void {
  const over = metrics > LIMITS.batchMetrics
    ? `${metrics} metrics (max ${LIMITS.batchMetrics})`
    : params > LIMITS.batchParamsTags
    ? `${params} params (max ${LIMITS.batchParamsTags})`
    : tags > LIMITS.batchParamsTags
    ? `${tags} tags (max ${LIMITS.batchParamsTags})`
    : metrics + params + tags > LIMITS.batchEntities
    ? `${metrics + params + tags} entries (max ${LIMITS.batchEntities})`
    : undefined;
  if (over) throw new TrackingError("INVALID_PARAMETER_VALUE", `a batch can hold at most: ${over}; split it`);
}
