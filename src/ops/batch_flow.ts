/**
 * Batch scoring as a flow of the flow runtime (the steps of `batch.ts` as
 * tasks: the model load cached by what its URI resolves to, the input step
 * retried, each chunk a task run with one retry, and a run record), and,
 * when a tracking URI is given, recorded as a tracking run: the model
 * version used, rows in, out and rejected, timing, drift figures, and the
 * output, rejects and drift report as artifacts. A failed batch leaves a
 * Failed flow record and a FAILED tracking run with the error as a tag.
 *
 * @module
 */
import { flow, type FlowRun, type RunOptions } from "../flow/flow.ts";
import { codeFingerprint } from "../flow/code_fingerprint.ts";
import { flowRunner } from "../flow/task_step_runner.ts";
import { markRunFailed } from "../tracking/mark_run_failed.ts";
import { openTracking } from "../tracking/open.ts";
import { type BatchOptions, type BatchResult, DEFAULT_CHUNK_SIZE, runBatch } from "./batch.ts";

/**
 * The experiment batch runs are recorded in by default.
 *
 * @example
 * ```ts
 * import type { BatchOptions } from "./batch.ts";
 * declare const options: BatchOptions;
 * await scoreBatch({ ...options, trackingUri: "file:./mlruns" }, { experiment: BATCH_EXPERIMENT });
 * ```
 */
export const BATCH_EXPERIMENT = "Customer_Conversion_Batch_Scoring";

/**
 * How the flow runs (tests use temporary folders and no console).
 */
export interface BatchRuntime {
  /** Print progress on the console. */
  readonly progress?: boolean;
  /** Read and write the task cache (default true). */
  readonly cache?: boolean;
  readonly flow?: Pick<RunOptions, "recordsDir" | "cacheDir" | "clock">;
  /** Tracking experiment (default {@link BATCH_EXPERIMENT}). */
  readonly experiment?: string;
}

/**
 * A batch run's result with its flow run and, when tracked, its tracking run.
 */
export interface BatchRun extends BatchResult {
  readonly flowRunId: string;
  readonly flowRecord: string;
  readonly runId?: string;
}

/**
 * Scores a batch as a flow; tracked when `options.trackingUri` is set.
 *
 * @example
 * ```ts
 * const run = await scoreBatch({ model: "models:/customer_conversion_model@champion", trackingUri: "file:./mlruns",
 *   data: "customers.parquet", out: "scores.parquet" }, { progress: true });
 * run.runId; // the tracking run
 * ```
 */
export async function scoreBatch(options: BatchOptions, runtime: BatchRuntime = {}): Promise<BatchRun> {
  const version = codeFingerprint();
  const batchFlow = flow(
    (params: BatchOptions, { logger }) =>
      runBatch(params, flowRunner({ cache: runtime.cache ?? true, version }), (message) => logger.info(message)),
    { name: "score-batch" },
  );
  const execute = () => batchFlow.run(options, { ...runtime.flow, log: { console: runtime.progress ?? false } });
  if (options.trackingUri === undefined) {
    const run = await execute();
    return { ...run.result, flowRunId: run.id, flowRecord: run.recordPath };
  }
  return await trackBatch(options, runtime.experiment ?? BATCH_EXPERIMENT, execute);
}

async function trackBatch(
  options: BatchOptions,
  experimentName: string,
  execute: () => Promise<FlowRun<BatchResult>>,
): Promise<BatchRun> {
  const client = openTracking(options.trackingUri);
  const experiment = await client.getOrCreateExperiment(experimentName);
  const run = await client.createRun({
    experimentId: experiment.experimentId,
    runName: `batch-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, "")}`,
    tags: { "mlflow.source.type": "LOCAL", "mlflow.source.name": "deno task score:batch", pipeline: "batch-scoring" },
  });
  const runId = run.info.runId;
  try {
    await client.logParams(runId, {
      model_uri: options.model,
      data: options.data,
      ...(options.out === undefined ? {} : { output: options.out }),
      chunk_size: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      reasons: options.reasons ?? 3,
      ...(options.cutoff === undefined ? {} : { cutoff: options.cutoff.toISOString().slice(0, 10) }),
    });
    const flowRun = await execute();
    const result = flowRun.result;
    const { model, drift } = result;
    await client.logParams(runId, {
      model_candidate: model.candidate,
      input_kind: result.input.kind,
      ...(model.name === undefined ? {} : { model_name: model.name }),
      ...(model.version === undefined ? {} : { model_version: model.version }),
      ...(model.runId === undefined ? {} : { model_run_id: model.runId }),
      ...(result.input.cutoff === undefined ? {} : { input_cutoff: result.input.cutoff }),
    });
    const featurePsi = drift.features.map((feature) => feature.psi ?? 0);
    await client.logMetrics(runId, {
      rows_in: result.rowsIn,
      rows_out: result.rowsOut,
      rows_rejected: result.rejected,
      seconds: result.seconds,
      rows_per_second: result.rowsIn / Math.max(result.seconds, 1e-9),
      ...(drift.score.psi === null ? {} : { score_psi: drift.score.psi }),
      max_feature_psi: Math.max(0, ...featurePsi),
      features_warning: drift.features.filter((feature) => feature.status === "warning").length,
      features_alert: drift.features.filter((feature) => feature.status === "alert").length,
    });
    await client.setTag(runId, "flow_run_id", flowRun.id);
    await client.setTag(runId, "drift_status", drift.status);
    for (const file of [result.output, result.rejects]) if (file) await client.logArtifact(runId, file, "output");
    for (const file of [result.driftFiles.json, result.driftFiles.html]) {
      if (file) await client.logArtifact(runId, file, "drift");
    }
    await client.logArtifact(runId, flowRun.recordPath, "flow");
    await client.setTerminated(runId, "FINISHED");
    return { ...result, flowRunId: flowRun.id, flowRecord: flowRun.recordPath, runId };
  } catch (error) {
    await markRunFailed(client, runId, error);
    throw error;
  }
}
