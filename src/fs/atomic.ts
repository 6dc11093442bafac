/**
 * Whole-file writes that never leave a half-written file: the content goes to
 * a hidden temporary file on the same file system (the target's folder by
 * default), which is then renamed over the target. A rename within a file
 * system is atomic, so a reader, a concurrent writer or a process killed
 * mid-write sees the old content or the new, never a mix.
 *
 * No fsync: the guarantee is against killed processes and concurrent
 * readers, which a rename gives; surviving a power cut would cost a disk
 * flush per file, and the stores write many small files (one per param, tag
 * and cache entry).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Content to write, or a writer that fills the temporary path (e.g. a Parquet writer that only takes a path). */
export type FileContent = string | Uint8Array | ((temporary: string) => void);

/**
 * Writes `data` to `path` atomically, creating missing parent folders. The
 * temporary file goes in `scratchDir` (default: the target's folder; it must
 * be on the same file system), for stores where a stray file in the target's
 * folder would be read as an entry.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/params/alpha`, "0.5", dir);
 * await Deno.readTextFile(`${dir}/params/alpha`); // "0.5"
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  scratchDir: string = dirname(path),
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path, scratchDir);
  try {
    if (typeof data === "string") await Deno.writeTextFile(temporary, data, { createNew: true });
    else await Deno.writeFile(temporary, data, { createNew: true });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * The synchronous {@link writeFileAtomic}, also accepting a writer that
 * fills the temporary path (polars writes CSV and Parquet to a path).
 *
 * @example
 * ```ts
 * const dir = Deno.makeTempDirSync();
 * writeFileAtomicSync(`${dir}/report.html`, "<!doctype html><p>hi</p>");
 * writeFileAtomicSync(`${dir}/copy.html`, (temporary) => Deno.copyFileSync(`${dir}/report.html`, temporary));
 * ```
 */
export function writeFileAtomicSync(path: string, data: FileContent, scratchDir: string = dirname(path)): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPath(path, scratchDir);
  try {
    if (typeof data === "string") Deno.writeTextFileSync(temporary, data, { createNew: true });
    else if (data instanceof Uint8Array) Deno.writeFileSync(temporary, data, { createNew: true });
    else data(temporary);
    Deno.renameSync(temporary, path);
  } catch (error) {
    try {
      Deno.removeSync(temporary);
    } catch {
      // The temporary file was never created; the original error is the one to report.
    }
    throw error;
  }
}

function temporaryPath(path: string, scratchDir: string): string {
  return join(scratchDir, `.${basename(path)}.tmp-${crypto.randomUUID()}`);
}
