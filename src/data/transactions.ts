/**
 * Loads a transaction log from CSV or Parquet into the canonical schema
 * (src/data/schema.ts), mapping the user's column names, parsing dates and
 * numbers column-wise with polars, and reporting the first bad value with its
 * file, column and row instead of a silent null.
 *
 * @module
 */
import pl from "nodejs-polars";
import { DataError, withDataLocation } from "./errors.ts";
import { readTable } from "./read_table.ts";
import { REQUIRED_TRANSACTION_COLUMNS, TRANSACTION_COLUMNS, type TransactionColumn } from "./schema.ts";

/** Canonical column name -> the name it has in the user's file. */
export type ColumnMapping = Partial<Record<TransactionColumn, string>>;

/** A loaded, validated transaction log. */
export interface TransactionLog {
  /** Canonical columns only; optional ones that the file lacks are absent. */
  readonly frame: pl.DataFrame;
  /** Which optional columns were absent, and what that means, for the user. */
  readonly notices: readonly string[];
}

/**
 * Parses `--columns customer_id=ID,purchase_datetime=date` into a mapping.
 *
 * @example
 * ```ts
 * parseColumnMapping("customer_id=cust,purchase_datetime=date"); // { customer_id: "cust", purchase_datetime: "date" }
 * ```
 */
export function parseColumnMapping(spec: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of spec.split(",").map((p) => p.trim()).filter((p) => p)) {
    const [canonical, source] = part.split("=").map((p) => p.trim());
    if (!source || !(TRANSACTION_COLUMNS as readonly string[]).includes(canonical)) {
      throw new DataError(
        `bad column mapping "${part}": expected NAME=COLUMN with NAME one of ${TRANSACTION_COLUMNS.join(", ")}`,
      );
    }
    mapping[canonical as TransactionColumn] = source;
  }
  return mapping;
}

const DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"];
const INTEGER_COLUMNS: readonly TransactionColumn[] = ["transaction_id", "customer_id", "product_id", "quantity"];

/**
 * Reads a transaction log. Required: a customer id, a purchase date or
 * timestamp, an amount; optional columns absent from the file are left out
 * with a notice. Text columns are validated: the first value that is not a
 * number or not a date fails the load with a {@link DataError}.
 *
 * @example
 * ```ts
 * const log = loadTransactions("../shared/data/real/cdnow_transactions.csv", { purchase_datetime: "date" });
 * log.frame.columns; // ["customer_id", "purchase_datetime", "quantity", "amount"]
 * ```
 */
export function loadTransactions(path: string, mapping: ColumnMapping = {}): TransactionLog {
  return validateTransactions(readTable(path, { asText: true }), { file: path, mapping });
}

/**
 * Validates and converts an in-memory frame to the canonical schema, as
 * {@link loadTransactions} does for files (used for generated data, too).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const log = validateTransactions(pl.DataFrame({ customer_id: ["1"], purchase_datetime: ["2024-01-02"], amount: ["9.5"] }));
 * log.frame.getColumn("amount").toArray(); // [9.5]
 * ```
 */
export function validateTransactions(
  raw: pl.DataFrame,
  { file, mapping = {} }: { file?: string; mapping?: ColumnMapping } = {},
): TransactionLog {
  for (const [canonical, source] of Object.entries(mapping)) {
    if (!raw.columns.includes(source!)) {
      throw new DataError(
        `mapped column "${source}" (for ${canonical}) is not in the file; found: ${raw.columns.join(", ")}`,
        {
          file,
        },
      );
    }
  }
  const sourceOf = (name: TransactionColumn) => mapping[name] ?? name;
  const missingRequired = REQUIRED_TRANSACTION_COLUMNS.filter((name) => !raw.columns.includes(sourceOf(name)));
  if (missingRequired.length > 0) {
    throw new DataError(
      `missing required column(s) ${missingRequired.join(", ")}; found: ${raw.columns.join(", ")}. ` +
        `Map differing names with --columns ${missingRequired.map((n) => `${n}=YOUR_COLUMN`).join(",")}`,
      { file },
    );
  }
  const present = TRANSACTION_COLUMNS.filter((name) => raw.columns.includes(sourceOf(name)));
  const absent = TRANSACTION_COLUMNS.filter((name) => !present.includes(name));
  const notices = absent.map((name) => `column ${name} is absent: features that need it are left out`);
  return withDataLocation({ file }, "cannot convert the columns", () => {
    const frame = raw.select(...present.map((name) => pl.col(sourceOf(name)).alias(name)));
    const converted = frame.withColumns(...present.map((name) => convertExpression(name, frame.getColumn(name).dtype)));
    for (const name of present) reportFirstFailure(frame, converted, name, file);
    return { frame: converted, notices };
  });
}

function convertExpression(name: TransactionColumn, dtype: pl.DataType): pl.Expr {
  const column = pl.col(name);
  const text = dtype.variant === "String" || dtype.variant === "Utf8";
  if (name === "purchase_datetime") {
    if (!text) return column.cast(pl.Datetime("ms"));
    const trimmed = column.str.strip();
    const parsed = DATE_FORMATS.map((format) =>
      trimmed.str.strptime(pl.Datetime("ms"), format).cast(pl.Datetime("ms"))
    );
    return parsed.reduce((first, next) => first.fillNull(next)).alias(name);
  }
  if (name === "channel") return column.cast(pl.Utf8);
  if (name === "promo_flag") {
    const lowered = column.cast(pl.Utf8).str.strip().str.toLowerCase();
    return pl.when(lowered.isIn(["1", "true", "yes", "y", "1.0"])).then(pl.lit(1))
      .when(lowered.isIn(["0", "false", "no", "n", "0.0"])).then(pl.lit(0))
      .otherwise(pl.lit(null)).cast(pl.Int64).alias(name);
  }
  const asNumber = (text ? column.str.strip() : column).cast(pl.Float64, false);
  return (INTEGER_COLUMNS.includes(name) ? asNumber.round(0).cast(pl.Int64) : asNumber).alias(name);
}

/** Fails on the first value that was present in the source but did not convert, or a missing required value. */
function reportFirstFailure(source: pl.DataFrame, converted: pl.DataFrame, name: TransactionColumn, file?: string) {
  const before = source.getColumn(name);
  const isText = before.dtype.variant === "String" || before.dtype.variant === "Utf8";
  const original = pl.col("before");
  const present = isText ? original.isNotNull().and(original.str.strip().str.lengths().gt(0)) : original.isNotNull();
  const failed = REQUIRED_TRANSACTION_COLUMNS.includes(name)
    ? pl.col("after").isNull()
    : present.and(pl.col("after").isNull());
  const bad = pl.DataFrame([before.alias("before"), converted.getColumn(name).alias("after")])
    .withRowIndex("row")
    .filter(failed)
    .getColumn("row");
  if (bad.length === 0) return;
  const index = Number(bad.get(0));
  const value = before.get(index);
  const problem = value === null || String(value).trim() === ""
    ? "missing value in a required column"
    : name === "purchase_datetime"
    ? "not a date (expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)"
    : name === "promo_flag"
    ? "not a 0/1 flag"
    : "not a number";
  throw new DataError(problem, { file, column: name, row: index + 1, value: value ?? "" });
}
