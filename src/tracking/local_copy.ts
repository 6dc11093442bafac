/**
 * Working on what an artifact URI names as local files, on either backend.
 *
 * @module
 */
import { isDownloadFolder } from "./rest/downloads.ts";
import type { Tracking } from "./tracking.ts";

/**
 * Runs `body` on a local folder (or file) holding what `uri` names. A
 * tracking server's download is removed afterwards, whatever `body` did: its
 * contents are a copy, and a process that loads many models (a server that
 * hot-swaps, a sync) would otherwise leave one folder per load behind. A file
 * store's own folder is never removed.
 *
 * @example
 * ```ts
 * import { openTracking } from "./open.ts";
 * const names = await withLocalCopy(
 *   openTracking("file:./mlruns"),
 *   "models:/customer_conversion_model@champion",
 *   async (folder) => [...Deno.readDirSync(folder)].map((entry) => entry.name),
 * );
 * ```
 */
export async function withLocalCopy<T>(
  tracking: Tracking,
  uri: string,
  body: (path: string) => Promise<T>,
): Promise<T> {
  const path = await tracking.resolveLocalPath(uri);
  try {
    return await body(path);
  } finally {
    if (isDownloadFolder(path)) await Deno.remove(path, { recursive: true });
  }
}
