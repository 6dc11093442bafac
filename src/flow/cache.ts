/**
 * The on-disk task cache: one {@link writeEntry} folder per cache key under a
 * root folder (default `.cache/flow/`), with expiry, inspection, clearing and
 * least-recently-used eviction down to a size (`deno task cache`). No database
 * and no server: concurrent processes only ever rename whole folders.
 *
 * @module
 */
import { join } from "node:path";
import { removeIfExists } from "./fs.ts";
import { CorruptEntryError, type EntryMeta, readEntry, readEntryMeta, touchEntry, writeEntry } from "./store.ts";

/**
 * Default cache folder, relative to the working directory (the repo root for `deno task`).
 *
 * @example
 * ```ts
 * new ResultCache(DEFAULT_CACHE_DIR); // ".cache/flow" under the working directory
 * ```
 */
export const DEFAULT_CACHE_DIR = ".cache/flow";

/** The outcome of a cache lookup. */
export type CacheLookup =
  | { readonly status: "hit"; readonly value: unknown; readonly meta: EntryMeta }
  | { readonly status: "miss" }
  | { readonly status: "expired"; readonly meta: EntryMeta }
  | { readonly status: "corrupt"; readonly reason: string };

/** One cache entry as listed by {@link ResultCache.list}. */
export interface CacheEntryInfo {
  readonly key: string;
  readonly task: string;
  readonly bytes: number;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly expiresAt?: number;
  /** Why the entry is unusable, if it is. */
  readonly problem?: string;
}

/** Which entries {@link ResultCache.clear} removes; no filter removes all. */
export interface ClearFilter {
  readonly task?: string;
  readonly olderThanMs?: number;
}

/** What a clear or eviction removed. */
export interface Removed {
  readonly entries: number;
  readonly bytes: number;
}

/**
 * A folder of cached task results keyed by hex cache keys.
 *
 * @example
 * ```ts
 * const cache = new ResultCache(await Deno.makeTempDir());
 * await cache.set("ab12", { rows: 3 }, { task: "load" });
 * (await cache.get("ab12")).status; // "hit"
 * ```
 */
export class ResultCache {
  readonly #now: () => number;

  /** `now` is the clock of entry times (a flow run passes its own). */
  constructor(readonly dir: string, { now = Date.now }: { now?: () => number } = {}) {
    this.#now = now;
  }

  /** The folder of one key's entry. */
  entryDir(key: string): string {
    if (!/^[0-9a-f]{16,128}$/.test(key)) throw new RangeError(`invalid cache key ${JSON.stringify(key)}`);
    return join(this.dir, key);
  }

  /** Looks a key up; an expired or damaged entry is reported, never thrown. */
  async get(key: string): Promise<CacheLookup> {
    const dir = this.entryDir(key);
    let meta: EntryMeta;
    try {
      meta = await readEntryMeta(dir);
    } catch (error) {
      if (await isMissing(dir)) return { status: "miss" };
      return { status: "corrupt", reason: (error as Error).message };
    }
    const now = this.#now();
    if (meta.expiresAt !== undefined && meta.expiresAt <= now) return { status: "expired", meta };
    try {
      const entry = await readEntry(dir);
      await touchEntry(dir, entry.meta, now).catch(() => {});
      return { status: "hit", value: entry.value, meta: entry.meta };
    } catch (error) {
      if (error instanceof CorruptEntryError) return { status: "corrupt", reason: error.reason };
      throw error;
    }
  }

  /** Stores a value under a key. */
  async set(
    key: string,
    value: unknown,
    labels: { task: string; ttlMs?: number; flowRunId?: string; taskRunId?: string },
  ): Promise<EntryMeta> {
    const createdAt = this.#now();
    const meta = await writeEntry(this.entryDir(key), value, {
      task: labels.task,
      key,
      createdAt,
      expiresAt: labels.ttlMs === undefined ? undefined : createdAt + labels.ttlMs,
      flowRunId: labels.flowRunId,
      taskRunId: labels.taskRunId,
    });
    return meta;
  }

  /** Every entry, most recently used first; damaged entries are listed with their problem. */
  async list(): Promise<CacheEntryInfo[]> {
    const entries: CacheEntryInfo[] = [];
    try {
      for await (const item of Deno.readDir(this.dir)) {
        if (!item.isDirectory || item.name.startsWith(".")) continue;
        entries.push(await this.#info(item.name));
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    return entries.sort((a, b) => b.lastUsedAt - a.lastUsedAt);
  }

  async #info(key: string): Promise<CacheEntryInfo> {
    const dir = join(this.dir, key);
    try {
      const meta = await readEntryMeta(dir);
      const { task, bytes, createdAt, lastUsedAt, expiresAt } = meta;
      const expired = expiresAt !== undefined && expiresAt <= this.#now();
      return { key, task, bytes, createdAt, lastUsedAt, expiresAt, problem: expired ? "expired" : undefined };
    } catch (error) {
      const stat = await Deno.stat(dir);
      const time = stat.mtime?.getTime() ?? 0;
      return { key, task: "?", bytes: 0, createdAt: time, lastUsedAt: time, problem: (error as Error).message };
    }
  }

  /** Removes entries matching the filter (all when the filter is empty), plus leftover temporary folders. */
  async clear(filter: ClearFilter = {}): Promise<Removed> {
    const now = this.#now();
    const doomed = (await this.list()).filter((e) =>
      (filter.task === undefined || e.task === filter.task) &&
      (filter.olderThanMs === undefined || now - e.createdAt > filter.olderThanMs)
    );
    if (filter.task === undefined && filter.olderThanMs === undefined) await this.#removeLeftovers();
    return await this.#remove(doomed);
  }

  /** Evicts least recently used entries until the total size is at most `maxBytes`. */
  async evict(maxBytes: number): Promise<Removed> {
    const entries = await this.list();
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    const doomed: CacheEntryInfo[] = [];
    for (const entry of [...entries].reverse()) {
      if (total <= maxBytes) break;
      doomed.push(entry);
      total -= entry.bytes;
    }
    return await this.#remove(doomed);
  }

  async #remove(entries: readonly CacheEntryInfo[]): Promise<Removed> {
    for (const entry of entries) await removeIfExists(join(this.dir, entry.key));
    return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
  }

  async #removeLeftovers(): Promise<void> {
    try {
      for await (const item of Deno.readDir(this.dir)) {
        if (item.name.startsWith(".tmp-") || item.name.startsWith(".trash-")) {
          await removeIfExists(join(this.dir, item.name));
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

async function isMissing(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}
