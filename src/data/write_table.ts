/**
 * Atomic file writes: a frame as CSV or Parquet (by extension), or a text
 * file (reports), written to a temporary file beside the target and then
 * renamed, so that a reader or a crash never sees a half-written file under
 * the real name.
 *
 * @module
 */
import pl from "nodejs-polars";
import { dirname } from "node:path";
import { tableFormat } from "./read_table.ts";

/**
 * Writes `frame` to `path` (`.csv` or `.parquet`), creating parent folders.
 * Datetimes are written as `YYYY-MM-DD HH:MM:SS` in CSV, as in the seed's files.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * writeTable(pl.DataFrame({ a: [1, 2] }), "/tmp/example.csv");
 * ```
 */
export function writeTable(frame: pl.DataFrame, path: string): void {
  const format = tableFormat(path);
  writeAtomically(path, (temporary) => {
    if (format === "csv") frame.writeCSV(temporary, { datetimeFormat: "%Y-%m-%d %H:%M:%S" });
    else frame.writeParquet(temporary, { compression: "zstd" });
  });
}

/**
 * Writes a text file (a report, a JSON document) atomically, creating parent folders.
 *
 * @example
 * ```ts
 * writeTextAtomic("/tmp/report.html", "<!doctype html><p>hi</p>");
 * ```
 */
export function writeTextAtomic(path: string, text: string): void {
  writeAtomically(path, (temporary) => Deno.writeTextFileSync(temporary, text));
}

function writeAtomically(path: string, write: (temporary: string) => void): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${Deno.pid}-${crypto.randomUUID()}`;
  try {
    write(temporary);
    Deno.renameSync(temporary, path);
  } catch (error) {
    removeIfPresent(temporary);
    throw error;
  }
}

function removeIfPresent(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
