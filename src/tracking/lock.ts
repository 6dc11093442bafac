/**
 * A cross-process lock made of one file, for the few read-modify-write steps
 * of the store that must not interleave (allocating the next registry version
 * number, creating an experiment by name).
 *
 * - **Acquire:** create the lock file with `O_CREAT | O_EXCL`
 *   (`Deno.open({ createNew: true })`); exactly one process succeeds. The file
 *   holds `{pid, host, token}` of its holder.
 * - **Stale lock:** a holder that died without releasing (killed process) is
 *   detected when the lock names this host and its pid no longer runs (Linux
 *   `/proc/<pid>`; a zombie counts as dead). When the pid cannot be checked
 *   (another host, no `/proc`), a lock older than `staleMs` counts as stale.
 *   A live holder on this host is never pre-empted, however long it takes:
 *   waiting then ends with a `LOCK_TIMEOUT` error naming the holder. A lock
 *   file that is still empty (or unreadable) after `unwrittenStaleMs` is
 *   stale too: its creator died between creating and writing it, a window
 *   of microseconds for a live one.
 * - **Breaking a stale lock** renames it to a unique name first (only one
 *   breaker can win that rename), then checks that what it moved is the lock
 *   it judged stale; if another process had meanwhile taken a fresh lock, that
 *   one is put back with a hard link (which fails rather than overwrite).
 * - **Release** removes the file only if it still holds our token.
 *
 * @module
 */
import { TrackingError } from "./errors.ts";

/** How long to wait and when a lock counts as abandoned. */
export interface LockOptions {
  /** Give up after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Age after which a lock whose holder cannot be checked is stale (default 60 s). */
  readonly staleMs?: number;
  /** Age after which a lock file without a readable holder (empty: its creator died before writing) is stale (default 5 s). */
  readonly unwrittenStaleMs?: number;
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly acquiredAt: number;
}

/**
 * Runs `body` while holding the lock file `lockPath`, and releases it after,
 * also when `body` throws.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const next = await withFileLock(`${dir}/.lock`, async () => 1 + 1);
 * next; // 2
 * ```
 */
export async function withFileLock<T>(lockPath: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await body();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(
  lockPath: string,
  { timeoutMs = 30_000, staleMs = 60_000, unwrittenStaleMs = 5_000 }: LockOptions,
): Promise<string> {
  const started = Date.now();
  const content: LockContent = { pid: Deno.pid, host: hostName(), token: crypto.randomUUID(), acquiredAt: started };
  for (let attempt = 0;; attempt++) {
    if (await tryCreate(lockPath, content)) return content.token;
    const holder = await inspect(lockPath);
    if (holder && (await isStale(holder, holder.content ? staleMs : unwrittenStaleMs))) {
      await breakLock(lockPath, holder);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const who = holder?.content
        ? `pid ${holder.content.pid} on ${holder.content.host || "unknown host"}`
        : "a process that has not written its pid yet (empty lock file)";
      throw new TrackingError("LOCK_TIMEOUT", `timed out after ${timeoutMs} ms waiting for the lock held by ${who}`, {
        path: lockPath,
      });
    }
    // Short, growing, jittered waits: contention lasts milliseconds (one version allocation).
    await new Promise((done) => setTimeout(done, Math.min(50, 2 + attempt) * (0.5 + Math.random())));
  }
}

async function tryCreate(lockPath: string, content: LockContent): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(lockPath, { createNew: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(content)));
  } finally {
    file.close();
  }
  return true;
}

interface Observed {
  readonly text: string;
  readonly content?: LockContent;
  readonly modifiedAt: number;
}

async function inspect(lockPath: string): Promise<Observed | undefined> {
  try {
    const [text, stat] = await Promise.all([Deno.readTextFile(lockPath), Deno.stat(lockPath)]);
    return { text, content: parseContent(text), modifiedAt: stat.mtime?.getTime() ?? Date.now() };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function parseContent(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value?.pid === "number" && typeof value?.token === "string" ? value : undefined;
  } catch {
    // An empty file is a lock whose holder has not written its content yet (or died right then).
    return undefined;
  }
}

async function isStale(observed: Observed, staleMs: number): Promise<boolean> {
  const holder = observed.content;
  if (holder && holder.host === hostName() && holder.host !== "") {
    const alive = await isProcessAlive(holder.pid);
    if (alive !== undefined) return !alive;
  }
  return Date.now() - observed.modifiedAt > staleMs;
}

async function breakLock(lockPath: string, observed: Observed): Promise<void> {
  const aside = `${lockPath}.stale-${crypto.randomUUID()}`;
  try {
    await Deno.rename(lockPath, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const moved = await Deno.readTextFile(aside).catch(() => observed.text);
  if (moved !== observed.text) await Deno.link(aside, lockPath).catch(() => {});
  await Deno.remove(aside).catch(() => {});
}

async function release(lockPath: string, token: string): Promise<void> {
  const current = await inspect(lockPath);
  if (current?.content?.token === token) await Deno.remove(lockPath).catch(() => {});
}

/**
 * Whether a process runs on this machine: `true`/`false` where `/proc` tells,
 * `undefined` where it cannot be known.
 *
 * @example
 * ```ts
 * await isProcessAlive(Deno.pid); // true on Linux
 * ```
 */
export async function isProcessAlive(pid: number): Promise<boolean | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    return undefined;
  }
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    // Without --allow-sys the host is unknown; stale detection then falls back to the lock's age.
    return "";
  }
}
