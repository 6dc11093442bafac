/**
 * Copies experiments and their runs from one tracking store to another, on
 * either backend: runs keep their names, start and end times, status,
 * params, full metric histories, tags and artifacts. The target records its
 * own locations (its artifact URIs). Idempotent: each copied run carries the
 * source run's id in the tag `sync.source_run_id`, and a run already copied
 * is skipped.
 *
 * @module
 */
import { join, relative } from "node:path";
import type { Run } from "./entities.ts";
import type { Tracking } from "./tracking.ts";

/** The tag naming the source run of a copy. */
export const SOURCE_RUN_TAG = "sync.source_run_id";
/** Metric points per request: MLflow's log-batch limit. */
const METRICS_PER_BATCH = 1000;

/** What a sync did. */
export interface SyncReport {
  readonly experiments: number;
  readonly runsCopied: number;
  readonly runsSkipped: number;
  readonly metricPoints: number;
  readonly artifacts: number;
}

/**
 * Copies every active experiment (or only `experiment`) of `from` into `to`.
 *
 * @example
 * ```ts
 * import { openTracking } from "./open.ts";
 * const report = await syncTracking(openTracking("file:./mlruns"), openTracking("http://127.0.0.1:5000"));
 * report.runsCopied;
 * ```
 */
export async function syncTracking(
  from: Tracking,
  to: Tracking,
  options: { experiment?: string; log?: (line: string) => void } = {},
): Promise<SyncReport> {
  const log = options.log ?? (() => {});
  const experiments = (await from.listExperiments()).items
    .filter((experiment) => options.experiment === undefined || experiment.name === options.experiment);
  let runsCopied = 0;
  let runsSkipped = 0;
  let metricPoints = 0;
  let artifacts = 0;
  for (const experiment of experiments) {
    const target = await to.getOrCreateExperiment(experiment.name);
    const already = new Set(
      (await to.searchRuns({ experimentIds: [target.experimentId], viewType: "ALL", maxResults: 100_000 })).items
        .map((run) => run.data.tags[SOURCE_RUN_TAG])
        .filter((id): id is string => id !== undefined),
    );
    const runs = (await from.searchRuns({ experimentIds: [experiment.experimentId], maxResults: 100_000 })).items
      // Parents first, so children can point at their parent's copy.
      .sort((a, b) => Number(PARENT in a.data.tags) - Number(PARENT in b.data.tags));
    const copies = new Map<string, string>();
    for (const run of runs) {
      if (already.has(run.info.runId)) {
        runsSkipped++;
        continue;
      }
      const copied = await copyRun(from, to, run, target.experimentId, copies);
      copies.set(run.info.runId, copied.runId);
      runsCopied++;
      metricPoints += copied.metricPoints;
      artifacts += copied.artifacts;
    }
    log(`experiment "${experiment.name}": ${copies.size} runs copied, ${runs.length - copies.size} already there`);
  }
  return { experiments: experiments.length, runsCopied, runsSkipped, metricPoints, artifacts };
}

const PARENT = "mlflow.parentRunId";

async function copyRun(
  from: Tracking,
  to: Tracking,
  run: Run,
  experimentId: string,
  copies: ReadonlyMap<string, string>,
): Promise<{ runId: string; metricPoints: number; artifacts: number }> {
  const { [PARENT]: parent, ...tags } = run.data.tags;
  const copy = await to.createRun({
    experimentId,
    runName: run.info.runName,
    startTime: run.info.startTime,
    userId: run.info.userId,
    tags: {
      ...tags,
      [SOURCE_RUN_TAG]: run.info.runId,
      ...(parent !== undefined ? { [PARENT]: copies.get(parent) ?? parent } : {}),
    },
  });
  const runId = copy.info.runId;
  await to.logBatch(runId, { params: Object.entries(run.data.params).map(([key, value]) => ({ key, value })) });
  let metricPoints = 0;
  for (const key of Object.keys(run.data.metrics)) {
    const history = await from.getMetricHistory(run.info.runId, key);
    for (let start = 0; start < history.length; start += METRICS_PER_BATCH) {
      await to.logBatch(runId, { metrics: history.slice(start, start + METRICS_PER_BATCH) });
    }
    metricPoints += history.length;
  }
  const artifacts = await copyArtifacts(from, to, run.info.runId, runId);
  // A run that was still RUNNING (or killed) at the source stays RUNNING in the copy.
  if (run.info.status !== "RUNNING") await to.setTerminated(runId, run.info.status, run.info.endTime ?? undefined);
  return { runId, metricPoints, artifacts };
}

async function copyArtifacts(from: Tracking, to: Tracking, sourceRunId: string, targetRunId: string) {
  if ((await from.listArtifacts(sourceRunId)).length === 0) return 0;
  const folder = await from.resolveLocalPath(`runs:/${sourceRunId}`);
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  await walk(folder);
  for (const file of files) {
    const parentDir = relative(folder, join(file, ".."));
    await to.logArtifact(targetRunId, file, parentDir === "" ? "" : parentDir.split("\\").join("/"));
  }
  return files.length;
}
