/**
 * The event rate of a binary target across a column's values: per decile
 * (equal-count bins) of a numeric column, per value of a numeric column with
 * few values, per label of a categorical one. The first look at whether, and
 * in which direction, a column separates the classes.
 *
 * @module
 */
import pl from "nodejs-polars";
import { binIndex, quantileCuts } from "./bins.ts";
import { columnKind, labelValue, numberValue } from "./columns.ts";
import { formatNumber } from "./format.ts";

/** One bin (or label) of a {@link TargetRateTable}. */
export interface RateBin {
  /** Numeric bins: "lowest – highest" value in the bin; otherwise the value or label; "(missing)" or "(other)". */
  readonly label: string;
  /** Numeric bins: the smallest and largest value in the bin; `null` otherwise. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly count: number;
  readonly events: number;
  /** `events / count`. */
  readonly rate: number;
}

/** The target rate of one column's bins, in display order (numeric ascending, labels by count; missing last). */
export interface TargetRateTable {
  readonly column: string;
  readonly kind: "numeric" | "categorical";
  readonly bins: readonly RateBin[];
}

/** Options of {@link targetRateTable} and {@link targetRates}. */
export interface TargetRateOptions {
  /** Numeric bins (10 = deciles); numeric columns with at most this many distinct values get one bin per value. */
  readonly bins?: number;
  /** Labels shown per categorical column; rarer ones are pooled as "(other)". */
  readonly maxLevels?: number;
}

const MISSING = "(missing)";
const OTHER = "(other)";
const Y = "__y";

/**
 * The target rate per bin of one column. `y` holds 0/1 per row of `frame`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const table = targetRateTable(pl.DataFrame({ c: ["a", "a", "b"] }), new Uint8Array([1, 0, 1]), "c");
 * table.bins.map((bin) => [bin.label, bin.rate]); // [["a", 0.5], ["b", 1]]
 * ```
 */
export function targetRateTable(
  frame: pl.DataFrame,
  y: Uint8Array,
  column: string,
  options: TargetRateOptions = {},
): TargetRateTable {
  if (y.length !== frame.height) {
    throw new RangeError(`targetRateTable: ${y.length} target values for ${frame.height} rows`);
  }
  const kind = columnKind(frame, column);
  if (kind === "datetime") throw new RangeError(`targetRateTable: column "${column}" holds dates`);
  const withTarget = frame.select(pl.col(column)).withColumns(pl.Series(Y, y).cast(pl.Float64));
  return kind === "numeric"
    ? { column, kind, bins: numericBins(withTarget, column, options.bins ?? 10) }
    : { column, kind, bins: labelBins(withTarget, column, options.maxLevels ?? 20) };
}

/**
 * {@link targetRateTable} for every numeric and categorical column (dates are skipped).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * targetRates(pl.DataFrame({ x: [1, 2], c: ["a", "b"] }), new Uint8Array([0, 1])).length; // 2
 * ```
 */
export function targetRates(frame: pl.DataFrame, y: Uint8Array, options: TargetRateOptions = {}): TargetRateTable[] {
  return frame.columns
    .filter((name) => columnKind(frame, name) !== "datetime")
    .map((name) => targetRateTable(frame, y, name, options));
}

function numericBins(frame: pl.DataFrame, column: string, bins: number): RateBin[] {
  const value = numberValue(column);
  const distinct = frame.select(value.dropNulls().nUnique()).row(0)[0] as number;
  if (distinct <= bins) {
    return rates(frame, value.alias("key"), "key").map((row) => ({
      label: row.key === null ? MISSING : formatNumber(row.key as number),
      lower: row.key as number | null,
      upper: row.key as number | null,
      ...counts(row),
    }));
  }
  const cuts = quantileCuts(frame, column, bins);
  const grouped = frame.lazy()
    .select(value.alias("value"), binIndex(value, cuts).alias("key"), pl.col(Y))
    .groupBy("key")
    .agg(
      pl.len().alias("count"),
      pl.col(Y).sum().alias("events"),
      pl.col("value").min().alias("lower"),
      pl.col("value").max().alias("upper"),
    )
    .sort("key", false, true)
    .collectSync()
    .toRecords();
  return grouped.map((row) => {
    const lower = row.lower as number | null;
    const upper = row.upper as number | null;
    const label = row.key === null
      ? MISSING
      : lower === upper
      ? formatNumber(lower)
      : `${formatNumber(lower)} – ${formatNumber(upper)}`;
    return { label, lower, upper, ...counts(row) };
  });
}

function labelBins(frame: pl.DataFrame, column: string, maxLevels: number): RateBin[] {
  const rows = rates(frame, labelValue(column).alias("key"), "count");
  const known = rows.filter((row) => row.key !== null);
  const shown = known.slice(0, maxLevels);
  const pooled = known.slice(maxLevels);
  const missing = rows.filter((row) => row.key === null);
  const pool = pooled.length === 0 ? [] : [{
    key: OTHER,
    count: pooled.reduce((sum, row) => sum + Number(row.count), 0),
    events: pooled.reduce((sum, row) => sum + Number(row.events), 0),
  }];
  return [...shown, ...pool, ...missing].map((row) => ({
    label: row.key === null ? MISSING : String(row.key),
    lower: null,
    upper: null,
    ...counts(row),
  }));
}

/** Count and events per key; sorted by key (nulls last) or by count (descending, ties by key). */
function rates(frame: pl.DataFrame, key: pl.Expr, order: "key" | "count"): Record<string, unknown>[] {
  const grouped = frame.lazy()
    .select(key, pl.col(Y))
    .groupBy("key")
    .agg(pl.len().alias("count"), pl.col(Y).sum().alias("events"));
  const sorted = order === "key"
    ? grouped.sort("key", false, true)
    : grouped.sort(["count", "key"], [true, false], true);
  return sorted.collectSync().toRecords();
}

function counts(row: Record<string, unknown>): { count: number; events: number; rate: number } {
  const count = Number(row.count);
  const events = Number(row.events);
  return { count, events, rate: count === 0 ? 0 : events / count };
}
