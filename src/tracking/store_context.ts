/**
 * What every store operation needs: the root folder, its `file:` URI, the
 * clock, and the helpers that create a new entity folder in one atomic step.
 *
 * New folders (experiments, runs, logged models, registered models and their
 * versions) are assembled in `<root>/.staging.trash/<uuid>/` and then renamed
 * into place, so no reader ever sees an entity folder without its meta.yaml
 * (MLflow drops such folders or fails the whole listing). MLflow skips every
 * root folder whose name ends in `.trash` except `.trash` itself, so the
 * staging folder is invisible to it; a rename onto an existing non-empty
 * folder fails, which also makes creation race-free.
 *
 * @module
 */
import { join } from "node:path";
import { TrackingError } from "./errors.ts";
import { listSubdirectories } from "./store_fs.ts";
import { pathToFileUri } from "./uri.ts";

/** The folder names MLflow reserves at the root of a store. */
export const TRASH_FOLDER = ".trash";
/** The registry folder at the root of a store. */
export const REGISTRY_FOLDER = "models";
/** Where new entity folders are assembled (ends in `.trash`, so MLflow ignores it). */
const STAGING_FOLDER = ".staging.trash";
/** Sub-folders of an experiment that are not runs (`RESERVED_EXPERIMENT_FOLDERS` plus `models`). */
export const RESERVED_EXPERIMENT_FOLDERS: ReadonlySet<string> = new Set(["tags", "datasets", "traces", "models"]);

/** The shared state of one open store. */
export interface StoreContext {
  /** Absolute path of the store's root folder. */
  readonly root: string;
  /** The root as MLflow records it (`file:///abs/path`). */
  readonly rootUri: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now(): number;
  /** The user recorded on new runs (MLflow: `getpass.getuser()`). */
  readonly userId: string;
  /** The script recorded as `mlflow.source.name` on new runs. */
  readonly sourceName: string;
}

/**
 * Builds the context for a store rooted at an absolute path.
 *
 * @example
 * ```ts
 * const context = createStoreContext("/tmp/mlruns", { now: () => 0 });
 * context.rootUri; // "file:///tmp/mlruns"
 * ```
 */
export function createStoreContext(
  root: string,
  options: { now?: () => number; userId?: string; sourceName?: string } = {},
): StoreContext {
  return {
    root,
    rootUri: pathToFileUri(root),
    now: options.now ?? Date.now,
    userId: options.userId ?? currentUser(),
    sourceName: options.sourceName ?? mainScript(),
  };
}

const initialized = new WeakMap<StoreContext, Promise<void>>();

/**
 * Makes sure a store can be written to (once per context): the root,
 * `.trash/` and `models/` exist (MLflow's readers expect both folders), and
 * leftovers of crashed creations older than an hour are removed from the
 * staging folder.
 *
 * @example
 * ```ts
 * await initializeStore(createStoreContext(await Deno.makeTempDir()));
 * ```
 */
export function initializeStore(context: StoreContext): Promise<void> {
  let done = initialized.get(context);
  if (!done) {
    done = prepareFolders(context);
    initialized.set(context, done);
    done.catch(() => initialized.delete(context));
  }
  return done;
}

async function prepareFolders(context: StoreContext): Promise<void> {
  for (const folder of [TRASH_FOLDER, REGISTRY_FOLDER, STAGING_FOLDER]) {
    await Deno.mkdir(join(context.root, folder), { recursive: true });
  }
  const staging = join(context.root, STAGING_FOLDER);
  const cutoff = Date.now() - 3_600_000;
  for (const name of await listSubdirectories(staging)) {
    const stat = await Deno.stat(join(staging, name)).catch(() => undefined);
    if (stat?.mtime && stat.mtime.getTime() < cutoff) {
      await Deno.remove(join(staging, name), { recursive: true }).catch(() => {});
    }
  }
}

/**
 * Creates the folder `target` atomically: `build` fills a fresh staging
 * folder, which is then renamed to `target`. Fails with
 * `RESOURCE_ALREADY_EXISTS` when `target` already exists (and leaves it
 * untouched).
 *
 * @example
 * ```ts
 * const context = createStoreContext(await Deno.makeTempDir());
 * await initializeStore(context);
 * await createFolderAtomically(context, `${context.root}/123`, async (dir) => {
 *   await Deno.writeTextFile(`${dir}/meta.yaml`, "name: x\n");
 * });
 * ```
 */
export async function createFolderAtomically(
  context: StoreContext,
  target: string,
  build: (staging: string) => Promise<void>,
): Promise<void> {
  const staging = join(context.root, STAGING_FOLDER, crypto.randomUUID());
  await Deno.mkdir(staging, { recursive: true });
  try {
    await build(staging);
    await Deno.mkdir(join(target, ".."), { recursive: true });
    await Deno.rename(staging, target);
  } catch (error) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    const code = (error as { code?: string }).code;
    if (error instanceof Deno.errors.AlreadyExists || code === "ENOTEMPTY" || code === "EEXIST") {
      throw new TrackingError("RESOURCE_ALREADY_EXISTS", "already exists", { path: target, cause: error });
    }
    throw error;
  }
}

/** The OS user, as MLflow records it on new runs (`getpass.getuser()`). */
export function currentUser(): string {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    try {
      const value = Deno.env.get(name);
      if (value) return value;
    } catch {
      // Without --allow-env the user is unknown, which MLflow also tolerates.
      break;
    }
  }
  return "unknown";
}

/** The main script, as MLflow records it in `mlflow.source.name`. */
export function mainScript(): string {
  const main = Deno.mainModule;
  if (!main.startsWith("file:")) return main;
  const path = decodeURIComponent(new URL(main).pathname);
  const cwd = (() => {
    try {
      return Deno.cwd();
    } catch {
      return "";
    }
  })();
  return cwd && path.startsWith(`${cwd}/`) ? `./${path.slice(cwd.length + 1)}` : path;
}
