/**
 * `Tracking`: what the application, its commands and the notebooks ask of an
 * MLflow tracking store and model registry, whichever backend holds it (the
 * local file store, {@link TrackingClient}, or a tracking server over REST,
 * `RestTracking`). {@link openTracking} picks the backend from the URI.
 *
 * @module
 */
import type { AliasExpectation } from "./registry.ts";
import type {
  ArtifactInfo,
  Experiment,
  Listing,
  LoggedModel,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunStatus,
  ViewType,
} from "./entities.ts";
import type { CreateRunOptions, ParamValue } from "./runs.ts";
import type { InputExample, ModelSignature } from "./mlmodel.ts";

/** Options of {@link Tracking.logMetric}. */
export interface LogMetricOptions {
  /** The training step (default 0). */
  readonly step?: number;
  /** Default: now. */
  readonly timestamp?: number;
  /** Also record the value on this logged model (MLflow 3's `model_id`). */
  readonly modelId?: string;
}

/** A batch for {@link Tracking.logBatch}. */
export interface MetricBatch {
  /** Metric values (timestamp default now, step default 0). */
  readonly metrics?: readonly { key: string; value: number; timestamp?: number; step?: number }[];
  /** Params (immutable once logged). */
  readonly params?: readonly { key: string; value: ParamValue }[];
  /** Tags (`mlflow.runName` renames the run). */
  readonly tags?: readonly { key: string; value: string }[];
}

/** Options of {@link Tracking.searchRuns}. */
export interface SearchRunsOptions {
  /** Default: every active experiment. */
  readonly experimentIds?: readonly string[];
  /** MLflow filter syntax, e.g. `metrics.auc > 0.8 and params.model_type = 'logistic'`. */
  readonly filter?: string;
  /** E.g. `["metrics.auc DESC"]`. */
  readonly orderBy?: readonly string[];
  /** Default 1000, as MLflow. */
  readonly maxResults?: number;
  /** Which lifecycle stages to include (default: active only). */
  readonly viewType?: ViewType;
  /**
   * Only these keys in each run's `data` (`metrics.auc`, `params.C`,
   * `tags.mlflow.parentRunId`; default: every key, and the model outputs).
   * A file store then reads only these files, so a table over thousands of
   * runs never loads every metric history; a server's runs are trimmed to them.
   */
  readonly columns?: readonly string[];
}

/** Options of {@link Tracking.logModel}. */
export interface LogModelOptions {
  /** The run that produced the model (its experiment holds the model). */
  readonly runId: string;
  /** The model's name, e.g. `model_logistic`; `runs:/<runId>/<name>` then resolves to it. */
  readonly name: string;
  /** The model itself: our models are a JSON bundle file. */
  readonly bundle: { readonly fileName?: string; readonly content: string | Uint8Array };
  /** Extra keys of the `ts_json_bundle` flavor (e.g. the model kind and bundle format version). */
  readonly flavorConfig?: Readonly<Record<string, unknown>>;
  /** Other files to store beside the bundle. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** The input and output columns, stored in MLmodel. */
  readonly signature?: ModelSignature;
  /** An example input, stored as `input_example.json` and `serving_input_payload.json`. */
  readonly inputExample?: InputExample;
  /** Params recorded on the logged model. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** A free-form model type. */
  readonly modelType?: string;
  /** Tags recorded on the logged model. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Free-form metadata stored under `metadata` in MLmodel. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The run output's step (default 0). */
  readonly step?: number;
}

/** Options of {@link Tracking.registerModel}. */
export interface CreateModelVersionOptions {
  /** The logged model this version is (inferred from a `models:/m-...` source). */
  readonly modelId?: string;
  /** Tags of the new version. */
  readonly tags?: Readonly<Record<string, string>>;
  /** A description of the version. */
  readonly description?: string;
  /** A link to the source run. */
  readonly runLink?: string;
}

/** A tracking store and model registry: the operations the application uses, on either backend. */
export interface Tracking {
  /** The tracking URI this store was opened with (a server's without any credentials it carried). */
  readonly trackingUri: string;
  /** Where the store is, for messages: a folder, or the server's URL (never with credentials). */
  readonly location: string;
  /** Requests sent to a tracking server so far, retries included (REST backend only: a file store sends none). */
  readonly requestCount?: number;

  /** True when the store exists (a file store's folder; a server that answers). */
  exists(): Promise<boolean>;

  /** Returns the experiment with this name, creating it if needed (`mlflow.set_experiment`). */
  getOrCreateExperiment(name: string): Promise<Experiment>;
  /** Reads an experiment by id (active or deleted); RESOURCE_DOES_NOT_EXIST if there is none. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Lists experiments; unreadable ones are in `problems`. */
  listExperiments(viewType?: ViewType): Promise<Listing<Experiment>>;

  /** Creates a RUNNING run (nested when `parentRunId` is given). */
  createRun(options?: CreateRunOptions): Promise<Run>;
  /** Reads a run: info, latest metrics, params, tags, model outputs. */
  getRun(runId: string): Promise<Run>;
  /** Logs several params (immutable once logged). */
  logParams(runId: string, params: Readonly<Record<string, ParamValue>>): Promise<void>;
  /** Appends a value to a metric's history (default step 0, timestamp now). */
  logMetric(runId: string, key: string, value: number, options?: LogMetricOptions): Promise<void>;
  /** Logs several metrics at one step and timestamp. */
  logMetrics(runId: string, metrics: Readonly<Record<string, number>>, options?: LogMetricOptions): Promise<void>;
  /** Logs metrics, params and tags together. */
  logBatch(runId: string, batch: MetricBatch): Promise<void>;
  /** Sets a run tag (`mlflow.runName` also renames the run). */
  setTag(runId: string, key: string, value: string): Promise<void>;
  /** Ends a run with a status (default FINISHED) and end time (default now). */
  setTerminated(runId: string, status?: RunStatus, endTime?: number): Promise<void>;
  /** Every logged value of a metric, in logging order. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** Searches runs with MLflow's filter and order syntax. */
  searchRuns(options?: SearchRunsOptions): Promise<Listing<Run>>;

  /** Copies a local file into the run's artifacts, under `artifactPath`. */
  logArtifact(runId: string, localFile: string, artifactPath?: string): Promise<string>;
  /** Lists one level of a run's artifacts. */
  listArtifacts(runId: string, path?: string): Promise<ArtifactInfo[]>;
  /** Reads a run artifact's bytes. */
  readArtifact(runId: string, path: string): Promise<Uint8Array>;
  /** Reads a run artifact as UTF-8 text. */
  readArtifactText(runId: string, path: string): Promise<string>;

  /** Logs a model the MLflow 3 way: a logged model linked to its run, holding `MLmodel` and the bundle. */
  logModel(options: LogModelOptions): Promise<LoggedModel>;
  /** Reads a logged model. */
  getLoggedModel(modelId: string): Promise<LoggedModel>;

  /** Like `mlflow.register_model`: creates the registered model if needed, then a version. */
  registerModel(
    name: string,
    source: string,
    runId?: string | null,
    modelIdOrOptions?: string | CreateModelVersionOptions,
  ): Promise<ModelVersion>;
  /** Creates a registered model; RESOURCE_ALREADY_EXISTS if the name is taken. */
  createRegisteredModel(
    name: string,
    options?: { tags?: Readonly<Record<string, string>>; description?: string },
  ): Promise<RegisteredModel>;
  /** Reads a registered model (tags and aliases included). */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** Lists registered models; unreadable ones are in `problems`. */
  listRegisteredModels(): Promise<Listing<RegisteredModel>>;
  /** Lists a registered model's versions in version order. */
  listModelVersions(name: string): Promise<Listing<ModelVersion>>;
  /** Reads one model version. */
  getModelVersion(name: string, version: number | string): Promise<ModelVersion>;
  /** The version an alias points at. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** Points an alias at a version. */
  setAlias(name: string, alias: string, version: number | string): Promise<void>;
  /**
   * Points `alias` at `version` only if `expected.alias` still points at
   * `expected.version` (`null`: not set), atomically with respect to other
   * compare-and-sets on the model; returns whether it did. Promotions decide
   * outside any lock and commit with this, deciding again on `false`.
   */
  compareAndSetAlias(
    name: string,
    alias: string,
    version: number | string,
    expected: AliasExpectation,
  ): Promise<boolean>;
  /** Sets a registered model tag. */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  /** Deletes a registered model tag. */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  /** Sets a model version tag. */
  setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void>;

  /**
   * A local folder (or file) holding what `models:/...`, `runs:/...` or a
   * `file:` URI names; a server's artifacts are downloaded first.
   */
  resolveLocalPath(uri: string): Promise<string>;
}
