/**
 * Copies experiments, runs, MLflow 3 logged models and the model registry
 * from one tracking store to another, on either backend.
 *
 * - Runs keep their names, start and end times, status, params, full metric
 *   histories, tags (parent links remapped to the copies) and artifacts.
 * - Logged models keep their name, params, tags, model type, metrics and
 *   files (the bundle byte for byte); the copy belongs to the copied run. The
 *   `MLmodel` file is written anew for the copy, since it records the model's
 *   own id, run and location.
 * - Registered models keep their tags and description; versions keep their
 *   number (see below), tags, description and run link, with source, run and
 *   logged model pointing at the target's copies; aliases point at the
 *   copied versions.
 *
 * The target records its own locations (artifact URIs, storage locations).
 * Idempotent: each copy records its source's id in a tag (`sync.source_run_id`,
 * `sync.source_model_id`, `sync.source_version`) and what is already copied is
 * skipped, so a second sync copies nothing.
 *
 * A registered model that already exists in the target with a version that
 * was not copied from the source (no `sync.source_version` tag) is refused
 * with an error naming it: appending would renumber the source's versions
 * and re-pointing its aliases would clobber the target's own promotions. A
 * source version whose run or logged model is not part of the sync (another
 * experiment under `--experiment`, or a deleted run) is skipped and said so;
 * a later version then gets a different number in the target, which the
 * sync reports line by line rather than hiding.
 *
 * @module
 */
import { join } from "node:path";
import type { LoggedModel, Metric, Run } from "./entities.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import { type InputExample, JSON_BUNDLE_FLAVOR, parseMlModel } from "./mlmodel.ts";
import { LEASE_TAG } from "./promotion_lease.ts";
import { PARENT_RUN_ID_TAG } from "./runs.ts";
import { withLocalCopy } from "./local_copy.ts";
import { listFilesRecursive } from "./store_fs.ts";
import type { Tracking } from "./tracking.ts";

/** The tag naming the source run of a copied run. */
export const SOURCE_RUN_TAG = "sync.source_run_id";
/** The tag naming the source logged model of a copied logged model. */
export const SOURCE_MODEL_TAG = "sync.source_model_id";
/** The tag holding the source version number of a copied model version. */
export const SOURCE_VERSION_TAG = "sync.source_version";
/** Metric points per request: MLflow's log-batch limit. */
const METRICS_PER_BATCH = 1000;
/** The logged-model tag in which an MLflow server lists the versions made from the model. */
const MODEL_VERSIONS_TAG = "mlflow.modelVersions";
/** Files MLflow writes for an input example; rewritten by `logModel` from the parsed example. */
const INPUT_EXAMPLE_FILES = ["input_example.json", "serving_input_payload.json"];

/** What a sync did: counts per kind. */
export interface SyncReport {
  readonly experiments: number;
  readonly runsCopied: number;
  readonly runsSkipped: number;
  readonly metricPoints: number;
  readonly artifacts: number;
  readonly loggedModelsCopied: number;
  readonly registeredModelsCreated: number;
  readonly versionsCopied: number;
  readonly aliasesSet: number;
  /** Registered-model and version tags set or changed at the source after an earlier sync. */
  readonly tagsUpdated: number;
}

/** Source id to target id of what the sync copied or found copied. */
interface Copies {
  readonly runs: Map<string, string>;
  readonly models: Map<string, string>;
}

type Counts = { -readonly [K in keyof SyncReport]: number };

/**
 * Copies every active experiment (or only `experiment`) of `from` into `to`,
 * then the registered models whose versions come from the copied runs.
 *
 * @example
 * ```ts
 * import { openTracking } from "./open.ts";
 * const report = await syncTracking(openTracking("file:./mlruns"), openTracking("http://127.0.0.1:5000"));
 * report.versionsCopied;
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
  const counts: Counts = {
    experiments: experiments.length,
    runsCopied: 0,
    runsSkipped: 0,
    metricPoints: 0,
    artifacts: 0,
    loggedModelsCopied: 0,
    registeredModelsCreated: 0,
    versionsCopied: 0,
    aliasesSet: 0,
    tagsUpdated: 0,
  };
  const copies: Copies = { runs: new Map(), models: new Map() };
  for (const experiment of experiments) {
    const target = await to.getOrCreateExperiment(experiment.name);
    const already = new Map<string, Run>();
    for (
      const run of (await to.searchRuns({ experimentIds: [target.experimentId], viewType: "ALL", maxResults: 100_000 }))
        .items
    ) {
      const source = run.data.tags[SOURCE_RUN_TAG];
      if (source !== undefined) already.set(source, run);
    }
    const runs = (await from.searchRuns({ experimentIds: [experiment.experimentId], maxResults: 100_000 })).items
      // Parents first, so children can point at their parent's copy.
      .sort((a, b) => Number(PARENT_RUN_ID_TAG in a.data.tags) - Number(PARENT_RUN_ID_TAG in b.data.tags));
    const before = counts.runsCopied;
    for (const run of runs) {
      const existing = already.get(run.info.runId);
      if (existing) {
        counts.runsSkipped++;
        copies.runs.set(run.info.runId, existing.info.runId);
        for (const output of existing.outputs.modelOutputs) {
          const source = (await to.getLoggedModel(output.modelId)).tags[SOURCE_MODEL_TAG];
          if (source !== undefined) copies.models.set(source, output.modelId);
        }
      } else {
        await copyRun(from, to, run, target.experimentId, copies, counts);
      }
    }
    log(
      `experiment "${experiment.name}": ${counts.runsCopied - before} runs copied, ` +
        `${runs.length - (counts.runsCopied - before)} already there`,
    );
  }
  await copyRegistry(from, to, copies, counts, log);
  return counts;
}

async function copyRun(
  from: Tracking,
  to: Tracking,
  run: Run,
  experimentId: string,
  copies: Copies,
  counts: Counts,
): Promise<void> {
  const { [PARENT_RUN_ID_TAG]: parent, ...tags } = run.data.tags;
  const copy = await to.createRun({
    experimentId,
    runName: run.info.runName,
    startTime: run.info.startTime,
    userId: run.info.userId,
    tags: {
      ...tags,
      [SOURCE_RUN_TAG]: run.info.runId,
      ...(parent !== undefined ? { [PARENT_RUN_ID_TAG]: copies.runs.get(parent) ?? parent } : {}),
    },
  });
  const runId = copy.info.runId;
  copies.runs.set(run.info.runId, runId);
  await to.logBatch(runId, { params: Object.entries(run.data.params).map(([key, value]) => ({ key, value })) });
  const models = await Promise.all(run.outputs.modelOutputs.map(async (output) => ({
    model: await from.getLoggedModel(output.modelId),
    step: output.step,
  })));
  // A value logged against a logged model is also in the run's history: it is
  // logged once, against the model's copy, so that neither history doubles.
  const modelPoints = new Set(
    models.flatMap(({ model }) => model.metrics.filter((point) => point.runId === run.info.runId).map(pointKey)),
  );
  for (const key of Object.keys(run.data.metrics)) {
    const history = await from.getMetricHistory(run.info.runId, key);
    const own = history.filter((point) => !modelPoints.has(pointKey(point)));
    for (let start = 0; start < own.length; start += METRICS_PER_BATCH) {
      await to.logBatch(runId, { metrics: own.slice(start, start + METRICS_PER_BATCH) });
    }
    counts.metricPoints += history.length;
  }
  for (const { model, step } of models) {
    const copied = await copyLoggedModel(from, to, model, runId, step);
    for (const point of model.metrics.filter((point) => point.runId === run.info.runId)) {
      await to.logMetric(runId, point.key, point.value, {
        step: point.step,
        timestamp: point.timestamp,
        modelId: copied.modelId,
      });
    }
    copies.models.set(model.modelId, copied.modelId);
    counts.loggedModelsCopied++;
  }
  counts.artifacts += await copyArtifacts(from, to, run.info.runId, runId);
  // A run that was still RUNNING (or killed) at the source stays RUNNING in the copy.
  if (run.info.status !== "RUNNING") await to.setTerminated(runId, run.info.status, run.info.endTime ?? undefined);
  counts.runsCopied++;
}

function pointKey(point: Metric): string {
  return `${point.key}\u0000${point.step}\u0000${point.timestamp}\u0000${point.value}`;
}

/**
 * Logs a copy of `model` on the target run: the same files (bundle and extra
 * files byte for byte), flavor settings, signature, input example, params,
 * tags and model type; a new `MLmodel` naming the copy's id, run and place.
 */
async function copyLoggedModel(
  from: Tracking,
  to: Tracking,
  model: LoggedModel,
  runId: string,
  step: number,
): Promise<LoggedModel> {
  const files = await withLocalCopy(from, `models:/${model.modelId}`, readTree);
  const mlmodelPath = `models:/${model.modelId}/MLmodel`;
  const mlmodelBytes = files.get("MLmodel");
  if (!mlmodelBytes) throw new TrackingError("CORRUPT_STORE", "logged model has no MLmodel", { path: mlmodelPath });
  const document = parseMlModel(new TextDecoder().decode(mlmodelBytes), mlmodelPath);
  const { data: bundleName, ...flavorConfig } = document.flavors[JSON_BUNDLE_FLAVOR] ?? {};
  const bundle = typeof bundleName === "string" ? files.get(bundleName) : undefined;
  if (typeof bundleName !== "string" || !bundle) {
    throw new TrackingError(
      "CORRUPT_STORE",
      `MLmodel names no ${JSON_BUNDLE_FLAVOR} bundle file that exists (data: ${JSON.stringify(bundleName)})`,
      { path: mlmodelPath },
    );
  }
  const hasExample = document.raw.saved_input_example_info !== undefined &&
    document.raw.saved_input_example_info !== null;
  const example = files.get(INPUT_EXAMPLE_FILES[0]);
  for (const name of ["MLmodel", bundleName, ...(hasExample ? INPUT_EXAMPLE_FILES : [])]) files.delete(name);
  const signature = document.signature;
  // The server keeps this tag itself (the versions made from the model); the target's registry writes its own.
  const { [MODEL_VERSIONS_TAG]: _versions, ...ownTags } = model.tags;
  return await to.logModel({
    runId,
    name: model.name,
    bundle: { fileName: bundleName, content: bundle },
    flavorConfig,
    files: Object.fromEntries(files),
    signature: signature
      ? { inputs: signature.inputs, ...(signature.outputs.length ? { outputs: signature.outputs } : {}) }
      : undefined,
    inputExample: hasExample && example ? JSON.parse(new TextDecoder().decode(example)) as InputExample : undefined,
    params: model.params,
    modelType: model.modelType ?? undefined,
    tags: { ...ownTags, [SOURCE_MODEL_TAG]: model.modelId },
    metadata: document.raw.metadata as Record<string, unknown> | undefined,
    step,
  });
}

/**
 * Copies every registered model that has a version from a synced run or
 * logged model; versions in order, then aliases.
 */
async function copyRegistry(
  from: Tracking,
  to: Tracking,
  copies: Copies,
  counts: Counts,
  log: (line: string) => void,
): Promise<void> {
  for (const registered of (await from.listRegisteredModels()).items) {
    const name = registered.name;
    const versions = (await from.listModelVersions(name)).items;
    const synced = versions.filter((version) =>
      version.modelId !== null
        ? copies.models.has(version.modelId)
        : version.runId !== null && copies.runs.has(version.runId)
    );
    if (synced.length === 0) continue;
    const copiedVersions = new Map<number, number>();
    const targetTags = new Map<number, Readonly<Record<string, string>>>();
    const existing = await to.getRegisteredModel(name).catch((error) => {
      if (isTrackingError(error, "RESOURCE_DOES_NOT_EXIST")) return null;
      throw error;
    });
    if (existing) {
      const targetVersions = (await to.listModelVersions(name)).items;
      const foreign = targetVersions.filter((version) => version.tags[SOURCE_VERSION_TAG] === undefined);
      if (foreign.length > 0) {
        throw new TrackingError(
          "RESOURCE_ALREADY_EXISTS",
          `registered model "${name}" already exists in ${to.location} with version(s) ` +
            `${foreign.map((version) => version.version).join(", ")} not copied from ${from.location}; ` +
            `copying would renumber the source's versions and move the target's aliases, so nothing of "${name}" ` +
            `was copied (rename or delete one of the two models, then sync again)`,
        );
      }
      for (const version of targetVersions) {
        copiedVersions.set(Number(version.tags[SOURCE_VERSION_TAG]), version.version);
        targetTags.set(version.version, version.tags);
      }
      for (const [key, value] of Object.entries(registered.tags)) {
        if (key !== LEASE_TAG && existing.tags[key] !== value) {
          await to.setRegisteredModelTag(name, key, value);
          counts.tagsUpdated++;
        }
      }
    } else {
      const { [LEASE_TAG]: _lease, ...tags } = registered.tags;
      await to.createRegisteredModel(name, { tags, description: registered.description ?? undefined });
      counts.registeredModelsCreated++;
    }
    for (const version of versions) {
      const copied = copiedVersions.get(version.version);
      if (copied !== undefined) {
        // Tags a later training or a reviewer set on a copied version; the target's own extra tags stay.
        for (const [key, value] of Object.entries(version.tags)) {
          if (targetTags.get(copied)?.[key] !== value) {
            await to.setModelVersionTag(name, copied, key, value);
            counts.tagsUpdated++;
          }
        }
        continue;
      }
      if (!synced.includes(version)) {
        log(`model "${name}" version ${version.version}: its run or logged model is not part of this sync; skipped`);
        continue;
      }
      const runId = version.runId === null ? null : copies.runs.get(version.runId) ?? null;
      const modelId = version.modelId === null ? undefined : copies.models.get(version.modelId);
      const source = modelId !== undefined
        ? `models:/${modelId}`
        : version.runId !== null && runId !== null
        ? version.source.replace(`runs:/${version.runId}`, `runs:/${runId}`)
        : version.source;
      const copy = await to.registerModel(name, source, runId, {
        modelId,
        tags: { ...version.tags, [SOURCE_VERSION_TAG]: String(version.version) },
        description: version.description ?? undefined,
        runLink: version.runLink && version.runId && runId
          ? version.runLink.replaceAll(version.runId, runId)
          : version.runLink ?? undefined,
      });
      copiedVersions.set(version.version, copy.version);
      counts.versionsCopied++;
      if (copy.version !== version.version) {
        log(`model "${name}" version ${version.version} is version ${copy.version} in ${to.location}`);
      }
    }
    const target = await to.getRegisteredModel(name);
    for (const [alias, version] of Object.entries(registered.aliases)) {
      const copied = copiedVersions.get(version);
      if (copied === undefined || target.aliases[alias] === copied) continue;
      await to.setAlias(name, alias, copied);
      counts.aliasesSet++;
    }
  }
}

async function copyArtifacts(from: Tracking, to: Tracking, sourceRunId: string, targetRunId: string) {
  if ((await from.listArtifacts(sourceRunId)).length === 0) return 0;
  return await withLocalCopy(from, `runs:/${sourceRunId}`, async (folder) => {
    const files = await listFilesRecursive(folder);
    for (const file of files) {
      const slash = file.lastIndexOf("/");
      await to.logArtifact(targetRunId, join(folder, file), slash < 0 ? "" : file.slice(0, slash));
    }
    return files.length;
  });
}

/** Every file under `folder` by its `/`-separated relative path. */
async function readTree(folder: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const file of await listFilesRecursive(folder)) files.set(file, await Deno.readFile(join(folder, file)));
  return files;
}
