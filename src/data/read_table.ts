/**
 * Reads a CSV or Parquet file into a polars frame, with errors that name the
 * file: missing, unreadable, of an unknown type, not UTF-8, empty, or (CSV)
 * with a row whose number of fields differs from the header's.
 *
 * @module
 */
import pl from "nodejs-polars";
import { describeRagged, renameToHeader, scanCsvShape } from "./csv_shape.ts";
import { DataError, firstLine, withDataLocation } from "./errors.ts";

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
 * missing, unreadable or has no data rows, and naming the line of the first
 * CSV row with too many or too few fields (polars would pad or cut it
 * silently). CSV header names are unescaped (`"x""y"` is `x"y`).
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
  const shape = format === "csv" ? scanCsvShape(path, { limit: 1 }) : undefined;
  if (shape !== undefined && shape.ragged.length > 0) {
    const [first] = shape.ragged;
    throw new DataError(describeRagged(first, shape.header), { file: path, line: first.line, row: first.row });
  }
  let frame: pl.DataFrame;
  try {
    frame = format === "csv" ? pl.readCSV(path, { inferSchemaLength: 0, tryParseDates: false }) : pl.readParquet(path);
  } catch (error) {
    throw new DataError(`cannot parse as ${format.toUpperCase()}: ${explainParseError(error)}`, { file: path });
  }
  if (frame.height === 0) throw new DataError("the file has a header but no data rows", { file: path });
  if (shape === undefined) return frame;
  const named = frame.rename(renameToHeader(frame.columns, shape.header, path));
  return options.asText
    ? named
    : withDataLocation({ file: path }, "cannot type the columns", () => inferNumericColumns(named));
}

/** Polars' message, with what to do about the common one: a file that is not UTF-8 (Latin-1, Windows-1252). */
export function explainParseError(error: unknown): string {
  const message = firstLine(error);
  return /utf-?8/i.test(message) ? `${message}: the file is not UTF-8 text; save it as UTF-8` : message;
}

/**
 * Types CSV text columns from all their values, not a prefix: a column is
 * numeric when every non-empty value parses as a number (polars' own
 * inference reads the first rows only and then fails on a later `1210.39` in
 * a column it took for integers). Empty strings become nulls.
 */
function inferNumericColumns(frame: pl.DataFrame): pl.DataFrame {
  const text = (name: string) => pl.col(name).str.strip();
  const checks = frame.select(
    ...frame.columns.flatMap((name, i) => [
      text(name).str.lengths().gt(0).sum().alias(`present${i}`),
      text(name).cast(pl.Float64, false).isNotNull().sum().alias(`numbers${i}`),
    ]),
  ).row(0) as number[];
  return frame.select(
    ...frame.columns.map((name, i) => {
      const present = checks[2 * i];
      const empty = pl.when(text(name).str.lengths().eq(0)).then(pl.lit(null));
      return present > 0 && checks[2 * i + 1] === present
        ? empty.otherwise(text(name).cast(pl.Float64, false)).alias(name)
        : empty.otherwise(pl.col(name)).alias(name);
    }),
  );
}
