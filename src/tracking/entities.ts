/**
 * The tracking store's entities, as the client returns them: MLflow's
 * entities (`mlflow/entities/...`) with TypeScript naming. Timestamps are
 * milliseconds since the Unix epoch.
 *
 * @module
 */

/** A run's status; stored in meta.yaml as MLflow's integer enum. */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

/** Whether an experiment, run or logged model is active or (soft-)deleted. */
export type LifecycleStage = "active" | "deleted";

/** Which entities a listing returns, by lifecycle stage. */
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** MLflow's integer codes for run statuses (`RunStatus` in `service.proto`). */
export const RUN_STATUS_CODES: Readonly<Record<RunStatus, number>> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};

/** An experiment (`<root>/<experiment_id>/meta.yaml` plus `tags/`). */
export interface Experiment {
  /** The experiment's id, also its folder name. */
  readonly experimentId: string;
  /** The experiment's name (unique among experiments). */
  readonly name: string;
  /** The URI as recorded (MLflow writes an absolute `file:` URI). */
  readonly artifactLocation: string;
  /** `active`, or `deleted` for a soft-deleted entity. */
  readonly lifecycleStage: LifecycleStage;
  /** When it was created (ms), `null` if not recorded. */
  readonly creationTime: number | null;
  /** When it last changed (ms), `null` if not recorded. */
  readonly lastUpdateTime: number | null;
  /** Experiment tags (`<experiment>/tags/<key>`). */
  readonly tags: Readonly<Record<string, string>>;
}

/** A run's metadata (`<run>/meta.yaml`). */
export interface RunInfo {
  /** The run's id (32 hex digits), also its folder name. */
  readonly runId: string;
  /** The run's name (meta.yaml `run_name`, kept equal to the `mlflow.runName` tag). */
  readonly runName: string;
  /** The experiment's id, also its folder name. */
  readonly experimentId: string;
  /** Who ran it (MLflow: the OS user). */
  readonly userId: string;
  /** RUNNING until ended; a killed process leaves RUNNING. */
  readonly status: RunStatus;
  /** When the run started (ms). */
  readonly startTime: number;
  /** When the run ended (ms), `null` while it runs (or if it was killed). */
  readonly endTime: number | null;
  /** The URI as recorded. */
  readonly artifactUri: string;
  /** `active`, or `deleted` for a soft-deleted entity. */
  readonly lifecycleStage: LifecycleStage;
}

/** One logged value of a metric. */
export interface Metric {
  /** The metric's name. */
  readonly key: string;
  /** The value (NaN and infinities allowed). */
  readonly value: number;
  /** When the value was logged (ms). */
  readonly timestamp: number;
  /** The training step (0 when not given). */
  readonly step: number;
  /** Set for values logged against a dataset (5-field run lines, 6-field model lines). */
  readonly datasetName?: string;
  /** The dataset's digest, with `datasetName`. */
  readonly datasetDigest?: string;
}

/** A run's latest metric values, params and tags. */
export interface RunData {
  /** The latest value of each metric: the one with the largest (step, timestamp, value). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Params: immutable once logged. */
  readonly params: Readonly<Record<string, string>>;
  /** Run tags, including `mlflow.runName`, `mlflow.parentRunId`, `mlflow.user`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A model a run produced (MLflow 3 run output, `<run>/outputs/<model_id>/meta.yaml`). */
export interface ModelOutput {
  /** The logged model's id (`m-` + 32 hex digits). */
  readonly modelId: string;
  /** The step at which the model was output. */
  readonly step: number;
}

/** A run with its data and outputs. */
export interface Run {
  /** The run's metadata. */
  readonly info: RunInfo;
  /** The run's latest metrics, params and tags. */
  readonly data: RunData;
  /** The logged models the run produced. */
  readonly outputs: { readonly modelOutputs: readonly ModelOutput[] };
}

/** A logged model's status; stored as MLflow's integer enum. */
export type LoggedModelStatus = "UNSPECIFIED" | "PENDING" | "READY" | "FAILED";

/** MLflow's integer codes for logged-model statuses (`logged_model_status.py`). */
export const LOGGED_MODEL_STATUS_CODES: Readonly<Record<LoggedModelStatus, number>> = {
  UNSPECIFIED: 0,
  PENDING: 1,
  READY: 2,
  FAILED: 3,
};

/** A metric value recorded on a logged model (`<ts> <value> <step> <run_id>` lines). */
export interface LoggedModelMetric extends Metric {
  /** The run that logged the value. */
  readonly runId: string;
}

/** An MLflow 3 logged model (`<experiment>/models/<model_id>/`). */
export interface LoggedModel {
  /** The model's id (`m-` + 32 hex digits), also its folder name. */
  readonly modelId: string;
  /** The experiment's id, also its folder name. */
  readonly experimentId: string;
  /** The model's name, e.g. `model_logistic`; `runs:/<run id>/<name>` refers to it. */
  readonly name: string;
  /** The URI as recorded. */
  readonly artifactLocation: string;
  /** When it was created (ms). */
  readonly creationTimestamp: number;
  /** When it last changed (ms). */
  readonly lastUpdatedTimestamp: number;
  /** A free-form model type, `null` when not given. */
  readonly modelType: string | null;
  /** The run that produced the model, `null` when not linked. */
  readonly sourceRunId: string | null;
  /** READY once complete; PENDING while being written; FAILED if writing failed. */
  readonly status: LoggedModelStatus;
  /** Why the status is what it is (e.g. the error of a FAILED model), or `null`. */
  readonly statusMessage: string | null;
  /** `active`, or `deleted` for a soft-deleted entity. */
  readonly lifecycleStage: LifecycleStage;
  /** The model's params. */
  readonly params: Readonly<Record<string, string>>;
  /** The model's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Every recorded value, in file order per key. */
  readonly metrics: readonly LoggedModelMetric[];
}

/** Legacy registry stages (deprecated by MLflow in favour of aliases; read and transition only). */
export type ModelStage = "None" | "Staging" | "Production" | "Archived";

/** A registered model (`models/<name>/`). */
export interface RegisteredModel {
  /** The registered model's name, also its folder name under `models/`. */
  readonly name: string;
  /** When it was created (ms). */
  readonly creationTimestamp: number;
  /** When it last changed (ms). */
  readonly lastUpdatedTimestamp: number;
  /** A free-text description, or `null`. */
  readonly description: string | null;
  /** Registered model tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Alias to version number, from the `aliases/` files. */
  readonly aliases: Readonly<Record<string, number>>;
}

/** A registered model version (`models/<name>/version-<n>/`). */
export interface ModelVersion {
  /** The registered model this is a version of. */
  readonly name: string;
  /** The version number (1, 2, ...). */
  readonly version: number;
  /** When it was created (ms). */
  readonly creationTimestamp: number;
  /** When it last changed (ms). */
  readonly lastUpdatedTimestamp: number | null;
  /** The legacy stage, `null` when not recorded. */
  readonly currentStage: ModelStage | null;
  /** A free-text description, or `null`. */
  readonly description: string | null;
  /** Who registered it (MLflow's file store leaves it `null`). */
  readonly userId: string | null;
  /** The URI given at registration: `runs:/...`, `models:/m-...` or a file URI. */
  readonly source: string;
  /** Where `source` resolved to at registration. */
  readonly storageLocation: string | null;
  /** The run the version came from, or `null`. */
  readonly runId: string | null;
  /** A link to the run, if one was given. */
  readonly runLink: string | null;
  /** The logged model the version is, or `null` (e.g. for `runs:/` sources). */
  readonly modelId: string | null;
  /** `READY` (MLflow's file store registers synchronously). */
  readonly status: string;
  /** Why the status is what it is (e.g. the error of a FAILED model), or `null`. */
  readonly statusMessage: string | null;
  /** Version tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** The aliases pointing at this version. */
  readonly aliases: readonly string[];
}

/** A file or folder in an artifact tree (MLflow's `FileInfo`). */
export interface ArtifactInfo {
  /** Relative to the artifact root, with `/` separators. */
  readonly path: string;
  /** True for a folder. */
  readonly isDir: boolean;
  /** Bytes, `null` for folders. */
  readonly fileSize: number | null;
}

/** Something in the store that could not be read; listings skip it and report it here. */
export interface StoreProblem {
  /** The file or folder that could not be read. */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** The result of a listing: what could be read, and what could not (with paths). */
export interface Listing<T> {
  /** What could be read. */
  readonly items: T[];
  /** What could not be read, with paths. */
  readonly problems: StoreProblem[];
}
