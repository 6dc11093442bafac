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
  readonly experimentId: string;
  readonly name: string;
  /** The URI as recorded (MLflow writes an absolute `file:` URI). */
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime: number | null;
  readonly lastUpdateTime: number | null;
  readonly tags: Readonly<Record<string, string>>;
}

/** A run's metadata (`<run>/meta.yaml`). */
export interface RunInfo {
  readonly runId: string;
  readonly runName: string;
  readonly experimentId: string;
  readonly userId: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  /** The URI as recorded. */
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
}

/** One logged value of a metric. */
export interface Metric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
  /** Set for values logged against a dataset (5-field run lines, 6-field model lines). */
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

/** A run's latest metric values, params and tags. */
export interface RunData {
  /** The latest value of each metric: the one with the largest (step, timestamp, value). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** A model a run produced (MLflow 3 run output, `<run>/outputs/<model_id>/meta.yaml`). */
export interface ModelOutput {
  readonly modelId: string;
  readonly step: number;
}

/** A run with its data and outputs. */
export interface Run {
  readonly info: RunInfo;
  readonly data: RunData;
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
  readonly runId: string;
}

/** An MLflow 3 logged model (`<experiment>/models/<model_id>/`). */
export interface LoggedModel {
  readonly modelId: string;
  readonly experimentId: string;
  readonly name: string;
  /** The URI as recorded. */
  readonly artifactLocation: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly modelType: string | null;
  readonly sourceRunId: string | null;
  readonly status: LoggedModelStatus;
  readonly statusMessage: string | null;
  readonly lifecycleStage: LifecycleStage;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Every recorded value, in file order per key. */
  readonly metrics: readonly LoggedModelMetric[];
}

/** Legacy registry stages (deprecated by MLflow in favour of aliases; read and transition only). */
export type ModelStage = "None" | "Staging" | "Production" | "Archived";

/** A registered model (`models/<name>/`). */
export interface RegisteredModel {
  readonly name: string;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
  readonly description: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** Alias to version number, from the `aliases/` files. */
  readonly aliases: Readonly<Record<string, number>>;
}

/** A registered model version (`models/<name>/version-<n>/`). */
export interface ModelVersion {
  readonly name: string;
  readonly version: number;
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number | null;
  readonly currentStage: ModelStage | null;
  readonly description: string | null;
  readonly userId: string | null;
  /** The URI given at registration: `runs:/...`, `models:/m-...` or a file URI. */
  readonly source: string;
  /** Where `source` resolved to at registration. */
  readonly storageLocation: string | null;
  readonly runId: string | null;
  readonly runLink: string | null;
  readonly modelId: string | null;
  readonly status: string;
  readonly statusMessage: string | null;
  readonly tags: Readonly<Record<string, string>>;
  /** The aliases pointing at this version. */
  readonly aliases: readonly string[];
}

/** A file or folder in an artifact tree (MLflow's `FileInfo`). */
export interface ArtifactInfo {
  /** Relative to the artifact root, with `/` separators. */
  readonly path: string;
  readonly isDir: boolean;
  /** Bytes, `null` for folders. */
  readonly fileSize: number | null;
}

/** Something in the store that could not be read; listings skip it and report it here. */
export interface StoreProblem {
  readonly path: string;
  readonly message: string;
}

/** The result of a listing: what could be read, and what could not (with paths). */
export interface Listing<T> {
  readonly items: T[];
  readonly problems: StoreProblem[];
}
