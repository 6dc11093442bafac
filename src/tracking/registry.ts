/**
 * The model registry: `<root>/models/<name>/` with `meta.yaml`, `tags/`,
 * `aliases/<alias>` (content: the version number, no newline) and
 * `version-<n>/` folders holding `meta.yaml` and `tags/`.
 *
 * Every change to one registered model runs under that model's lock file
 * (`models/<name>/.registry.lock`, ignored by MLflow, which lists only
 * folders there): version numbers are allocated as max + 1 inside the lock,
 * and each new version folder is renamed into place complete, so four
 * processes registering at once get distinct, gap-free numbers.
 *
 * @module
 */
import { join } from "node:path";
import type { Listing, ModelStage, ModelVersion, RegisteredModel, StoreProblem } from "./entities.ts";
import { isTrackingError, TrackingError } from "./errors.ts";
import { withFileLock } from "./lock.ts";
import { MetaFields, readMetaFile, requireMetaFile, writeMetaFile } from "./meta_file.ts";
import { validateTags } from "./runs.ts";
import { createFolderAtomically, initializeStore, REGISTRY_FOLDER, type StoreContext } from "./store_context.ts";
import { isDirectory, listSubdirectories, readValueFiles } from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import {
  validateAliasName,
  validateKey,
  validateModelVersion,
  validateNewRegisteredModelName,
  validateRegisteredModelName,
  validateRunId,
} from "./validation.ts";

/** The legacy stages, in MLflow's order. */
export const MODEL_STAGES: readonly ModelStage[] = ["None", "Staging", "Production", "Archived"];
/** The stage MLflow's file store uses to mark a deleted version. */
const DELETED_STAGE = "Deleted_Internal";
const VERSION_PREFIX = "version-";
const LOCK_FILE = ".registry.lock";

/**
 * The stage with MLflow's spelling, from any letter case.
 *
 * @example
 * ```ts
 * canonicalStage("production"); // "Production"
 * ```
 */
export function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((candidate) => candidate.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw new TrackingError(
      "INVALID_PARAMETER_VALUE",
      `invalid model stage '${stage}'; use ${MODEL_STAGES.join(", ")}`,
    );
  }
  return found;
}

/**
 * Lists the registered models (by name), reporting unreadable ones.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * const { items } = await listRegisteredModels(context);
 * ```
 */
export async function listRegisteredModels(context: StoreContext): Promise<Listing<RegisteredModel>> {
  const problems: StoreProblem[] = [];
  const items: RegisteredModel[] = [];
  for (const name of await listSubdirectories(join(context.root, REGISTRY_FOLDER))) {
    try {
      items.push(await readRegisteredModel(context, name));
    } catch (error) {
      if (!isTrackingError(error)) throw error;
      problems.push({ path: error.path ?? modelDir(context, name), message: error.message });
    }
  }
  return { items, problems };
}

/**
 * Reads a registered model.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * (await getRegisteredModel(context, "customer_conversion_model")).aliases.champion
 * ```
 */
export async function getRegisteredModel(context: StoreContext, name: string): Promise<RegisteredModel> {
  validateRegisteredModelName(name);
  if (!(await isDirectory(modelDir(context, name)))) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `registered model '${name}' not found`);
  }
  return readRegisteredModel(context, name);
}

/**
 * Creates a registered model; `RESOURCE_ALREADY_EXISTS` if the name is taken.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * await createRegisteredModel(context, "customer_conversion_model", { tags: { team: "growth" } });
 * ```
 */
export async function createRegisteredModel(
  context: StoreContext,
  name: string,
  options: { tags?: Readonly<Record<string, string>>; description?: string } = {},
): Promise<RegisteredModel> {
  validateNewRegisteredModelName(name);
  validateTags(options.tags ?? {});
  await initializeStore(context);
  const now = context.now();
  try {
    await createFolderAtomically(context, modelDir(context, name), async (dir) => {
      await writeMetaFile(join(dir, "meta.yaml"), {
        aliases: {},
        creation_timestamp: now,
        deployment_job_id: null,
        deployment_job_state: null,
        description: options.description ?? null,
        last_updated_timestamp: now,
        name,
      });
      for (const [key, value] of Object.entries(options.tags ?? {})) {
        await writeFileAtomic(join(dir, "tags", key), value, dir);
      }
    });
  } catch (error) {
    if (isTrackingError(error, "RESOURCE_ALREADY_EXISTS")) {
      throw new TrackingError("RESOURCE_ALREADY_EXISTS", `registered model '${name}' already exists`);
    }
    throw error;
  }
  return readRegisteredModel(context, name);
}

/** What a new model version records. */
export interface NewModelVersion {
  readonly name: string;
  readonly source: string;
  /** Where `source` resolves; MLflow stores it as `storage_location`. */
  readonly storageLocation: string;
  readonly runId?: string | null;
  readonly modelId?: string | null;
  readonly runLink?: string | null;
  readonly description?: string | null;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Creates the next version of a registered model (status READY, stage
 * `None`), numbered under the model's lock.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * declare const name: string;
 * declare const runId: string;
 * declare const storageLocation: string;
 * const version = await createModelVersion(context, { name, source: `runs:/${runId}/model`, storageLocation, runId });
 * ```
 */
export async function createModelVersion(context: StoreContext, spec: NewModelVersion): Promise<ModelVersion> {
  validateRegisteredModelName(spec.name);
  if (spec.runId) validateRunId(spec.runId);
  validateTags(spec.tags ?? {});
  await getRegisteredModel(context, spec.name);
  const version = await withModelLock(context, spec.name, async () => {
    const next = Math.max(0, ...(await versionNumbers(context, spec.name))) + 1;
    const now = context.now();
    await createFolderAtomically(context, versionDir(context, spec.name, next), async (dir) => {
      await writeMetaFile(join(dir, "meta.yaml"), {
        creation_timestamp: now,
        current_stage: "None",
        deployment_job_state: null,
        description: spec.description ?? null,
        last_updated_timestamp: now,
        model_id: spec.modelId ?? null,
        name: spec.name,
        run_id: spec.runId ?? null,
        run_link: spec.runLink ?? null,
        source: spec.source,
        status: "READY",
        status_message: null,
        storage_location: spec.storageLocation,
        user_id: null,
        version: next,
      });
      for (const [key, value] of Object.entries(spec.tags ?? {})) {
        await writeFileAtomic(join(dir, "tags", key), value, dir);
      }
    });
    await touchRegisteredModel(context, spec.name, now);
    return next;
  });
  return getModelVersion(context, spec.name, version);
}

/**
 * Reads one version; deleted versions (stage `Deleted_Internal`) are not found, as in MLflow.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * (await getModelVersion(context, "customer_conversion_model", 1)).currentStage; // "Production"
 * ```
 */
export async function getModelVersion(
  context: StoreContext,
  name: string,
  version: number | string,
): Promise<ModelVersion> {
  validateRegisteredModelName(name);
  const number = validateModelVersion(version);
  const model = await getRegisteredModel(context, name);
  const meta = await readMetaFile(join(versionDir(context, name, number), "meta.yaml"));
  if (!meta || meta.optionalString("current_stage") === DELETED_STAGE) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `model version (name=${name}, version=${number}) not found`);
  }
  return readModelVersion(context, meta, name, number, model.aliases);
}

/**
 * Lists a registered model's versions in version order (deleted ones
 * hidden), reporting unreadable ones.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * (await listModelVersions(context, "customer_conversion_model")).items.map((v) => v.version); // [1, 2, 3]
 * ```
 */
export async function listModelVersions(context: StoreContext, name: string): Promise<Listing<ModelVersion>> {
  const model = await getRegisteredModel(context, name);
  const problems: StoreProblem[] = [];
  const items: ModelVersion[] = [];
  for (const number of (await versionNumbers(context, name)).sort((a, b) => a - b)) {
    const path = join(versionDir(context, name, number), "meta.yaml");
    try {
      const meta = await requireMetaFile(path);
      if (meta.optionalString("current_stage") === DELETED_STAGE) continue;
      items.push(await readModelVersion(context, meta, name, number, model.aliases));
    } catch (error) {
      if (!isTrackingError(error)) throw error;
      problems.push({ path: error.path ?? path, message: error.message });
    }
  }
  return { items, problems };
}

/**
 * The highest version in each stage (MLflow's `get_latest_versions`), in
 * stage order; all stages when `stages` is empty.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * declare const name: string;
 * (await getLatestVersions(context, name, ["Production"]))[0]?.version
 * ```
 */
export async function getLatestVersions(
  context: StoreContext,
  name: string,
  stages: readonly string[] = [],
): Promise<ModelVersion[]> {
  const wanted = stages.length === 0 ? MODEL_STAGES : stages.map(canonicalStage);
  const { items } = await listModelVersions(context, name);
  return MODEL_STAGES.filter((stage) => wanted.includes(stage))
    .map((stage) => items.filter((version) => version.currentStage === stage).at(-1))
    .filter((version): version is ModelVersion => version !== undefined);
}

/** The state an alias must be in for {@link compareAndSetAlias} to go ahead. */
export interface AliasExpectation {
  readonly alias: string;
  /** The version it must point at; `null`: it must not exist. */
  readonly version: number | null;
}

/**
 * Points `alias` at `version` only if `expected.alias` is still in the
 * expected state, checked and written under the model's lock, so that two
 * processes deciding from the same observation cannot both act on it (the
 * second sees the change and must decide again). Returns whether the alias
 * was set; without `expected` it always is (a plain `setAlias`).
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * // Replace champion v1 by v3, unless another process moved the champion meanwhile:
 * const moved = await compareAndSetAlias(context, "customer_conversion_model", "champion", 3, {
 *   alias: "champion",
 *   version: 1,
 * });
 * ```
 */
export async function compareAndSetAlias(
  context: StoreContext,
  name: string,
  alias: string,
  version: number | string,
  expected?: AliasExpectation,
): Promise<boolean> {
  validateAliasName(alias);
  if (expected) validateAliasName(expected.alias);
  const number = (await getModelVersion(context, name, version)).version;
  return await withModelLock(context, name, async () => {
    const dir = modelDir(context, name);
    if (expected && ((await readAliases(dir))[expected.alias] ?? null) !== expected.version) return false;
    await writeFileAtomic(join(dir, "aliases", alias), String(number), dir);
    await touchRegisteredModel(context, name, context.now());
    return true;
  });
}

/**
 * The version an alias points at.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * (await getModelVersionByAlias(context, "customer_conversion_model", "champion")).version
 * ```
 */
export async function getModelVersionByAlias(
  context: StoreContext,
  name: string,
  alias: string,
): Promise<ModelVersion> {
  validateAliasName(alias);
  const model = await getRegisteredModel(context, name);
  const version = model.aliases[alias];
  if (version === undefined) {
    throw new TrackingError("RESOURCE_DOES_NOT_EXIST", `registered model '${name}' has no alias '${alias}'`);
  }
  return getModelVersion(context, name, version);
}

/**
 * Sets (or, with `undefined`, deletes) a tag of a registered model.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * declare const name: string;
 * await setRegisteredModelTag(context, name, "owner", "growth-team");
 * ```
 */
export async function setRegisteredModelTag(
  context: StoreContext,
  name: string,
  key: string,
  value: string | undefined,
): Promise<void> {
  await getRegisteredModel(context, name);
  await withModelLock(context, name, async () => {
    await writeOrDeleteTag(join(modelDir(context, name), "tags"), key, value, modelDir(context, name));
    await touchRegisteredModel(context, name, context.now());
  });
}

/**
 * Sets (or, with `undefined`, deletes) a tag of a model version.
 *
 * @example
 * ```ts
 * import type { StoreContext } from "./store_context.ts";
 * declare const context: StoreContext;
 * declare const name: string;
 * await setModelVersionTag(context, name, 3, "validated", "true");
 * ```
 */
export async function setModelVersionTag(
  context: StoreContext,
  name: string,
  version: number | string,
  key: string,
  value: string | undefined,
): Promise<void> {
  const number = (await getModelVersion(context, name, version)).version;
  await withModelLock(context, name, async () => {
    const dir = versionDir(context, name, number);
    await writeOrDeleteTag(join(dir, "tags"), key, value, dir);
    await touchRegisteredModel(context, name, context.now());
  });
}

async function writeOrDeleteTag(tagsDir: string, key: string, value: string | undefined, scratch: string) {
  validateKey("tag", key);
  if (value === undefined) await Deno.remove(join(tagsDir, key)).catch(() => {});
  else {
    validateTags({ [key]: value });
    await writeFileAtomic(join(tagsDir, key), value, scratch);
  }
}

async function readRegisteredModel(context: StoreContext, name: string): Promise<RegisteredModel> {
  const dir = modelDir(context, name);
  const meta = await requireMetaFile(join(dir, "meta.yaml"));
  const recorded = meta.string("name");
  if (recorded !== name) meta.fail("name", `the folder name '${name}'`, recorded);
  const [tags, aliases] = await Promise.all([readValueFiles(join(dir, "tags")), readAliases(dir)]);
  return {
    name,
    creationTimestamp: meta.int("creation_timestamp"),
    lastUpdatedTimestamp: meta.optionalInt("last_updated_timestamp") ?? meta.int("creation_timestamp"),
    description: meta.optionalString("description"),
    tags: Object.fromEntries(tags),
    aliases,
  };
}

async function readAliases(dir: string): Promise<Record<string, number>> {
  const aliases: Record<string, number> = {};
  for (const [alias, content] of await readValueFiles(join(dir, "aliases"))) {
    // MLflow opens `version-<content>` verbatim, so anything but bare digits is a broken alias.
    if (!/^\d+$/.test(content)) {
      throw new TrackingError(
        "CORRUPT_STORE",
        `alias file must hold a version number, got ${JSON.stringify(content)}`,
        {
          path: join(dir, "aliases", alias),
        },
      );
    }
    aliases[alias] = Number(content);
  }
  return aliases;
}

async function readModelVersion(
  context: StoreContext,
  meta: MetaFields,
  name: string,
  number: number,
  aliases: Readonly<Record<string, number>>,
): Promise<ModelVersion> {
  const recordedName = meta.string("name");
  if (recordedName !== name) meta.fail("name", `the registered model '${name}'`, recordedName);
  const rawVersion = meta.values.version;
  const recordedVersion = typeof rawVersion === "string" && /^\d+$/.test(rawVersion)
    ? Number(rawVersion)
    : meta.int("version");
  if (recordedVersion !== number) meta.fail("version", `the folder number ${number}`, meta.values.version);
  const stage = meta.optionalString("current_stage");
  const tags = await readValueFiles(join(versionDir(context, name, number), "tags"));
  return {
    name,
    version: number,
    creationTimestamp: meta.int("creation_timestamp"),
    lastUpdatedTimestamp: meta.optionalInt("last_updated_timestamp"),
    currentStage: stage === null ? null : canonicalStageOrFail(meta, stage),
    description: meta.optionalString("description"),
    userId: meta.optionalString("user_id"),
    source: meta.optionalString("source") ?? "",
    storageLocation: meta.optionalString("storage_location"),
    runId: meta.optionalString("run_id"),
    runLink: meta.optionalString("run_link"),
    modelId: meta.optionalString("model_id"),
    status: meta.optionalString("status") ?? "READY",
    statusMessage: meta.optionalString("status_message"),
    tags: Object.fromEntries(tags),
    aliases: Object.entries(aliases).filter(([, target]) => target === number).map(([alias]) => alias).sort(),
  };
}

function canonicalStageOrFail(meta: MetaFields, stage: string): ModelStage {
  try {
    return canonicalStage(stage);
  } catch {
    return meta.fail("current_stage", MODEL_STAGES.join(", "), stage);
  }
}

async function versionNumbers(context: StoreContext, name: string): Promise<number[]> {
  return (await listSubdirectories(modelDir(context, name)))
    .filter((folder) => folder.startsWith(VERSION_PREFIX) && /^\d+$/.test(folder.slice(VERSION_PREFIX.length)))
    .map((folder) => Number(folder.slice(VERSION_PREFIX.length)));
}

/** Rewrites the registered model's meta.yaml with a new update time and the current alias map, as MLflow does. */
async function touchRegisteredModel(context: StoreContext, name: string, now: number): Promise<void> {
  const dir = modelDir(context, name);
  const meta = await requireMetaFile(join(dir, "meta.yaml"));
  const aliases = Object.fromEntries(Object.entries(await readAliases(dir)).map(([alias, v]) => [alias, String(v)]));
  await writeMetaFile(join(dir, "meta.yaml"), { ...meta.values, aliases, last_updated_timestamp: now }, dir);
}

function withModelLock<T>(context: StoreContext, name: string, body: () => Promise<T>): Promise<T> {
  return withFileLock(join(modelDir(context, name), LOCK_FILE), body);
}

function modelDir(context: StoreContext, name: string): string {
  return join(context.root, REGISTRY_FOLDER, name);
}

function versionDir(context: StoreContext, name: string, version: number): string {
  return join(modelDir(context, name), `${VERSION_PREFIX}${version}`);
}
