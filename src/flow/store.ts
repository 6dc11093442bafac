/**
 * A stored result ("entry"): one folder holding `value.json` (the tagged JSON
 * of {@link encodeValue}), one `blob-N.bin` per binary part (Arrow IPC for
 * DataFrames) and `meta.json` with each file's size and SHA-256: the task
 * cache keeps each result as one.
 *
 * The folder is assembled under a temporary name and renamed into place, so
 * readers never see a partial entry; the checksums turn any later damage
 * (truncation, edits, disk errors) into a detected "corrupt" entry rather
 * than a wrong result.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { decodeValue, encodeValue } from "./codec.ts";
import { randomHex, removeIfExists } from "./fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { hashBytes } from "./hash.ts";

/** One file of an entry. */
export interface StoredFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** What `meta.json` holds. Times are epoch milliseconds. */
export interface EntryMeta {
  readonly formatVersion: 1;
  readonly task: string;
  readonly key?: string;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly lastUsedAt: number;
  readonly bytes: number;
  readonly files: readonly StoredFile[];
  readonly flowRunId?: string;
  readonly taskRunId?: string;
}

/** The caller-chosen part of {@link EntryMeta}. */
export type EntryLabels = Pick<EntryMeta, "task" | "key" | "createdAt" | "expiresAt" | "flowRunId" | "taskRunId">;

/**
 * An entry that exists but cannot be used; `reason` says why.
 *
 * @example
 * ```ts
 * new CorruptEntryError("/c/ab12", "value.json: checksum mismatch").message;
 * // "/c/ab12: value.json: checksum mismatch"
 * ```
 */
export class CorruptEntryError extends Error {
  constructor(readonly dir: string, readonly reason: string) {
    super(`${dir}: ${reason}`);
    this.name = "CorruptEntryError";
  }
}

const META = "meta.json";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Stores a value as an entry folder at `dir`, replacing any entry there.
 * Throws {@link UnsupportedValueError} (before touching the disk) if the value
 * cannot be encoded.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const meta = await writeEntry(`${dir}/e`, { a: 1 }, { task: "t", createdAt: Date.now() });
 * meta.files[0].name; // "value.json"
 * ```
 */
export async function writeEntry(dir: string, value: unknown, labels: EntryLabels): Promise<EntryMeta> {
  const encoded = encodeValue(value);
  const parts: [string, Uint8Array][] = [
    ["value.json", encoder.encode(encoded.json)],
    ...encoded.blobs.map((bytes, i): [string, Uint8Array] => [`blob-${i}.bin`, bytes]),
  ];
  const files = parts.map(([name, bytes]) => ({ name, bytes: bytes.byteLength, sha256: hashBytes(bytes) }));
  const meta: EntryMeta = {
    formatVersion: 1,
    ...labels,
    lastUsedAt: labels.createdAt,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    files,
  };
  const staging = join(dirname(dir), `.tmp-${randomHex(6)}`);
  try {
    await Deno.mkdir(staging, { recursive: true });
    for (const [name, bytes] of parts) await Deno.writeFile(join(staging, name), bytes);
    await Deno.writeTextFile(join(staging, META), JSON.stringify(meta, null, 2));
    await install(staging, dir);
  } finally {
    await removeIfExists(staging);
  }
  return meta;
}

async function install(staging: string, dir: string): Promise<void> {
  try {
    await Deno.rename(staging, dir);
    return;
  } catch (error) {
    if (!(await exists(dir))) throw error;
  }
  const trash = join(dirname(dir), `.trash-${randomHex(6)}`);
  await Deno.rename(dir, trash).catch(() => {});
  try {
    await Deno.rename(staging, dir);
  } catch (error) {
    // Another writer installed the same key in between; its entry is as good as ours.
    if (!(await exists(dir))) throw error;
  }
  await removeIfExists(trash);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads an entry's `meta.json`. Throws {@link CorruptEntryError} if it is
 * missing or malformed.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeEntry(`${dir}/e`, 1, { task: "t", createdAt: 0 });
 * (await readEntryMeta(`${dir}/e`)).task; // "t"
 * ```
 */
export async function readEntryMeta(dir: string): Promise<EntryMeta> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, META));
  } catch (error) {
    throw new CorruptEntryError(dir, `${META} unreadable (${(error as Error).message})`);
  }
  try {
    const meta = JSON.parse(text) as EntryMeta;
    if (meta.formatVersion !== 1 || !Array.isArray(meta.files) || typeof meta.task !== "string") {
      throw new Error("unexpected layout");
    }
    return meta;
  } catch (error) {
    throw new CorruptEntryError(dir, `${META} malformed (${(error as Error).message})`);
  }
}

/**
 * Reads and verifies an entry, returning the decoded value. Throws
 * {@link CorruptEntryError} on a missing file, a checksum mismatch or an
 * undecodable value.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeEntry(`${dir}/e`, new Set([1]), { task: "t", createdAt: 0 });
 * (await readEntry(`${dir}/e`)).value; // Set { 1 }
 * ```
 */
export async function readEntry(dir: string): Promise<{ value: unknown; meta: EntryMeta }> {
  const meta = await readEntryMeta(dir);
  const contents: Uint8Array[] = [];
  for (const file of meta.files) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(join(dir, file.name));
    } catch (error) {
      throw new CorruptEntryError(dir, `${file.name} unreadable (${(error as Error).message})`);
    }
    if (bytes.byteLength !== file.bytes || hashBytes(bytes) !== file.sha256) {
      throw new CorruptEntryError(dir, `${file.name}: checksum mismatch`);
    }
    contents.push(bytes);
  }
  try {
    return { value: await decodeValue({ json: decoder.decode(contents[0]), blobs: contents.slice(1) }), meta };
  } catch (error) {
    throw new CorruptEntryError(dir, `value undecodable (${(error as Error).message})`);
  }
}

/**
 * Rewrites an entry's `meta.json` with a new last-use time (for LRU eviction).
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const meta = await writeEntry(`${dir}/e`, 1, { task: "t", createdAt: 0 });
 * await touchEntry(`${dir}/e`, meta, 5);
 * ```
 */
export async function touchEntry(dir: string, meta: EntryMeta, now: number): Promise<void> {
  await writeFileAtomic(join(dir, META), JSON.stringify({ ...meta, lastUsedAt: now }, null, 2));
}
