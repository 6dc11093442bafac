/**
 * Runs: `<experiment>/<run_id>/` with `meta.yaml`, `params/`, `metrics/`,
 * `tags/`, `outputs/` and (by default) `artifacts/`.
 *
 * @module
 */
import { join } from "node:path";
import {
  type LifecycleStage,
  type Metric,
  type ModelOutput,
  type Run,
  RUN_STATUS_CODES,
  type RunInfo,
  type RunStatus,
  type ViewType,
} from "./entities.ts";
import { TrackingError } from "./errors.ts";
import {
  artifactLocationPath,
  DEFAULT_EXPERIMENT_ID,
  ensureDefaultExperiment,
  findExperiment,
  listExperimentLocations,
  readExperiment,
} from "./experiments.ts";
import { type ParsedFileCache, readParsedFile } from "./file_cache.ts";
import { MetaFields, parseMetaText, writeMetaFile } from "./meta_file.ts";
import { formatRunMetricLine, latestMetric, parseRunMetricFile } from "./metric_lines.ts";
import { pythonFloatRepr } from "./python_format.ts";
import { createFolderAtomically, initializeStore, type StoreContext } from "./store_context.ts";
import { appendText, isDirectory, listFilesRecursive, listSubdirectories, readTextIfExists } from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { appendToUri } from "./uri.ts";
import { LIMITS, validateKey, validateLength, validateRunId } from "./validation.ts";

/** The tag holding a run's name (kept equal to `run_name` in meta.yaml). */
export const RUN_NAME_TAG = "mlflow.runName";
/** The tag linking a nested run to its parent. */
export const PARENT_RUN_ID_TAG = "mlflow.parentRunId";

/** A param value as accepted by the client; written as Python's `str(value)` would. */
export type ParamValue = string | number | boolean;

/** Where a run's folder is. */
export interface RunLocation {
  readonly runId: string;
  readonly experimentId: string;
  readonly dir: string;
}

/**
 * Finds a run's folder by id among all experiments (active and deleted).
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const location = await findRun(context, "c705528894b5469ebd076e089e2f92ae");
 * ```
 */
export async function findRun(context: StoreContext, runId: string): Promise<RunLocation> {
  validateRunId(runId);
  for (const experiment of await listExperimentLocations(context, "ALL")) {
    const dir = join(experiment.dir, runId);
    if (await isDirectory(dir)) {
      return { runId, experimentId: experiment.experimentId, dir };
    }
  }
  throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `run '${runId}' not found in ${context.root}`);
}

/**
 * Reads a run's meta.yaml with MLflow's rules: `run_id`, `experiment_id`,
 * `user_id`, `start_time` required, `end_time` present, `status` an integer
 * code (missing means RUNNING), and ids matching the folders.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * (await readRunInfo(location)).status; // "FINISHED"
 * ```
 */
export async function readRunInfo(location: RunLocation, cache?: ParsedFileCache): Promise<RunInfo> {
  const path = runFile(location, "meta.yaml");
  const meta = await readParsedFile(path, "meta", (text) => parseMetaText(text, path), cache);
  if (meta === undefined) throw new TrackingError("CORRUPT_STORE", "meta.yaml is missing", { path });
  const nameTag = meta.optionalString("run_name")
    ? undefined
    : await readRunValue(location, "tags", RUN_NAME_TAG, cache);
  return runInfoFromMeta(meta, location, nameTag);
}

/**
 * The run info in a parsed meta.yaml, checked as {@link readRunInfo} checks
 * it; `nameTag` is the `mlflow.runName` tag, the name when meta.yaml has none.
 *
 * @example
 * ```ts
 * import { MetaFields } from "./meta_file.ts";
 *
 * const meta = new MetaFields({ run_id: "r1", experiment_id: "0", user_id: "ana", start_time: 5, end_time: null }, "m");
 * runInfoFromMeta(meta, { runId: "r1", experimentId: "0", dir: "/m/0/r1" }, "fit").runName; // "fit"
 * ```
 */
export function runInfoFromMeta(meta: MetaFields, location: RunLocation, nameTag: string | undefined): RunInfo {
  const runId = meta.string("run_id");
  const experimentId = meta.id("experiment_id");
  if (runId !== location.runId) meta.fail("run_id", `the folder name '${location.runId}'`, runId);
  if (experimentId !== location.experimentId) {
    meta.fail("experiment_id", `the experiment folder '${location.experimentId}'`, experimentId);
  }
  const stage = meta.optionalString("lifecycle_stage") ?? "active";
  if (stage !== "active" && stage !== "deleted") meta.fail("lifecycle_stage", "'active' or 'deleted'", stage);
  return {
    runId,
    runName: meta.optionalString("run_name") || nameTag || "",
    experimentId,
    userId: meta.string("user_id"),
    status: statusFromCode(meta),
    startTime: meta.int("start_time"),
    endTime: meta.nullableInt("end_time"),
    artifactUri: meta.optionalString("artifact_uri") ?? "",
    lifecycleStage: stage as LifecycleStage,
  };
}

/**
 * Reads a whole run: info, latest metric values, params, tags and model
 * outputs; through `cache` when given (see {@link ParsedFileCache}).
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * (await readRun(location)).data.params.model_type; // "LogisticRegression"
 * ```
 */
export async function readRun(location: RunLocation, cache?: ParsedFileCache): Promise<Run> {
  const [info, histories, params, tags, modelOutputs] = await Promise.all([
    readRunInfo(location, cache),
    readAllMetricHistories(location, cache),
    readKeyedValues(location, "params", cache),
    readKeyedValues(location, "tags", cache),
    readModelOutputs(location, cache),
  ]);
  const metrics = Object.fromEntries([...histories].map(([key, history]) => [key, latestMetric(history).value]));
  return { info, data: { metrics, params, tags }, outputs: { modelOutputs } };
}

/**
 * Reads one metric's full history (file order), empty when never logged.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * (await readMetricHistory(location, "auc")).map((m) => m.value); // [0.87, 0.91]
 * ```
 */
export function readMetricHistory(location: RunLocation, key: string): Promise<Metric[]> {
  validateKey("metric", key);
  return readStoredHistory(location, key);
}

/** Options of {@link createRun}. */
export interface CreateRunOptions {
  /** Default: experiment `0`, created when missing. */
  readonly experimentId?: string;
  /** Default: the `mlflow.runName` tag, else a random `adjective-noun-123` name as MLflow does. */
  readonly runName?: string;
  /** Makes this a nested run (tag `mlflow.parentRunId`). */
  readonly parentRunId?: string;
  /** Extra tags (`mlflow.runName` may give the name). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Default: now. */
  readonly startTime?: number;
  /** Default: the client's user. */
  readonly userId?: string;
}

/**
 * Creates a RUNNING run, with the standard tags MLflow's fluent API adds
 * (`mlflow.user`, `mlflow.source.name`, `mlflow.source.type`, `mlflow.runName`
 * and, for nested runs, `mlflow.parentRunId`).
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const parent = await createRun(context, { experimentId: "0", runName: "Manual-Run" });
 * const child = await createRun(context, {
 *   experimentId: "0",
 *   runName: "LogisticRegression",
 *   parentRunId: parent.info.runId,
 * });
 * child.data.tags["mlflow.parentRunId"] === parent.info.runId; // true
 * ```
 */
export async function createRun(context: StoreContext, options: CreateRunOptions = {}): Promise<Run> {
  const experimentId = options.experimentId ?? DEFAULT_EXPERIMENT_ID;
  await initializeStore(context);
  if (experimentId === DEFAULT_EXPERIMENT_ID) await ensureDefaultExperiment(context);
  const experimentLocation = await findExperiment(context, experimentId);
  if (!experimentLocation) {
    throw new TrackingError(
      "RESOURCE_DOES_NOT_EXIST",
      `cannot create a run: experiment '${experimentId}' does not exist`,
    );
  }
  const experiment = await readExperiment(experimentLocation);
  if (experiment.lifecycleStage !== "active" || experimentLocation.inTrash) {
    throw new TrackingError("INVALID_STATE", `cannot create a run under deleted experiment '${experimentId}'`);
  }
  const tagName = options.tags?.[RUN_NAME_TAG];
  if (options.runName && tagName && options.runName !== tagName) {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `run name '${options.runName}' and tag ${RUN_NAME_TAG}='${tagName}' differ`,
    );
  }
  const runName = options.runName || tagName || randomRunName();
  validateLength("run name", runName, LIMITS.tagValue);
  if (options.parentRunId !== undefined) await findRun(context, options.parentRunId);
  const userId = options.userId ?? context.userId;
  const tags: Record<string, string> = {
    "mlflow.user": userId,
    "mlflow.source.name": context.sourceName,
    "mlflow.source.type": "LOCAL",
    ...options.tags,
    [RUN_NAME_TAG]: runName,
    ...(options.parentRunId !== undefined ? { [PARENT_RUN_ID_TAG]: options.parentRunId } : {}),
  };
  validateTags(tags);
  const runId = crypto.randomUUID().replaceAll("-", "");
  const info: RunInfo = {
    runId,
    runName,
    experimentId,
    userId,
    status: "RUNNING",
    startTime: options.startTime ?? context.now(),
    endTime: null,
    artifactUri: appendToUri(experiment.artifactLocation, runId, "artifacts"),
    lifecycleStage: "active",
  };
  const target = join(experimentLocation.dir, runId);
  await createFolderAtomically(context, target, async (dir) => {
    await writeMetaFile(join(dir, "meta.yaml"), { ...runMetaFields(info), deleted_time: null });
    for (const folder of ["metrics", "params"]) await Deno.mkdir(join(dir, folder));
    if (artifactLocationPath(info.artifactUri) === join(target, "artifacts")) await Deno.mkdir(join(dir, "artifacts"));
    for (const [key, value] of Object.entries(tags)) await writeFileAtomic(join(dir, "tags", key), value, dir);
  });
  return readRun({ runId, experimentId, dir: target });
}

/**
 * Logs params. A param is immutable: logging a different value for an
 * existing key is an error (the same value again is fine), as in MLflow.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await logParams(location, [["model_type", "logistic"], ["C", 1]]);
 * ```
 */
export async function logParams(location: RunLocation, params: readonly [string, ParamValue][]): Promise<void> {
  const texts = params.map(([key, value]) => [key, paramText(key, value)] as const);
  const existing = await Promise.all(texts.map(([key]) => readTextIfExists(join(location.dir, "params", key))));
  // Check every key before writing any, so a refused batch leaves no partial write.
  texts.forEach(([key, text], index) => {
    const current = existing[index];
    if (current !== undefined && current !== text) {
      throw new TrackingError(
        "INVALID_PARAMETER_VALUE",
        `changing param values is not allowed: param '${key}' of run '${location.runId}' was logged as ` +
          `'${current}', now '${text}'`,
      );
    }
  });
  for (const [index, [key, text]] of texts.entries()) {
    if (existing[index] === undefined) await writeFileAtomic(join(location.dir, "params", key), text, location.dir);
  }
}

/**
 * Appends metric values to their histories, one append per key.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await logMetrics(location, [{ key: "auc", value: 0.91, timestamp: Date.now(), step: 0 }]);
 * ```
 */
export async function logMetrics(location: RunLocation, metrics: readonly Metric[]): Promise<void> {
  for (const metric of metrics) validateMetric(metric);
  const byKey = new Map<string, string>();
  for (const metric of metrics) byKey.set(metric.key, (byKey.get(metric.key) ?? "") + formatRunMetricLine(metric));
  for (const [key, lines] of byKey) await appendText(join(location.dir, "metrics", key), lines, location.dir);
}

/**
 * Sets tags; setting `mlflow.runName` also renames the run in meta.yaml.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await setTags(location, { stage: "candidate" });
 * ```
 */
export async function setTags(location: RunLocation, tags: Readonly<Record<string, string>>): Promise<void> {
  validateTags(tags);
  for (const [key, value] of Object.entries(tags)) {
    await writeFileAtomic(join(location.dir, "tags", key), value, location.dir);
    if (key === RUN_NAME_TAG) await rewriteRunInfo(location, (info) => ({ ...info, runName: value }));
  }
}

/**
 * Rewrites a run's meta.yaml through `change` (atomically; `deleted_time` is
 * dropped, as MLflow's rewrites do).
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await rewriteRunInfo(location, (info) => ({ ...info, status: "FINISHED", endTime: Date.now() }));
 * ```
 */
export async function rewriteRunInfo(location: RunLocation, change: (info: RunInfo) => RunInfo): Promise<RunInfo> {
  const updated = change(await readRunInfo(location));
  await writeMetaFile(join(location.dir, "meta.yaml"), runMetaFields(updated), location.dir);
  return updated;
}

/**
 * Fails unless the run is active (MLflow's `check_run_is_active`).
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await assertRunActive(location);
 * ```
 */
export async function assertRunActive(location: RunLocation): Promise<RunInfo> {
  const info = await readRunInfo(location);
  if (info.lifecycleStage !== "active") {
    throw new TrackingError("INVALID_STATE", `run '${info.runId}' must be active; it is ${info.lifecycleStage}`);
  }
  return info;
}

/**
 * Checks a metric as MLflow does: valid key, a number value, a non-negative
 * integer timestamp, an integer step.
 *
 * @example
 * ```ts
 * validateMetric({ key: "auc", value: 0.9, timestamp: 1, step: 0 }); // ok
 * ```
 */
export function validateMetric(metric: Metric): void {
  validateKey("metric", metric.key);
  if (typeof metric.value !== "number") {
    throw new TrackingError("INVALID_PARAMETER_VALUE", `metric '${metric.key}' value must be a number`);
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `metric '${metric.key}' timestamp must be a non-negative integer`,
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw new TrackingError("INVALID_PARAMETER_VALUE", `metric '${metric.key}' step must be an integer`);
  }
  for (const field of [metric.datasetName, metric.datasetDigest]) {
    if (field !== undefined && /\s/.test(field)) {
      throw new TrackingError("INVALID_PARAMETER_VALUE", `metric '${metric.key}' dataset fields cannot contain spaces`);
    }
  }
}

/**
 * Validates tag keys and values.
 *
 * @example
 * ```ts
 * validateTags({ "mlflow.note.content": "baseline" }); // ok
 * ```
 */
export function validateTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    validateKey("tag", key);
    if (typeof value !== "string") throw new TrackingError("INVALID_PARAMETER_VALUE", `tag '${key}' must be a string`);
    validateLength(`tag '${key}' value`, value, LIMITS.tagValue);
  }
}

/**
 * A param value as the text MLflow stores: strings as-is, numbers as
 * Python's `str()`, booleans as `True`/`False`.
 *
 * @example
 * ```ts
 * paramText("C", 0.5); // "0.5"
 * paramText("fit_intercept", true); // "True"
 * ```
 */
export function paramText(key: string, value: ParamValue): string {
  validateKey("param", key);
  const text = typeof value === "string"
    ? value
    : typeof value === "boolean"
    ? (value ? "True" : "False")
    : Number.isInteger(value)
    ? String(value)
    : pythonFloatRepr(value);
  validateLength(`param '${key}' value`, text, LIMITS.paramValue);
  return text;
}

/** The meta.yaml fields MLflow writes for a run (`_make_persisted_run_info_dict`). */
function runMetaFields(info: RunInfo): Record<string, unknown> {
  return {
    artifact_uri: info.artifactUri,
    end_time: info.endTime,
    entry_point_name: "",
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    source_name: "",
    source_type: 4,
    source_version: "",
    start_time: info.startTime,
    status: RUN_STATUS_CODES[info.status],
    tags: [],
    user_id: info.userId,
  };
}

function statusFromCode(meta: MetaFields): RunStatus {
  const code = meta.optionalInt("status") ?? RUN_STATUS_CODES.RUNNING;
  const status = (Object.keys(RUN_STATUS_CODES) as RunStatus[]).find((name) => RUN_STATUS_CODES[name] === code);
  return status ?? meta.fail("status", "a run status code 1-5", code);
}

async function readAllMetricHistories(location: RunLocation, cache?: ParsedFileCache): Promise<Map<string, Metric[]>> {
  const dir = join(location.dir, "metrics");
  const keys = await listStoredFiles(dir, cache);
  const histories = await Promise.all(keys.map(async (key) => {
    validateStoredKey("metric", key, join(dir, key));
    return [key, await readStoredHistory(location, key, cache)] as const;
  }));
  return new Map(histories.filter(([, history]) => history.length > 0));
}

/** The files under `dir` as sorted relative paths, through `cache` when given. */
async function listStoredFiles(dir: string, cache?: ParsedFileCache): Promise<string[]> {
  return cache === undefined ? await listFilesRecursive(dir) : cache.listFiles(dir);
}

async function readStoredHistory(location: RunLocation, key: string, cache?: ParsedFileCache): Promise<Metric[]> {
  const path = runFile(location, `metrics/${key}`);
  return (await readParsedFile(path, "metric", (text) => parseRunMetricFile(text, key, path), cache)) ?? [];
}

/**
 * The latest value of one metric (MLflow's rule: highest step, then
 * timestamp, then value), `undefined` when never logged.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await readLatestMetric(location, "auc"); // 0.91
 * ```
 */
export async function readLatestMetric(
  location: RunLocation,
  key: string,
  cache?: ParsedFileCache,
): Promise<number | undefined> {
  const history = await readStoredHistory(location, key, cache);
  return history.length === 0 ? undefined : latestMetric(history).value;
}

/**
 * One param or tag value, `undefined` when not set.
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await readRunValue(location, "tags", "mlflow.parentRunId"); // the parent's id, or undefined
 * ```
 */
export function readRunValue(
  location: RunLocation,
  folder: "params" | "tags",
  key: string,
  cache?: ParsedFileCache,
): Promise<string | undefined> {
  return readParsedFile(runFile(location, `${folder}/${key}`), "value", (text) => text, cache);
}

/**
 * A file of the run's folder. Joined by hand on purpose: a search over 5,000 runs makes 15,000 of these, and
 * `join`'s normalisation was 9% of the UI's warm experiment page in a profile. `location.dir` comes normalised
 * from `join` and stored keys are validated to be normal relative paths (`validateKey`), so the result is the same.
 */
function runFile(location: RunLocation, relative: string): string {
  return `${location.dir}/${relative}`;
}

async function readKeyedValues(
  location: RunLocation,
  folder: "params" | "tags",
  cache?: ParsedFileCache,
): Promise<Record<string, string>> {
  const kind = folder === "params" ? "param" : "tag";
  const keys = await listStoredFiles(join(location.dir, folder), cache);
  const values = await Promise.all(keys.map((key) => {
    validateStoredKey(kind, key, join(location.dir, folder, key));
    return readRunValue(location, folder, key, cache);
  }));
  return Object.fromEntries(keys.flatMap((key, index) => {
    const value = values[index];
    return value === undefined ? [] : [[key, value]];
  }));
}

/**
 * Re-checks a key read from disk (MLflow validates keys on read too).
 *
 * @example
 * ```ts
 * validateStoredKey("param", "C", "/m/0/r/params/C"); // ok
 * ```
 */
export function validateStoredKey(kind: "param" | "metric" | "tag", key: string, path: string): void {
  try {
    validateKey(kind, key);
  } catch (error) {
    throw new TrackingError("CORRUPT_STORE", (error as Error).message, { path });
  }
}

async function readModelOutputs(location: RunLocation, cache?: ParsedFileCache): Promise<ModelOutput[]> {
  const dir = join(location.dir, "outputs");
  const outputs: ModelOutput[] = [];
  const names = cache === undefined
    ? await listSubdirectories(dir)
    : cache.listFiles(dir).flatMap((file) =>
      /^[^/]+\/meta\.yaml$/.test(file) ? [file.slice(0, file.indexOf("/"))] : []
    );
  for (const name of names) {
    const path = join(dir, name, "meta.yaml");
    const meta = await readParsedFile(path, "meta", (text) => parseMetaText(text, path), cache);
    if (!meta) continue;
    meta.requireKeys("source_type", "source_id", "destination_type", "destination_id", "tags", "step");
    if (meta.optionalString("destination_type") !== "MODEL_OUTPUT") continue;
    outputs.push({ modelId: meta.string("destination_id"), step: meta.int("step") });
  }
  return outputs;
}

/**
 * Records that a run produced a logged model (`<run>/outputs/<model_id>/meta.yaml`).
 *
 * @example
 * ```ts
 * declare const location: RunLocation; // from findRun
 *
 * await writeModelOutput(location, "m-d2cbb33c40c84b7584bff0a6340829a8", 0);
 * ```
 */
export async function writeModelOutput(location: RunLocation, modelId: string, step: number): Promise<void> {
  await writeMetaFile(join(location.dir, "outputs", modelId, "meta.yaml"), {
    destination_id: modelId,
    destination_type: "MODEL_OUTPUT",
    source_id: modelId,
    source_type: "RUN_OUTPUT",
    step,
    tags: {},
  }, location.dir);
}

/**
 * True when a run's lifecycle stage is in the view.
 *
 * @example
 * ```ts
 * matchesView("deleted", "ACTIVE_ONLY"); // false
 * ```
 */
export function matchesView(stage: string, view: ViewType): boolean {
  return view === "ALL" || (view === "ACTIVE_ONLY" ? stage === "active" : stage === "deleted");
}

const ADJECTIVES = [
  "brave",
  "calm",
  "clever",
  "eager",
  "gentle",
  "honest",
  "lucky",
  "merry",
  "quiet",
  "salty",
  "swift",
];
const NOUNS = ["ant", "bass", "crow", "doe", "fox", "hare", "lark", "moth", "owl", "roo", "swan", "wasp"];

/** MLflow-style random run name (`salty-wasp-808`), used when none is given. */
function randomRunName(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint16Array(3));
  return `${ADJECTIVES[a % ADJECTIVES.length]}-${NOUNS[b % NOUNS.length]}-${c % 1000}`;
}
