/**
 * Writing a frame as CSV or Parquet (by extension), atomically (src/fs/atomic.ts):
 * a reader or a crash never sees a half-written file under the real name.
 *
 * @module
 */
import pl from "nodejs-polars";
import { writeFileAtomicSync } from "../fs/atomic.ts";
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
  writeFileAtomicSync(path, (temporary) => {
    if (format === "csv") frame.writeCSV(temporary, { datetimeFormat: "%Y-%m-%d %H:%M:%S" });
    else frame.writeParquet(temporary, { compression: "zstd" });
  });
}
