/**
 * The input of a batch run, read in chunks: a feature table (CSV or Parquet,
 * scanned lazily and sliced, so only one chunk is in memory), or a
 * transaction log, from which the model's own feature definition builds one
 * row per customer as of a cutoff (the log is aggregated in memory once;
 * the customer rows are then sliced like a table).
 *
 * CSV tables are scanned as text: a stray "abc" in a numeric column then
 * rejects that row instead of turning the whole column into text (or failing
 * the scan) as polars' type inference would.
 *
 * @module
 */
import pl from "nodejs-polars";
import { describeRagged, renameToHeader, scanCsvShape } from "../data/csv_shape.ts";
import { DataError, firstLine } from "../data/errors.ts";
import { explainParseError, tableFormat } from "../data/read_table.ts";
import { REQUIRED_TRANSACTION_COLUMNS } from "../data/schema.ts";
import { type ColumnMapping, loadTransactions } from "../data/transactions.ts";
import { buildFeatures } from "../features/build.ts";
import type { ModelBundle } from "../bundle/bundle.ts";
import type { PreRejected } from "./validate_chunk.ts";

const DAY_MS = 86_400_000;
/** The id column of a transaction log's customer rows. */
const LOG_ID = "customer_id";

/**
 * What {@link openInput} needs to know.
 */
export interface InputSpec {
  /** A feature table or a transaction log (CSV or Parquet). */
  readonly data: string;
  readonly bundle: ModelBundle;
  /** The features the model reads (each must be in a table, or buildable from a log). */
  readonly features: readonly string[];
  /** Transaction logs: the last day of history (default: the day of the last transaction). */
  readonly cutoff?: Date;
  /** Transaction logs: canonical column -> the log's column name. */
  readonly columns?: ColumnMapping;
  /** The id column (default: `customer_id` when present; otherwise rows are identified by number). */
  readonly idColumn?: string;
}

/**
 * An opened input.
 */
export interface BatchInput {
  readonly kind: "table" | "log";
  readonly file: string;
  /** Rows to score (customers, for a log). */
  readonly rows: number;
  /** Columns a chunk has. */
  readonly columns: readonly string[];
  readonly idColumn?: string;
  /** Logs: the cutoff day used (ISO date). */
  readonly cutoff?: string;
  /** What the input step left out or assumed, one sentence each. */
  readonly notices: readonly string[];
  /**
   * Rows the input step already rejects, by 1-based row and in row order: a
   * CSV table's rows with more or fewer fields than the header (polars pads
   * or cuts them, so their values cannot be trusted).
   */
  readonly rejected: readonly PreRejected[];
  readonly description: string;
  /** Rows `[offset, offset + length)`. */
  read(offset: number, length: number): pl.DataFrame;
}

/**
 * Opens the input, deciding by its columns whether it is a feature table
 * (it has every model feature) or a transaction log (a model trained on
 * logs, and the log's required columns present).
 *
 * @example
 * ```ts
 * import type { ModelBundle } from "../bundle/bundle.ts";
 * declare const bundle: ModelBundle;
 * const input = openInput({ data: "customers.parquet", bundle, features: ["recency_days", "frequency"] });
 * const first = input.read(0, 50_000);
 * ```
 */
export function openInput(spec: InputSpec): BatchInput {
  const file = spec.data;
  const { lazy, rejected } = scan(file);
  const columns = lazy.columns;
  const missing = spec.features.filter((name) => !columns.includes(name));
  if (missing.length === 0) return openTable(spec, lazy, columns, rejected);
  const mapped = (name: string) => (spec.columns as Record<string, string> | undefined)?.[name] ?? name;
  const isLog = REQUIRED_TRANSACTION_COLUMNS.every((name) => columns.includes(mapped(name)));
  if (isLog && spec.bundle.definition.kind === "transactions") return openLog(spec);
  if (isLog) {
    throw new DataError(
      "this looks like a transaction log, but the model was trained on a feature table: give a table with its " +
        `columns (missing: ${missing.join(", ")})`,
      { file },
    );
  }
  throw new DataError(
    `the file has neither the model's feature columns (missing: ${missing.join(", ")}) nor a transaction log's ` +
      `(${REQUIRED_TRANSACTION_COLUMNS.join(", ")}); found: ${columns.join(", ")}`,
    { file },
  );
}

/**
 * Opens the file lazily. A CSV file is first scanned for its header names
 * (unescaped) and its rows with a wrong number of fields, which polars is
 * told to pad or cut so that the other rows still read.
 */
function scan(file: string): { lazy: pl.LazyDataFrame; rejected: PreRejected[] } {
  const format = tableFormat(file);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(file);
  } catch (error) {
    throw new DataError(error instanceof Deno.errors.NotFound ? "file not found" : `cannot read: ${error}`, { file });
  }
  if (!info.isFile || info.size === 0) throw new DataError(info.isFile ? "the file is empty" : "not a file", { file });
  if (format === "parquet") {
    try {
      const lazy = pl.scanParquet(file);
      // The schema is read here, so a file that is not Parquet fails now, not at the caller's first use.
      void lazy.columns;
      return { lazy, rejected: [] };
    } catch (error) {
      throw new DataError(`cannot read as PARQUET: ${firstLine(error)}`, { file });
    }
  }
  const { header, ragged } = scanCsvShape(file);
  let lazy: pl.LazyDataFrame;
  try {
    lazy = pl.scanCSV(file, { inferSchemaLength: 0, truncateRaggedLines: true });
    void lazy.columns;
  } catch (error) {
    throw new DataError(`cannot read as CSV: ${explainParseError(error)}`, { file });
  }
  const rejected = ragged.map((record) => ({
    row: record.row,
    reason: new DataError(describeRagged(record, header), { line: record.line }).message,
  }));
  return { lazy: lazy.rename(renameToHeader(lazy.columns, header, file)), rejected };
}

function openTable(spec: InputSpec, lazy: pl.LazyDataFrame, columns: string[], rejected: PreRejected[]): BatchInput {
  const file = spec.data;
  if (spec.cutoff !== undefined) {
    throw new DataError("--cutoff applies to transaction logs; this file is a feature table", { file });
  }
  const idColumn = chooseId(spec.idColumn, columns, file);
  let rows: number;
  try {
    rows = Number(lazy.select(pl.len().alias("rows")).collectSync().getColumn("rows").get(0));
  } catch (error) {
    throw new DataError(`cannot read: ${explainParseError(error)}`, { file });
  }
  const notices = [
    ...(idColumn === undefined ? ["no id column: rows are identified by their number (1 = first data row)"] : []),
    ...(rejected.length === 0 ? [] : [
      `${rejected.length} row(s) have more or fewer fields than the header (first: row ${rejected[0].row}, ` +
      `${rejected[0].reason}); they go to the rejects file`,
    ]),
  ];
  return {
    kind: "table",
    file,
    rows,
    columns,
    ...(idColumn === undefined ? {} : { idColumn }),
    notices,
    rejected,
    description: `feature table ${file}`,
    read: blockReader(rows, (offset, length) => {
      try {
        return lazy.slice(offset, length).collectSync();
      } catch (error) {
        throw new DataError(`cannot read rows ${offset + 1}-${offset + length}: ${explainParseError(error)}`, { file });
      }
    }),
  };
}

/**
 * Rows a table is read in at a time: polars' default Parquet row group. A
 * slice decodes every row group it touches, so reading a 50,000-row chunk
 * at a time would decode each row group several times over.
 */
const READ_BLOCK = 262_144;

/**
 * Serves chunk reads from blocks of at least {@link READ_BLOCK} rows, read
 * once each (chunks come in order; any other read is still answered).
 */
function blockReader(
  rows: number,
  readRows: (offset: number, length: number) => pl.DataFrame,
): BatchInput["read"] {
  let start = 0;
  let block: pl.DataFrame | undefined;
  return (offset, length) => {
    if (block === undefined || offset < start || offset + length > start + block.height) {
      start = offset;
      block = readRows(offset, Math.min(Math.max(length, READ_BLOCK), Math.max(rows - offset, length)));
    }
    return block.slice(offset - start, length);
  };
}

function openLog(spec: InputSpec): BatchInput {
  const file = spec.data;
  if (spec.idColumn !== undefined && spec.idColumn !== LOG_ID) {
    throw new DataError(`a transaction log is scored per ${LOG_ID}; --id-column ${spec.idColumn} does not apply`, {
      file,
    });
  }
  const definition = spec.bundle.definition;
  if (definition.kind !== "transactions") throw new Error("openLog: the model has no transaction feature definition");
  const log = loadTransactions(file, spec.columns);
  const present = new Set(log.frame.columns);
  const needed = new Set(spec.features);
  // Every feature the model reads is required; the others are built when the log allows, for the drift report.
  const names = definition.features
    .filter((feature) => needed.has(feature.name) || feature.requires.every((column) => present.has(column)))
    .map((feature) => feature.name);
  const lastDay = Math.floor(Number(log.frame.getColumn("purchase_datetime").max()) / DAY_MS) * DAY_MS;
  const cutoffDay = spec.cutoff === undefined ? lastDay : Math.floor(spec.cutoff.getTime() / DAY_MS) * DAY_MS;
  const cutoff = new Date(cutoffDay).toISOString().slice(0, 10);
  // Features see every transaction of the cutoff day: up to its last millisecond.
  const built = buildFeatures(log.frame, { cutoff: new Date(cutoffDay + DAY_MS - 1), features: names });
  if (built.frame.height === 0) {
    throw new DataError(`no customer has a transaction on or before the cutoff ${cutoff}`, { file });
  }
  const frame = built.frame;
  return {
    kind: "log",
    file,
    rows: frame.height,
    columns: frame.columns,
    idColumn: LOG_ID,
    cutoff,
    notices: [...log.notices, ...built.notices],
    // loadTransactions fails on a log row with a wrong number of fields: a bad transaction changes its customer's row.
    rejected: [],
    description: `transaction log ${file}: ${log.frame.height} transactions, ${frame.height} customers as of ${cutoff}`,
    read: (offset, length) => frame.slice(offset, length),
  };
}

function chooseId(wanted: string | undefined, columns: readonly string[], file: string): string | undefined {
  if (wanted === undefined) return columns.includes(LOG_ID) ? LOG_ID : undefined;
  if (!columns.includes(wanted)) {
    throw new DataError(`id column "${wanted}" is not in the file; found: ${columns.join(", ")}`, { file });
  }
  return wanted;
}
