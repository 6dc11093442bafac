/**
 * Parsed store files and folder listings kept in the process while the file
 * or folder is unchanged, so a search repeated over thousands of runs stats
 * files instead of reading and parsing them.
 *
 * The validator is the file's inode, size, mtime and ctime. Any writer, ours
 * or MLflow's, in this process or another, changes at least one of them: a
 * rename-into-place gives a new inode and ctime, an append or an in-place
 * rewrite a new ctime (which no user-space call can set back, unlike mtime).
 * Deno reports ctime in whole seconds, so two writes within one second could
 * leave the same validator; like Git's "racy" index entries, a file changed
 * less than {@link SETTLE_MS} before it was read is therefore never kept: it is
 * re-read on every call until it has settled, and any later write then lands
 * in a later second than the one cached.
 *
 * The calls are synchronous on purpose: over the 5,000 meta.yaml files of the
 * UI benchmark's store, `Deno.statSync` took 225 ms and `Promise.all` over
 * `Deno.stat` 1,923 ms in one side-by-side run (each async call is a trip
 * through the runtime's thread pool).
 *
 * @module
 */
import { join } from "node:path";
import { readTextIfExists } from "./store_fs.ts";

/** How long a file must have been unchanged before its parsed value is kept (ms). */
export const SETTLE_MS = 2_000;

interface Entry {
  readonly ino: number | null;
  readonly size: number;
  readonly mtime: number | undefined;
  readonly ctime: number | undefined;
  readonly value: unknown;
}

/**
 * A cache of parsed files keyed by path and parser name.
 *
 * @example
 * ```ts
 * const cache = new ParsedFileCache();
 * const lines = cache.read("/data/mlruns/0/abc/metrics/auc", "lines", (text) => text.split("\n"));
 * ```
 */
export class ParsedFileCache {
  readonly #entries = new Map<string, Entry>();

  /** `now` is the clock the settle time is measured on (injectable for tests). */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * `parse(text)` of the file at `path` (text with `\r\n` and `\r` read as
   * `\n`, as Python's text mode does), or `undefined` when there is no such
   * file. `kind` names the parser: one file may be cached under several.
   */
  read<T>(path: string, kind: string, parse: (text: string) => T): T | undefined {
    return this.#load(`${kind}\0${path}`, path, () => parse(Deno.readTextFileSync(path).replace(/\r\n?/g, "\n")));
  }

  /**
   * The files under `dir`, recursively, as sorted relative `/` paths (empty
   * when `dir` does not exist), as `listFilesRecursive` lists them. Each
   * folder's listing is kept while the folder is unchanged: adding, removing
   * or renaming an entry changes the folder's ctime and mtime.
   */
  listFiles(dir: string): string[] {
    const found: string[] = [];
    const visit = (folder: string, prefix: string) => {
      for (const entry of this.#load(`list\0${folder}`, folder, () => listEntries(folder)) ?? []) {
        if (entry.isDirectory) visit(join(folder, entry.name), `${prefix}${entry.name}/`);
        else if (entry.isFile) found.push(`${prefix}${entry.name}`);
      }
    };
    visit(dir, "");
    return found.sort();
  }

  /**
   * The names of the sub-folders of `dir`, sorted (symlinks to folders
   * included), as `listSubdirectories` lists them; the listing is kept while
   * the folder is unchanged.
   */
  listFolders(dir: string): string[] {
    const entries = this.#load(`list\0${dir}`, dir, () => listEntries(dir)) ?? [];
    return entries.filter((entry) => entry.isDirectory || entry.isLinkedFolder).map((entry) => entry.name).sort();
  }

  #load<T>(id: string, path: string, load: () => T): T | undefined {
    const started = this.now();
    let stat: Deno.FileInfo;
    try {
      stat = Deno.statSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#entries.delete(id);
      return undefined;
    }
    const cached = this.#entries.get(id);
    if (cached !== undefined && sameFile(cached, stat)) return cached.value as T;
    let value: T;
    try {
      value = load();
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      this.#entries.delete(id);
      return undefined;
    }
    const changed = Math.max(stat.mtime?.getTime() ?? Infinity, stat.ctime?.getTime() ?? Infinity);
    if (changed < started - SETTLE_MS) {
      this.#entries.set(id, {
        ino: stat.ino,
        size: stat.size,
        mtime: stat.mtime?.getTime(),
        ctime: stat.ctime?.getTime(),
        value,
      });
    } else {
      this.#entries.delete(id);
    }
    return value;
  }

  /** How many parsed files are kept (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }
}

interface ListedEntry {
  readonly name: string;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
  /** A symlink to a folder (listed by {@link ParsedFileCache.listFolders}, not walked by `listFiles`). */
  readonly isLinkedFolder: boolean;
}

/** One folder's entries, symlinks resolved to what they point to. */
function listEntries(folder: string): ListedEntry[] {
  return [...Deno.readDirSync(folder)].map((entry) => {
    const target = entry.isSymlink ? targetOf(join(folder, entry.name)) : undefined;
    return {
      name: entry.name,
      isDirectory: entry.isDirectory,
      isFile: entry.isFile || target?.isFile === true,
      isLinkedFolder: target?.isDirectory === true,
    };
  });
}

function targetOf(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

function sameFile(entry: Entry, stat: Deno.FileInfo): boolean {
  return entry.ino === stat.ino && entry.size === stat.size && entry.mtime === stat.mtime?.getTime() &&
    entry.ctime === stat.ctime?.getTime();
}

/**
 * `parse(text)` of a file, through `cache` when one is given, else read
 * afresh; `undefined` when the file does not exist.
 *
 * @example
 * ```ts
 * await readParsedFile("/no/such/file", "text", (text) => text); // undefined
 * ```
 */
export async function readParsedFile<T>(
  path: string,
  kind: string,
  parse: (text: string) => T,
  cache?: ParsedFileCache,
): Promise<T | undefined> {
  if (cache !== undefined) return cache.read(path, kind, parse);
  const text = await readTextIfExists(path);
  return text === undefined ? undefined : parse(text);
}
