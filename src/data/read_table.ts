/**
 * Reads a CSV or Parquet file into a polars frame, with errors that name the
 * file: missing, unreadable, of an unknown type, or empty.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError } from "./errors.ts";

/** Options of {@link readTable}. */
export interface ReadTableOptions {
  /**
   * Read every CSV column as text, so that the caller can parse and validate
   * each one and report the first bad value (polars' own inference would
   * turn a stray "abc" into a whole string column or an opaque error).
   */
  readonly asText?: boolean;
}

/** The table formats the loaders accept, by file extension. */
export type TableFormat = "csv" | "parquet";

/**
 * The format of a path from its extension (`.csv`, `.parquet`/`.pq`).
 *
 * @example
 * ```ts
 * tableFormat("data/tx.parquet"); // "parquet"
 * ```
 */
export function tableFormat(path: string): TableFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".parquet") || lower.endsWith(".pq")) return "parquet";
  throw new DataError("unsupported file type: expected a .csv or .parquet file", { file: path });
}

/**
 * Reads a table, failing with a {@link DataError} naming the file when it is
 * missing, unreadable or has no data rows.
 *
 * @example
 * ```ts
 * const frame = readTable("../shared/data/seed/features.csv");
 * frame.height; // 1000
 * ```
 */
export function readTable(path: string, options: ReadTableOptions = {}): pl.DataFrame {
  const format = tableFormat(path);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new DataError("file not found", { file: path });
    throw new DataError(`cannot read file: ${(error as Error).message}`, { file: path });
  }
  if (!info.isFile) throw new DataError("not a file", { file: path });
  if (info.size === 0) throw new DataError("the file is empty", { file: path });
  let frame: pl.DataFrame;
  try {
    frame = format === "csv"
      ? pl.readCSV(path, { inferSchemaLength: options.asText ? 0 : 10_000, tryParseDates: false })
      : pl.readParquet(path);
  } catch (error) {
    throw new DataError(`cannot parse as ${format.toUpperCase()}: ${firstLine(error)}`, { file: path });
  }
  if (frame.height === 0) throw new DataError("the file has a header but no data rows", { file: path });
  return frame;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
