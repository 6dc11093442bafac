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
import { DataError } from "../data/errors.ts";
import { tableFormat } from "../data/read_table.ts";
import { REQUIRED_TRANSACTION_COLUMNS } from "../data/schema.ts";
import { type ColumnMapping, loadTransactions } from "../data/transactions.ts";
import { buildFeatures } from "../features/build.ts";
import type { ModelBundle } from "../bundle/bundle.ts";

const DAY_MS = 86_400_000;
/** The id column of a transaction log's customer rows. */
const LOG_ID = "customer_id";

/**
 * What {@link openInput} needs to know.
 *
 * @example
 * ```ts
 * const spec: InputSpec = { data: "tx.csv", bundle, features: scorer.features, cutoff: new Date("2024-11-30") };
 * ```
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
 *
 * @example
 * ```ts
 * const input: BatchInput = openInput(spec);
 * for (let offset = 0; offset < input.rows; offset += 50_000) input.read(offset, 50_000);
 * ```
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
 * const input = openInput({ data: "customers.parquet", bundle, features: scorer.features });
 * const first = input.read(0, 50_000);
 * ```
 */
export function openInput(spec: InputSpec): BatchInput {
  const file = spec.data;
  const lazy = scan(file);
  const columns = lazy.columns;
  const missing = spec.features.filter((name) => !columns.includes(name));
  if (missing.length === 0) return openTable(spec, lazy, columns);
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

function scan(file: string): pl.LazyDataFrame {
  const format = tableFormat(file);
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(file);
  } catch (error) {
    throw new DataError(error instanceof Deno.errors.NotFound ? "file not found" : `cannot read: ${error}`, { file });
  }
  if (!info.isFile || info.size === 0) throw new DataError(info.isFile ? "the file is empty" : "not a file", { file });
  try {
    return format === "csv" ? pl.scanCSV(file, { inferSchemaLength: 0 }) : pl.scanParquet(file);
  } catch (error) {
    throw new DataError(`cannot read as ${format.toUpperCase()}: ${firstLine(error)}`, { file });
  }
}

function openTable(spec: InputSpec, lazy: pl.LazyDataFrame, columns: string[]): BatchInput {
  const file = spec.data;
  if (spec.cutoff !== undefined) {
    throw new DataError("--cutoff applies to transaction logs; this file is a feature table", { file });
  }
  const idColumn = chooseId(spec.idColumn, columns, file);
  let rows: number;
  try {
    rows = Number(lazy.select(pl.len().alias("rows")).collectSync().getColumn("rows").get(0));
  } catch (error) {
    throw new DataError(`cannot read: ${firstLine(error)}`, { file });
  }
  return {
    kind: "table",
    file,
    rows,
    columns,
    ...(idColumn === undefined ? {} : { idColumn }),
    notices: idColumn === undefined ? ["no id column: rows are identified by their number (1 = first data row)"] : [],
    description: `feature table ${file}`,
    read: (offset, length) => {
      try {
        return lazy.slice(offset, length).collectSync();
      } catch (error) {
        throw new DataError(`cannot read rows ${offset + 1}-${offset + length}: ${firstLine(error)}`, { file });
      }
    },
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

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
