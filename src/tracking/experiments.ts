/**
 * Experiments: `<root>/<experiment_id>/meta.yaml` plus `tags/`, and deleted
 * ones under `<root>/.trash/`.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import type { Experiment, LifecycleStage, Listing, StoreProblem, ViewType } from "./entities.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import { withFileLock } from "./lock.ts";
import { readMetaFile, writeMetaFile } from "./meta_file.ts";
import {
  createFolderAtomically,
  initializeStore,
  REGISTRY_FOLDER,
  type StoreContext,
  TRASH_FOLDER,
} from "./store_context.ts";
import { listSubdirectories, readValueFiles } from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { appendToUri, fileUriToPath, pathToFileUri, uriScheme } from "./uri.ts";
import { validateExperimentId, validateExperimentName, validateKey, validateLength } from "./validation.ts";

/** MLflow's default experiment. */
export const DEFAULT_EXPERIMENT_ID = "0";
/** The tag MLflow 3 uses to tell model-training experiments from GenAI ones (the seed store has it). */
const EXPERIMENT_KIND_TAG = "mlflow.experimentKind";

/** Where an experiment's folder is, and whether it is in the trash. */
export interface ExperimentLocation {
  readonly experimentId: string;
  readonly dir: string;
  readonly inTrash: boolean;
}

/**
 * Lists the experiment folders of a store (active: the root's sub-folders
 * except `models` and names ending in `.trash`; deleted: `.trash/`'s).
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const locations = await listExperimentLocations(context, "ACTIVE_ONLY");
 * ```
 */
export async function listExperimentLocations(context: StoreContext, view: ViewType): Promise<ExperimentLocation[]> {
  const locations: ExperimentLocation[] = [];
  if (view !== "DELETED_ONLY") {
    for (const name of await listSubdirectories(context.root)) {
      if (name.endsWith(".trash") || name === REGISTRY_FOLDER) continue;
      locations.push({ experimentId: name, dir: join(context.root, name), inTrash: false });
    }
  }
  if (view !== "ACTIVE_ONLY") {
    for (const name of await listSubdirectories(join(context.root, TRASH_FOLDER))) {
      locations.push({ experimentId: name, dir: join(context.root, TRASH_FOLDER, name), inTrash: true });
    }
  }
  return locations;
}

/**
 * Finds an experiment's folder (active first, then the trash).
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * (await findExperiment(context, "0"))?.dir; // "/data/mlruns/0"
 * ```
 */
export async function findExperiment(
  context: StoreContext,
  experimentId: string,
): Promise<ExperimentLocation | undefined> {
  validateExperimentId(experimentId);
  const all = await listExperimentLocations(context, "ALL");
  return all.find((location) => location.experimentId === experimentId);
}

/**
 * Reads the experiment in a folder. Its recorded `experiment_id` must equal
 * the folder name (MLflow ignores the experiment otherwise).
 *
 * @example
 * ```ts
 * declare const location: ExperimentLocation; // from findExperiment
 *
 * const experiment = await readExperiment(location);
 * ```
 */
export async function readExperiment(location: ExperimentLocation): Promise<Experiment> {
  const path = join(location.dir, "meta.yaml");
  const meta = await readMetaFile(path);
  if (!meta) throw new TrackingError("CORRUPT_STORE", "experiment meta.yaml is missing", { path });
  const experimentId = meta.id("experiment_id");
  if (experimentId !== location.experimentId) {
    throw new TrackingError(
      "CORRUPT_STORE",
      `experiment ID mismatch: recorded '${experimentId}', folder '${location.experimentId}'`,
      { path },
    );
  }
  meta.requireKeys("artifact_location", "lifecycle_stage");
  return {
    experimentId,
    name: meta.string("name"),
    artifactLocation: meta.optionalString("artifact_location") ?? "",
    lifecycleStage: (meta.optionalString("lifecycle_stage") ?? "active") as LifecycleStage,
    creationTime: meta.optionalInt("creation_time"),
    lastUpdateTime: meta.optionalInt("last_update_time"),
    tags: Object.fromEntries(await readValueFiles(join(location.dir, "tags"))),
  };
}

/**
 * Gets an experiment by id (active or deleted).
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * (await getExperiment(context, "0")).name; // "Default"
 * ```
 */
export async function getExperiment(context: StoreContext, experimentId: string): Promise<Experiment> {
  const location = await findExperiment(context, experimentId);
  if (!location) {
    throw new TrackingError(
      "RESOURCE_DOES_NOT_EXIST",
      `experiment '${experimentId}' does not exist in ${context.root}`,
    );
  }
  return readExperiment(location);
}

/**
 * Lists experiments, newest first (MLflow's default order: creation time
 * descending, then id). Unreadable ones are reported in `problems`.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const { items, problems } = await listExperiments(context);
 * ```
 */
export async function listExperiments(
  context: StoreContext,
  view: ViewType = "ACTIVE_ONLY",
): Promise<Listing<Experiment>> {
  const locations = await listExperimentLocations(context, view);
  const problems: StoreProblem[] = [];
  const read = await Promise.all(locations.map(async (location) => {
    try {
      return await readExperiment(location);
    } catch (error) {
      if (!isTrackingError(error, "CORRUPT_STORE")) throw error;
      problems.push({ path: error.path ?? location.dir, message: error.message });
      return undefined;
    }
  }));
  const items = read.filter((experiment): experiment is Experiment => experiment !== undefined)
    .sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0) || (a.experimentId < b.experimentId ? -1 : 1));
  return { items, problems };
}

/**
 * Finds an active experiment by exact name.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * (await getExperimentByName(context, "Customer_Conversion_Scorecard"))?.experimentId;
 * ```
 */
export async function getExperimentByName(context: StoreContext, name: string): Promise<Experiment | null> {
  const { items } = await listExperiments(context, "ACTIVE_ONLY");
  return items.find((experiment) => experiment.name === name) ?? null;
}

/** Options of {@link createExperiment}. */
export interface CreateExperimentOptions {
  /** A local path or `file:` URI; default `<root>/<experiment_id>`. */
  readonly artifactLocation?: string;
  /** Experiment tags to set at creation. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Creates an experiment with a new 18-digit id (as MLflow generates them).
 * The name must be unused by active and deleted experiments; the check and
 * the creation run under the store's experiment lock, so two processes
 * creating the same name cannot both succeed.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const id = await createExperiment(context, "Customer_Conversion_Scorecard");
 * ```
 */
export async function createExperiment(
  context: StoreContext,
  name: string,
  options: CreateExperimentOptions = {},
): Promise<string> {
  validateExperimentName(name);
  const tags = { [EXPERIMENT_KIND_TAG]: "custom_model_development", ...options.tags };
  for (const [key, value] of Object.entries(tags)) {
    validateKey("tag", key);
    validateLength("tag value", value, 5000);
  }
  await initializeStore(context);
  return await withExperimentLock(context, async () => {
    await assertNameFree(context, name);
    const experimentId = generateExperimentId();
    await writeExperimentFolder(context, experimentId, name, options.artifactLocation, tags);
    return experimentId;
  });
}

/**
 * Returns the active experiment with this name, creating it when missing (as
 * `mlflow.set_experiment` does), race-free across processes.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * const experiment = await getOrCreateExperiment(context, "Customer_Conversion_Scorecard");
 * ```
 */
export async function getOrCreateExperiment(context: StoreContext, name: string): Promise<Experiment> {
  const existing = await getExperimentByName(context, name);
  if (existing) return existing;
  try {
    return await getExperiment(context, await createExperiment(context, name));
  } catch (error) {
    if (!isTrackingError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
    const created = await getExperimentByName(context, name);
    if (created) return created;
    throw error;
  }
}

/**
 * Creates experiment `0` ("Default") when it is missing, as MLflow's fluent
 * API expects it.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 *
 * const context = createStoreContext("/data/mlruns");
 * await ensureDefaultExperiment(context);
 * ```
 */
export async function ensureDefaultExperiment(context: StoreContext): Promise<void> {
  await initializeStore(context);
  if (await findExperiment(context, DEFAULT_EXPERIMENT_ID)) return;
  await withExperimentLock(context, async () => {
    if (await findExperiment(context, DEFAULT_EXPERIMENT_ID)) return;
    await writeExperimentFolder(context, DEFAULT_EXPERIMENT_ID, "Default", undefined, {});
  });
}

/**
 * The local folder of an artifact location URI (a `file:` URI or plain path),
 * resolved against the current directory as MLflow does; `undefined` for
 * remote schemes.
 *
 * @example
 * ```ts
 * artifactLocationPath("file:///tmp/mlruns/0"); // "/tmp/mlruns/0"
 * ```
 */
export function artifactLocationPath(uri: string): string | undefined {
  const scheme = uriScheme(uri);
  if (scheme !== undefined && scheme !== "file") return undefined;
  return resolve(fileUriToPath(uri));
}

async function writeExperimentFolder(
  context: StoreContext,
  experimentId: string,
  name: string,
  artifactLocation: string | undefined,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  const now = context.now();
  const fields = {
    artifact_location: resolveArtifactLocation(context, experimentId, artifactLocation),
    creation_time: now,
    experiment_id: experimentId,
    last_update_time: now,
    lifecycle_stage: "active",
    name,
  };
  await createFolderAtomically(context, join(context.root, experimentId), async (dir) => {
    await writeMetaFile(join(dir, "meta.yaml"), fields);
    for (const [key, value] of Object.entries(tags)) await writeFileAtomic(join(dir, "tags", key), value, dir);
  });
}

function resolveArtifactLocation(context: StoreContext, experimentId: string, given: string | undefined): string {
  if (given === undefined) return appendToUri(context.rootUri, experimentId);
  const path = artifactLocationPath(given);
  if (path === undefined) {
    throw new TrackingError("UNSUPPORTED_URI", `artifact location "${given}" is not a local path or file: URI`);
  }
  if (given.startsWith("runs:")) {
    throw new TrackingError("INVALID_PARAMETER_VALUE", "artifact location cannot be runs:/");
  }
  return pathToFileUri(isAbsolute(path) ? path : resolve(path));
}

async function assertNameFree(context: StoreContext, name: string): Promise<void> {
  const { items } = await listExperiments(context, "ALL");
  const clash = items.find((experiment) => experiment.name === name);
  if (!clash) return;
  const state = clash.lifecycleStage === "deleted" ? " in deleted state (restore it or remove it from .trash)" : "";
  throw new TrackingError("RESOURCE_ALREADY_EXISTS", `experiment '${name}' already exists${state}`);
}

function withExperimentLock<T>(context: StoreContext, body: () => Promise<T>): Promise<T> {
  return withFileLock(join(context.root, ".experiments.lock"), body);
}

/** 18 random decimal digits without a leading zero, like MLflow's `_generate_unique_integer_id`. */
function generateExperimentId(): string {
  // crypto, not the seeded generator: ids must differ across concurrent processes, as MLflow's uuid4-based ones do.
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Array.from(bytes, (byte, index) => index === 0 ? 1 + (byte % 9) : byte % 10).join("");
}
