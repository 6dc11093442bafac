/**
 * Experiment tracking and model registry over MLflow's file store (`mlruns`),
 * in TypeScript: what we write, MLflow's own tools (`mlflow ui`,
 * `MlflowClient`) read, and what MLflow wrote, we read (including stores
 * copied from another machine). See `README.md` in this folder for the
 * layout, the reliability guarantees and how to open a store in MLflow's UI.
 *
 * @example
 * ```ts
 * import { TrackingClient } from "./mod.ts";
 *
 * const client = new TrackingClient({ trackingUri: "file:./mlruns" });
 * const { experimentId } = await client.getOrCreateExperiment("Customer_Conversion_Scorecard");
 * const run = await client.createRun({ experimentId, runName: "LogisticRegression" });
 * await client.logParams(run.info.runId, { model_type: "logistic", C: 1 });
 * await client.logMetric(run.info.runId, "auc", 0.91);
 * const model = await client.logModel({
 *   runId: run.info.runId,
 *   name: "model_logistic",
 *   bundle: { content: JSON.stringify({ weights: [0.1, -0.2] }) },
 *   signature: { inputs: [{ name: "recency", type: "double" }], outputs: [{ type: "double" }] },
 *   inputExample: { columns: ["recency"], data: [[12]] },
 * });
 * await client.setTerminated(run.info.runId, "FINISHED");
 * const version = await client.registerModel("customer_conversion_model", `models:/${model.modelId}`, run.info.runId);
 * await client.setAlias("customer_conversion_model", "champion", version.version);
 * await client.resolveLocalPath("models:/customer_conversion_model@champion"); // ".../artifacts"
 * ```
 *
 * @module
 */
export {
  type CreateModelVersionOptions,
  type LogMetricOptions,
  type LogModelOptions,
  type MetricBatch,
  type SearchRunsOptions,
  TrackingClient,
  type TrackingClientOptions,
} from "./client.ts";
export type { Tracking } from "./tracking.ts";
export { isServerUri, openTracking } from "./open.ts";
export { RestTracking, type RestTrackingOptions } from "./rest/client.ts";
export { RestError } from "./rest/http.ts";
export type {
  ArtifactInfo,
  Experiment,
  LifecycleStage,
  Listing,
  LoggedModel,
  LoggedModelMetric,
  LoggedModelStatus,
  Metric,
  ModelOutput,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  Run,
  RunData,
  RunInfo,
  RunStatus,
  StoreProblem,
  ViewType,
} from "./entities.ts";
export { isTrackingError, TrackingError, type TrackingErrorCode } from "./errors.ts";
export { type CreateExperimentOptions, DEFAULT_EXPERIMENT_ID } from "./experiments.ts";
export type { CreateLoggedModelOptions } from "./logged_models.ts";
export {
  type ColumnSpec,
  type ColumnType,
  type InputExample,
  JSON_BUNDLE_FLAVOR,
  type MlModelDocument,
  type ModelSignature,
  parseMlModel,
} from "./mlmodel.ts";
export { parseArtifactUri, type ParsedArtifactUri } from "./model_uri.ts";
export { type AliasExpectation, MODEL_STAGES } from "./registry.ts";
export { type CreateRunOptions, type ParamValue, PARENT_RUN_ID_TAG, RUN_NAME_TAG } from "./runs.ts";
export { modelHeading, runsTable, versionsTable } from "./report.ts";
export { type OrderClause, parseOrderBy, parseSearchFilter, type SearchClause, type SearchEntity } from "./search.ts";
export { type LockOptions, withFileLock } from "./lock.ts";
export { markRunFailed } from "./mark_run_failed.ts";
export { LEASE_TAG, type LeaseOptions, withPromotionLease } from "./promotion_lease.ts";
export {
  DEFAULT_TRACKING_URI,
  fileUriToPath,
  pathToFileUri,
  resolveTrackingUri,
  TRACKING_URI_ENV,
  trackingRootPath,
} from "./uri.ts";
