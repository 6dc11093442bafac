/**
 * How exploratory analysis sees a polars column: numbers, dates or labels,
 * and the expressions that read each kind uniformly (numbers as Float64 with
 * NaN counted as missing, labels as text).
 *
 * @module
 */
import pl from "nodejs-polars";
import { NUMBER_DTYPES } from "../data/frame.ts";

/** The three ways a column is analysed. Booleans count as labels here: "true"/"false" read better than 1/0. */
export type ColumnKind = "numeric" | "categorical" | "datetime";

const NUMERIC = NUMBER_DTYPES;
const INTEGER = new Set([...NUMERIC].filter((dtype) => dtype.includes("Int")));

/**
 * The kind of a frame's column.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * columnKind(pl.DataFrame({ a: [1.5] }), "a"); // "numeric"
 * ```
 */
export function columnKind(frame: pl.DataFrame, name: string): ColumnKind {
  const dtype = frame.getColumn(name).dtype.variant;
  if (NUMERIC.has(dtype)) return "numeric";
  if (dtype === "Date" || dtype === "Datetime") return "datetime";
  return "categorical";
}

/**
 * Whether a column holds whole numbers by type.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * isIntegerColumn(pl.DataFrame({ a: [1, 2] }).withColumns(pl.col("a").cast(pl.Int64)), "a"); // true
 * ```
 */
export function isIntegerColumn(frame: pl.DataFrame, name: string): boolean {
  return INTEGER.has(frame.getColumn(name).dtype.variant);
}

/**
 * The names of a frame's columns of one kind, in frame order.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * columnsOfKind(pl.DataFrame({ a: [1], b: ["x"] }), "numeric"); // ["a"]
 * ```
 */
export function columnsOfKind(frame: pl.DataFrame, kind: ColumnKind): string[] {
  return frame.columns.filter((name) => columnKind(frame, name) === kind);
}

/**
 * A numeric column as Float64 with NaN turned into null, so that every
 * statistic treats both as missing.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * pl.DataFrame({ a: [1, NaN] }).select(numberValue("a")).getColumn("a").nullCount(); // 1
 * ```
 */
export function numberValue(name: string): pl.Expr {
  return pl.col(name).cast(pl.Float64).fillNan(pl.lit(null)).alias(name);
}

/**
 * A categorical column as text (booleans as "true"/"false").
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * pl.DataFrame({ a: [true] }).select(labelValue("a")).getColumn("a").toArray(); // ["true"]
 * ```
 */
export function labelValue(name: string): pl.Expr {
  return pl.col(name).cast(pl.Utf8).alias(name);
}

/**
 * A date or date-time column as epoch milliseconds.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * pl.DataFrame({ d: [new Date(0)] }).select(instantValue("d")).getColumn("d").toArray(); // [0]
 * ```
 */
export function instantValue(name: string): pl.Expr {
  return pl.col(name).cast(pl.Datetime("ms")).cast(pl.Int64).alias(name);
}

const DATE_FORMATS: readonly [RegExp, string, "date" | "datetime"][] = [
  [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, "%Y-%m-%d %H:%M:%S", "datetime"],
  [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "%Y-%m-%dT%H:%M:%S", "datetime"],
  [/^\d{4}-\d{2}-\d{2}$/, "%Y-%m-%d", "date"],
];

/**
 * Turns text columns that hold ISO dates or date-times (every known value
 * parses) into Date / Datetime("ms") columns, so that a CSV's timestamps are
 * summarised as a date range rather than as a thousand distinct labels.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * parseDateColumns(pl.DataFrame({ d: ["2024-01-01", null] })).getColumn("d").dtype.variant; // "Date"
 * ```
 */
export function parseDateColumns(frame: pl.DataFrame): pl.DataFrame {
  const parsed = frame.columns.flatMap((name) => {
    const series = frame.getColumn(name);
    if (series.dtype.variant !== "String") return [];
    const first = series.dropNulls().head(1).toArray()[0];
    const format = DATE_FORMATS.find(([pattern]) => typeof first === "string" && pattern.test(first));
    if (format === undefined) return [];
    const [, pattern, kind] = format;
    const text = pl.col(name).str;
    const value = kind === "date" ? text.strptime(pl.Date, pattern) : text.strptime(pl.Datetime("ms"), pattern);
    const candidate = frame.select(value.alias(name)).getColumn(name);
    return candidate.nullCount() === series.nullCount() ? [candidate] : [];
  });
  return parsed.length === 0 ? frame : frame.withColumns(...parsed);
}
