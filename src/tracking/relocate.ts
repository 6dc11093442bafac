/**
 * Copied and moved stores. MLflow records absolute artifact locations
 * (experiment `artifact_location`, run `artifact_uri`, logged model
 * `artifact_location`, version `storage_location`), so in a copy of a store
 * they all still point into the original. Reads cope (they fall back to the
 * entity's folder inside the store), but a write would follow them: a new
 * run's artifacts and a new version's storage location would land in the
 * original store, or recreate a moved store's old path.
 *
 * So before its first write a client checks whether the store records the
 * layout of a store rooted elsewhere (an experiment whose artifact location
 * is `<other root>/<experiment id>`, where `<other root>` is gone or is
 * another store holding that experiment) and, if so, relocates it: every
 * recorded location under the other root is rewritten to the same place
 * under this root, one meta.yaml at a time, each atomically, under a
 * store-wide lock, with a notice; a relocation cut short by a crash is
 * finished by the next writer. An experiment whose artifacts were put
 * elsewhere on purpose (an existing folder that is not a store) is left
 * alone.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { artifactLocationPath, listExperimentLocations } from "./experiments.ts";
import { withFileLock } from "./lock.ts";
import { readMetaFile, writeMetaFile } from "./meta_file.ts";
import { REGISTRY_FOLDER, RESERVED_EXPERIMENT_FOLDERS, type StoreContext } from "./store_context.ts";
import { isFile, listSubdirectories, pathExists } from "./store_fs.ts";
import { pathToFileUri } from "./uri.ts";

/** The recorded locations a relocation rewrites, by the meta.yaml key that holds them. */
const LOCATION_KEYS = ["artifact_location", "artifact_uri", "storage_location", "source"];

/**
 * Relocates a copied or moved store (see the module notes), with a notice
 * naming the other store; nothing happens to a store that records its own
 * locations.
 *
 * @example
 * ```ts
 * import { createStoreContext } from "./store_context.ts";
 * await relocateCopiedStore(createStoreContext("/data/copy-of-mlruns"));
 * ```
 */
export async function relocateCopiedStore(context: StoreContext): Promise<void> {
  if ((await foreignRoot(context)) === undefined) return;
  await withFileLock(join(context.root, ".relocate.lock"), async () => {
    // Another process may have relocated the store while this one waited for the lock.
    const from = await foreignRoot(context);
    if (from === undefined) return;
    const rewritten = await rewriteLocations(context, from.path);
    console.warn(
      `notice: ${context.root} is a copy or move of the store at ${from.recorded}: its recorded artifact ` +
        `locations pointed there, so new artifacts would have been written there; rewrote ${rewritten} ` +
        `meta.yaml file(s) to point into ${context.root}`,
    );
  });
}

/**
 * The root of the store this one was copied or moved from, if its experiments record one: as a local path, and as
 * recorded (a Windows-written `file:C:/...` has no meaningful local path).
 */
async function foreignRoot(context: StoreContext): Promise<{ path: string; recorded: string } | undefined> {
  const here = await Deno.realPath(context.root).catch(() => context.root);
  for (const location of await listExperimentLocations(context, "ALL")) {
    const recorded = (await readMetaFile(join(location.dir, "meta.yaml")).catch(() => undefined))
      ?.values.artifact_location;
    const path = localPath(recorded);
    if (path === undefined || basename(path) !== location.experimentId) continue;
    const root = dirname(path);
    if (root === context.root) continue;
    const found = { path: root, recorded: String(recorded).replace(/\/+[^/]+\/*$/, "") };
    if (!(await pathExists(root))) return found;
    const sameStore = (await Deno.realPath(root).catch(() => root)) === here;
    if (!sameStore && (await isFile(join(root, location.experimentId, "meta.yaml")))) return found;
  }
  return undefined;
}

/** Rewrites every recorded location under `from` to the same place under the store's root; returns the files changed. */
async function rewriteLocations(context: StoreContext, from: string): Promise<number> {
  let rewritten = 0;
  const rewrite = async (dir: string) => {
    const path = join(dir, "meta.yaml");
    const meta = await readMetaFile(path).catch(() => undefined);
    if (!meta) return;
    const changes: Record<string, string> = {};
    for (const key of LOCATION_KEYS) {
      const local = localPath(meta.values[key]);
      if (local !== undefined && (local === from || local.startsWith(`${from}/`))) {
        changes[key] = pathToFileUri(context.root + local.slice(from.length));
      }
    }
    if (Object.keys(changes).length === 0) return;
    await writeMetaFile(path, { ...meta.values, ...changes }, dir);
    rewritten++;
  };
  const registry = join(context.root, REGISTRY_FOLDER);
  for (const name of await listSubdirectories(registry)) {
    for (const version of await listSubdirectories(join(registry, name))) {
      if (version.startsWith("version-")) await rewrite(join(registry, name, version));
    }
  }
  // Each experiment's own record last: it is what detection looks at, so a relocation cut short by a crash is
  // detected and finished by the next writer.
  for (const experiment of await listExperimentLocations(context, "ALL")) {
    for (const name of await listSubdirectories(experiment.dir)) {
      if (!RESERVED_EXPERIMENT_FOLDERS.has(name)) await rewrite(join(experiment.dir, name));
    }
    for (const modelId of await listSubdirectories(join(experiment.dir, "models"))) {
      await rewrite(join(experiment.dir, "models", modelId));
    }
    await rewrite(experiment.dir);
  }
  return rewritten;
}

/** The local path a recorded location names, if it is a local path or `file:` URI on this host. */
function localPath(recorded: unknown): string | undefined {
  try {
    return typeof recorded === "string" ? artifactLocationPath(recorded) : undefined;
  } catch {
    // A file URI naming another host is not a location this store can point into.
    return undefined;
  }
}
