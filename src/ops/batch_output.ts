/**
 * Writes a batch's outputs chunk by chunk, so the whole result is never in
 * memory, and publishes them as a set: every file (scores, rejects, drift
 * reports) is written under a hidden temporary name beside its target, and
 * nothing appears under a real name until all of them are complete.
 *
 * CSV chunks are appended to one temporary file; Parquet chunks are written
 * as part files and streamed into one file at the end by polars
 * (`sinkParquet`), which keeps memory flat too. The parts are uncompressed:
 * they are read once, and the published file is compressed as it is sunk.
 *
 * Temporaries are named `.<name>.tmp-<pid>-<uuid>`: a run that is killed
 * leaves them behind, and the next run writing the same target removes those
 * whose process is gone.
 *
 * @module
 */
import pl from "nodejs-polars";
import { basename, dirname, join } from "node:path";
import { tableFormat } from "../data/read_table.ts";

/**
 * The files of one run, staged under temporary names and then published
 * together (or all dropped).
 *
 * @example
 * ```ts
 * const outputs = new OutputSet();
 * const temporary = outputs.temporary("/tmp/out/report.json");
 * Deno.writeTextFileSync(temporary, "{}");
 * outputs.complete(temporary, "/tmp/out/report.json");
 * outputs.publish(); // report.json appears; no temporary is left
 * ```
 */
export class OutputSet {
  readonly #temporaries: string[] = [];
  readonly #complete: { temporary: string; path: string }[] = [];

  /**
   * A fresh temporary path beside `path` (creating its folder), after removing
   * the temporaries that dead processes left for the same target.
   */
  temporary(path: string): string {
    Deno.mkdirSync(dirname(path), { recursive: true });
    removeStaleTemporaries(path);
    const temporary = join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID()}`);
    this.#temporaries.push(temporary);
    return temporary;
  }

  /** Records that `temporary` holds the finished content of `path`. */
  complete(temporary: string, path: string): void {
    this.#complete.push({ temporary, path });
  }

  /**
   * Moves every completed file into place, in the order they were completed
   * (so a reader that waits for the last one sees all of them new), and
   * removes the other temporaries. Returns the published paths.
   */
  publish(): string[] {
    for (const { temporary, path } of this.#complete) Deno.renameSync(temporary, path);
    const published = this.#complete.map(({ path }) => path);
    this.#complete.length = 0;
    this.abort();
    return published;
  }

  /** Removes every temporary (a failed run publishes nothing). */
  abort(): void {
    for (const temporary of this.#temporaries.splice(0)) removeIfPresent(temporary);
    this.#complete.length = 0;
  }
}

/**
 * An open output.
 */
export interface ChunkWriter {
  /** The final path. */
  readonly path: string;
  /** Rows written so far. */
  readonly rows: number;
  /** Appends a chunk (every chunk must have the same columns and types; an empty one still sets the header). */
  write(frame: pl.DataFrame): void;
  /** Finishes the file under its temporary name and marks it complete in its {@link OutputSet}. */
  finish(): void;
  /** Releases the open file (the {@link OutputSet} removes the temporaries). */
  close(): void;
}

/**
 * Opens `path` (`.csv` or `.parquet`) for chunked writing as a member of `outputs`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const outputs = new OutputSet();
 * const writer = chunkWriter("/tmp/scores.parquet", outputs);
 * writer.write(pl.DataFrame({ id: [1], probability: [0.2] }));
 * writer.write(pl.DataFrame({ id: [2], probability: [0.7] }));
 * writer.finish();
 * outputs.publish(); // ["/tmp/scores.parquet"], 2 rows
 * ```
 */
export function chunkWriter(path: string, outputs: OutputSet): ChunkWriter {
  const format = tableFormat(path);
  const temporary = outputs.temporary(path);
  let rows = 0;
  let chunks = 0;
  let file: Deno.FsFile | undefined;
  if (format === "csv") file = Deno.openSync(temporary, { write: true, createNew: true });
  else Deno.mkdirSync(temporary);
  const partPath = (k: number) => join(temporary, `part-${String(k).padStart(6, "0")}.parquet`);
  const close = () => {
    file?.close();
    file = undefined;
  };
  return {
    path,
    get rows() {
      return rows;
    },
    write(frame) {
      if (file !== undefined) {
        const bytes = frame.writeCSV({ includeHeader: chunks === 0 }) as unknown as Uint8Array;
        for (let written = 0; written < bytes.length;) written += file.writeSync(bytes.subarray(written));
      } else {
        frame.writeParquet(partPath(chunks), { compression: "uncompressed" });
      }
      chunks++;
      rows += frame.height;
    },
    finish() {
      if (chunks === 0) throw new Error(`chunkWriter: nothing was written to ${path}`);
      if (format === "csv") {
        close();
        outputs.complete(temporary, path);
        return;
      }
      const combined = outputs.temporary(path);
      pl.scanParquet(join(temporary, "part-*.parquet")).sinkParquet(combined, {
        compression: "zstd",
        maintainOrder: true,
      }).collectSync();
      outputs.complete(combined, path);
    },
    close,
  };
}

/** Signal 0 tests that a process exists without signalling it (Deno's Signal type omits it). */
const PROBE = 0 as unknown as Deno.Signal;

/** Removes `.<name>.tmp-<pid>-*` beside `path` for every pid that is not a running process (killed runs). */
function removeStaleTemporaries(path: string): void {
  const prefix = `.${basename(path)}.tmp-`;
  for (const entry of Deno.readDirSync(dirname(path))) {
    if (!entry.name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(entry.name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === Deno.pid || isRunning(pid)) continue;
    removeIfPresent(join(dirname(path), entry.name));
  }
}

function isRunning(pid: number): boolean {
  try {
    Deno.kill(pid, PROBE);
    return true;
  } catch (error) {
    // Not permitted: the process exists, under another user.
    return error instanceof Deno.errors.PermissionDenied;
  }
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
