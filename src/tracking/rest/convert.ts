/**
 * MLflow's REST JSON (protobuf field names, snake_case) to our entities, and
 * back for the few shapes we send.
 *
 * @module
 */
import type {
  Experiment,
  LifecycleStage,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  Run,
  RunStatus,
} from "../entities.ts";

/** A `{key, value}` list as MLflow sends tags and params. */
export type KeyValues = readonly { key: string; value?: string }[] | undefined;

// deno-lint-ignore no-explicit-any
type Json = any;

/** `{key, value}` pairs to a record (a missing value is the empty string, as protobuf leaves it out). */
function toRecord(pairs: KeyValues): Record<string, string> {
  return Object.fromEntries((pairs ?? []).map((pair) => [pair.key, pair.value ?? ""]));
}

/** A record to `{key, value}` pairs. */
export function toPairs(record: Readonly<Record<string, string>> | undefined): { key: string; value: string }[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

/** A protobuf double: a number, or "NaN" / "Infinity" / "-Infinity". */
function toNumber(value: number | string | undefined): number {
  return typeof value === "number" ? value : Number(value ?? 0);
}

function optionalNumber(value: number | string | undefined): number | null {
  return value === undefined || value === null ? null : Number(value);
}

/** An experiment. */
export function toExperiment(json: Json): Experiment {
  return {
    experimentId: String(json.experiment_id),
    name: json.name,
    artifactLocation: json.artifact_location ?? "",
    lifecycleStage: (json.lifecycle_stage ?? "active") as LifecycleStage,
    creationTime: optionalNumber(json.creation_time),
    lastUpdateTime: optionalNumber(json.last_update_time),
    tags: toRecord(json.tags),
  };
}

/** A metric point. */
export function toMetric(json: Json): Metric {
  return {
    key: json.key,
    value: toNumber(json.value),
    timestamp: Number(json.timestamp ?? 0),
    step: Number(json.step ?? 0),
    ...(json.dataset_name ? { datasetName: json.dataset_name, datasetDigest: json.dataset_digest } : {}),
  };
}

/** A run: the server's `data.metrics` are already the latest values. */
export function toRun(json: Json): Run {
  const info = json.info;
  return {
    info: {
      runId: info.run_id ?? info.run_uuid,
      runName: info.run_name ?? "",
      experimentId: String(info.experiment_id),
      userId: info.user_id ?? "",
      status: (info.status ?? "RUNNING") as RunStatus,
      startTime: Number(info.start_time ?? 0),
      endTime: optionalNumber(info.end_time),
      artifactUri: info.artifact_uri ?? "",
      lifecycleStage: (info.lifecycle_stage ?? "active") as LifecycleStage,
    },
    data: {
      metrics: Object.fromEntries((json.data?.metrics ?? []).map((m: Json) => [m.key, toNumber(m.value)])),
      params: toRecord(json.data?.params),
      tags: toRecord(json.data?.tags),
    },
    outputs: {
      modelOutputs: (json.outputs?.model_outputs ?? []).map((output: Json) => ({
        modelId: output.model_id,
        step: Number(output.step ?? 0),
      })),
    },
  };
}

const LOGGED_MODEL_STATUS: Readonly<Record<string, LoggedModelStatus>> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: "UNSPECIFIED",
  LOGGED_MODEL_PENDING: "PENDING",
  LOGGED_MODEL_READY: "READY",
  LOGGED_MODEL_UPLOAD_FAILED: "FAILED",
};

/** Our logged-model status as MLflow's enum name. */
export function loggedModelStatusName(status: LoggedModelStatus): string {
  return Object.entries(LOGGED_MODEL_STATUS).find(([, ours]) => ours === status)![0];
}

/** A logged model. */
export function toLoggedModel(json: Json): LoggedModel {
  const info = json.info ?? {};
  return {
    modelId: info.model_id,
    experimentId: String(info.experiment_id),
    name: info.name ?? "",
    artifactLocation: info.artifact_uri ?? "",
    creationTimestamp: Number(info.creation_timestamp_ms ?? 0),
    lastUpdatedTimestamp: Number(info.last_updated_timestamp_ms ?? 0),
    modelType: info.model_type || null,
    sourceRunId: info.source_run_id || null,
    status: LOGGED_MODEL_STATUS[info.status] ?? "UNSPECIFIED",
    statusMessage: info.status_message || null,
    lifecycleStage: "active",
    params: toRecord(json.data?.params),
    tags: toRecord(info.tags),
    metrics: (json.data?.metrics ?? []).map((metric: Json) => ({ ...toMetric(metric), runId: metric.run_id ?? "" })),
  };
}

/** A registered model (aliases as name to version number). */
export function toRegisteredModel(json: Json): RegisteredModel {
  return {
    name: json.name,
    creationTimestamp: Number(json.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(json.last_updated_timestamp ?? 0),
    description: json.description || null,
    tags: toRecord(json.tags),
    aliases: Object.fromEntries((json.aliases ?? []).map((a: Json) => [a.alias, Number(a.version)])),
  };
}

/** A model version. */
export function toModelVersion(json: Json): ModelVersion {
  return {
    name: json.name,
    version: Number(json.version),
    creationTimestamp: Number(json.creation_timestamp ?? 0),
    lastUpdatedTimestamp: optionalNumber(json.last_updated_timestamp),
    currentStage: (json.current_stage ?? null) as ModelStage | null,
    description: json.description || null,
    userId: json.user_id || null,
    source: json.source ?? "",
    storageLocation: null,
    runId: json.run_id || null,
    runLink: json.run_link || null,
    // This server version does not echo model_id; a `models:/m-...` source names the logged model.
    modelId: json.model_id || /^models:\/(m-[0-9a-f]{32})$/.exec(json.source ?? "")?.[1] || null,
    status: json.status ?? "READY",
    statusMessage: json.status_message || null,
    tags: toRecord(json.tags),
    aliases: json.aliases ?? [],
  };
}
