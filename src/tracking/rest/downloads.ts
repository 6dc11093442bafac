/**
 * Local folders holding artifacts downloaded from a tracking server. Each is
 * named `mlflow-download-<pid>-<random>` in the system temp folder, so that a
 * reader can tell a download (its own to remove once read) from a file
 * store's folder (never removed), and a later process can remove what a dead
 * one left behind without touching a live process's downloads: each process
 * does so before its first download.
 *
 * @module
 */
import { basename, join } from "node:path";
import { tmpdir } from "node:os";

const PREFIX = "mlflow-download-";
const NAME = /^mlflow-download-(\d+)-[^/\\]+$/;
/** The sweep of dead processes' downloads, once per process and folder. */
const swept = new Map<string, Promise<unknown>>();

/**
 * Creates an empty download folder owned by this process; the first call in
 * a folder first removes what dead processes left there (a killed server, a
 * crashed command), since they cannot.
 *
 * @example
 * ```ts
 * const folder = await newDownloadFolder();
 * isDownloadFolder(folder); // true
 * ```
 */
export async function newDownloadFolder(root: string = tmpdir()): Promise<string> {
  if (!swept.has(root)) swept.set(root, removeStaleDownloads(root).catch(() => []));
  await swept.get(root);
  return await Deno.makeTempDir({ dir: root, prefix: `${PREFIX}${Deno.pid}-` });
}

/**
 * True when `path` is a download folder made by {@link newDownloadFolder}
 * (its contents are a copy, safe to remove once read).
 *
 * @example
 * ```ts
 * isDownloadFolder("/work/mlruns/1/models/m-0/artifacts"); // false
 * ```
 */
export function isDownloadFolder(path: string): boolean {
  return NAME.test(basename(path));
}

/**
 * Removes the download folders under `root` whose owning process is gone
 * (Linux: no `/proc/<pid>`); returns the paths removed. Folders of live
 * processes, folders it may not remove and anything else in `root` are left
 * alone. Where `/proc` does not exist,
 * liveness cannot be told, so nothing is removed.
 *
 * @example
 * ```ts
 * const removed = await removeStaleDownloads();
 * removed.length; // 0 on a clean machine
 * ```
 */
export async function removeStaleDownloads(root: string = tmpdir()): Promise<string[]> {
  if (!exists("/proc/self")) return [];
  const removed: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    const pid = NAME.exec(entry.name)?.[1];
    if (!entry.isDirectory || pid === undefined || exists(`/proc/${pid}`)) continue;
    const path = join(root, entry.name);
    // Another process may be removing the same folder at the same time, or it may be another user's: either
    // way it is not ours to report, and cleaning up must never fail the load that called it.
    if (await Deno.remove(path, { recursive: true }).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
