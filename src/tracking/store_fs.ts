/**
 * The file operations the store is built from. Whole-file writes use
 * src/fs/atomic.ts with the entity's own folder as scratch folder, never
 * `params/`, `metrics/` or `tags/`, where any stray temporary file would read
 * back as a key.
 *
 * @module
 */
import { dirname, join, relative, sep } from "node:path";

/**
 * Appends `text` to a metric history file. A file that does not exist yet
 * (or is empty) is created complete: `text` goes into a temporary file in
 * `scratchDir` (a folder MLflow does not scan for keys, on the same file
 * system), which is then hard-linked into place. MLflow rejects an empty
 * metric file and with it every run of the experiment, so a kill must never
 * leave one between creating the file and writing its first line. A link,
 * unlike a rename, fails when another writer created the file first; this
 * writer then appends. An existing non-empty file gets one `write` on a file
 * opened for appending, as MLflow does: one small append is never torn by a
 * killed process, and rewriting the whole history on every point would make
 * logging quadratic.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await appendText(`${dir}/metrics/auc`, "1700000000000 0.9 0\n", dir);
 * await appendText(`${dir}/metrics/auc`, "1700000000001 0.8 1\n", dir);
 * await Deno.readTextFile(`${dir}/metrics/auc`); // "1700000000000 0.9 0\n1700000000001 0.8 1\n"
 * ```
 */
export async function appendText(path: string, text: string, scratchDir: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const bytes = new TextEncoder().encode(text);
  const size = await Deno.stat(path).then((stat) => stat.size, (error) => {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  });
  if ((size === undefined || size === 0) && (await createComplete(path, bytes, scratchDir, size === 0))) return;
  const file = await Deno.open(path, { append: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
  } finally {
    file.close();
  }
}

/** Puts a file with its whole content at `path`; false when another writer created it first. */
async function createComplete(path: string, bytes: Uint8Array, scratchDir: string, replaceEmpty: boolean) {
  const temporary = join(scratchDir, `.tmp-${crypto.randomUUID()}`);
  await Deno.writeFile(temporary, bytes, { createNew: true });
  try {
    if (replaceEmpty) await Deno.rename(temporary, path);
    else await Deno.link(temporary, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    await Deno.remove(temporary).catch(() => {});
  }
}

/**
 * Reads a text file as Python's text mode does (universal newlines: `\r\n`
 * and `\r` become `\n`), or `undefined` when it does not exist.
 *
 * @example
 * ```ts
 * await readTextIfExists("/no/such/file"); // undefined
 * ```
 */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(path)).replace(/\r\n?/g, "\n");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Reads every file under `dir` (recursively) as a value file: the relative
 * path with `/` separators is the key, the whole content the value. A missing
 * folder reads as empty, as in MLflow.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "../fs/atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/tags/mlflow.runName`, "baseline", dir);
 * await readValueFiles(`${dir}/tags`); // Map { "mlflow.runName" => "baseline" }
 * ```
 */
export async function readValueFiles(dir: string): Promise<Map<string, string>> {
  const files = await listFilesRecursive(dir);
  const values = await Promise.all(files.map((file) => readTextIfExists(join(dir, file))));
  const result = new Map<string, string>();
  files.forEach((file, index) => {
    const value = values[index];
    if (value !== undefined) result.set(file, value);
  });
  return result;
}

/**
 * Lists the files under `dir`, recursively, as sorted relative `/` paths;
 * empty when `dir` does not exist.
 *
 * @example
 * ```ts
 * await listFilesRecursive("/no/such/dir"); // []
 * ```
 */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    for await (const entry of readDirIfExists(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await visit(path);
      else if (entry.isFile || (entry.isSymlink && (await isFile(path)))) {
        found.push(relative(dir, path).split(sep).join("/"));
      }
    }
  };
  await visit(dir);
  return found.sort();
}

/**
 * The names of the sub-folders of `dir`, sorted; empty when `dir` does not exist.
 *
 * @example
 * ```ts
 * await listSubdirectories("/no/such/dir"); // []
 * ```
 */
export async function listSubdirectories(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of readDirIfExists(dir)) {
    if (entry.isDirectory || (entry.isSymlink && (await isDirectory(join(dir, entry.name))))) names.push(entry.name);
  }
  return names.sort();
}

async function* readDirIfExists(dir: string): AsyncIterable<Deno.DirEntry> {
  try {
    yield* Deno.readDir(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return;
    throw error;
  }
}

/**
 * True when `path` exists and is a folder (following symlinks).
 *
 * @example
 * ```ts
 * await isDirectory(Deno.cwd()); // true
 * ```
 */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return false;
    throw error;
  }
}

/**
 * True when `path` exists and is a regular file (following symlinks).
 *
 * @example
 * ```ts
 * await isFile("/no/such/file"); // false
 * ```
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return false;
    throw error;
  }
}

/**
 * True when anything exists at `path`.
 *
 * @example
 * ```ts
 * await pathExists("/no/such/thing"); // false
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return false;
    throw error;
  }
}
