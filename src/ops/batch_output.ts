/**
 * Writes a batch's output chunk by chunk, so the whole result is never in
 * memory, and atomically: nothing appears under the real name until `close`,
 * and `abort` (or a crash) leaves only a hidden temporary beside it.
 *
 * CSV chunks are appended to one temporary file; Parquet chunks are written
 * as part files and streamed into one file at the end by polars
 * (`sinkParquet`), which keeps memory flat too.
 *
 * @module
 */
import pl from "nodejs-polars";
import { basename, dirname, join } from "node:path";
import { tableFormat } from "../data/read_table.ts";

/**
 * An open output.
 *
 * @example
 * ```ts
 * const writer: ChunkWriter = chunkWriter("scores.csv");
 * writer.rows; // 0
 * ```
 */
export interface ChunkWriter {
  /** The final path. */
  readonly path: string;
  /** Rows written so far. */
  readonly rows: number;
  /** Appends a chunk (every chunk must have the same columns and types; an empty one still sets the header). */
  write(frame: pl.DataFrame): void;
  /** Finishes the file and moves it into place; returns its path. */
  close(): string;
  /** Drops everything written. */
  abort(): void;
}

/**
 * Opens `path` (`.csv` or `.parquet`) for chunked writing, creating parent folders.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const writer = chunkWriter("/tmp/scores.parquet");
 * writer.write(pl.DataFrame({ id: [1], probability: [0.2] }));
 * writer.write(pl.DataFrame({ id: [2], probability: [0.7] }));
 * writer.close(); // "/tmp/scores.parquet", 2 rows
 * ```
 */
export function chunkWriter(path: string): ChunkWriter {
  const format = tableFormat(path);
  Deno.mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID()}`);
  let rows = 0;
  let chunks = 0;
  let file: Deno.FsFile | undefined;
  if (format === "csv") file = Deno.openSync(temporary, { write: true, createNew: true });
  else Deno.mkdirSync(temporary);
  const partPath = (k: number) => join(temporary, `part-${String(k).padStart(6, "0")}.parquet`);
  const cleanUp = () => {
    file?.close();
    file = undefined;
    Deno.removeSync(temporary, { recursive: true });
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
        frame.writeParquet(partPath(chunks), { compression: "zstd" });
      }
      chunks++;
      rows += frame.height;
    },
    close() {
      if (chunks === 0) throw new Error(`chunkWriter: nothing was written to ${path}`);
      try {
        if (file !== undefined) {
          file.close();
          file = undefined;
          Deno.renameSync(temporary, path);
          return path;
        }
        const combined = `${temporary}.parquet`;
        pl.scanParquet(join(temporary, "part-*.parquet")).sinkParquet(combined, {
          compression: "zstd",
          maintainOrder: true,
        })
          .collectSync();
        Deno.renameSync(combined, path);
        Deno.removeSync(temporary, { recursive: true });
        return path;
      } catch (error) {
        cleanUp();
        throw error;
      }
    },
    abort: cleanUp,
  };
}
