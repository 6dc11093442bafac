/**
 * Per-column summary statistics, computed by polars in one pass per kind of
 * column (a single `select` with every statistic of every numeric column).
 *
 * Conventions follow pandas' `describe`, so figures can be compared with the
 * seed's notebooks: sample standard deviation (n - 1), linearly interpolated
 * quantiles, and the bias-corrected (Fisher-Pearson) skewness.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type ColumnKind, columnKind, instantValue, labelValue, numberValue } from "./columns.ts";

/** Distribution statistics of a numeric column's known values; `null` when there are too few. */
export interface NumericStats {
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly q25: number | null;
  readonly median: number | null;
  readonly q75: number | null;
  readonly max: number | null;
  readonly skew: number | null;
}

/** How often a label occurs. */
export interface LevelCount {
  readonly value: string;
  readonly count: number;
}

/** What {@link summarizeColumns} reports for one column. */
export interface ColumnSummary {
  readonly name: string;
  /** The polars dtype, e.g. "Float64", "String", "Datetime". */
  readonly dtype: string;
  readonly kind: ColumnKind;
  /** Known (non-missing) values. */
  readonly count: number;
  /** Missing values: nulls, and NaN in numeric columns. */
  readonly missing: number;
  /** `missing / rows`, in [0, 1] (0 for an empty frame). */
  readonly missingShare: number;
  /** Distinct known values. */
  readonly distinct: number;
  /** Numeric columns only. */
  readonly stats?: NumericStats;
  /** Date columns only: first and last instant, ISO 8601. */
  readonly range?: { readonly min: string | null; readonly max: string | null };
  /** Categorical columns only: the most frequent labels, most frequent first (ties alphabetical). */
  readonly top?: readonly LevelCount[];
}

/** Options of {@link summarizeColumns}. */
export interface SummaryOptions {
  /** How many of the most frequent labels to list per categorical column. */
  readonly topLevels?: number;
}

const STATS: readonly [keyof NumericStats, (value: pl.Expr) => pl.Expr][] = [
  ["mean", (value) => value.mean()],
  ["std", (value) => value.std()],
  ["min", (value) => value.min()],
  ["q25", (value) => value.quantile(0.25, "linear")],
  ["median", (value) => value.quantile(0.5, "linear")],
  ["q75", (value) => value.quantile(0.75, "linear")],
  ["max", (value) => value.max()],
  ["skew", (value) => value.skew(false)],
];

/**
 * Summarises every column of a frame: type, counts, missing share, distinct
 * values, and by kind the distribution statistics, date range or top labels.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const [x] = summarizeColumns(pl.DataFrame({ x: [1, 2, 3, null] }));
 * x.missing; // 1
 * x.stats?.median; // 2
 * ```
 */
export function summarizeColumns(frame: pl.DataFrame, options: SummaryOptions = {}): ColumnSummary[] {
  const topLevels = options.topLevels ?? 5;
  const kinds = frame.columns.map((name) => columnKind(frame, name));
  const counted = frame.select(
    ...frame.columns.flatMap((name, i) => {
      const value = valueOf(name, kinds[i]);
      const stats = kinds[i] === "numeric" ? STATS.map(([stat, of]) => of(value).alias(`${i}:${stat}`)) : [];
      const range = kinds[i] === "datetime" ? [value.min().alias(`${i}:first`), value.max().alias(`${i}:last`)] : [];
      return [
        value.nullCount().alias(`${i}:missing`),
        value.dropNulls().nUnique().alias(`${i}:distinct`),
        ...stats,
        ...range,
      ];
    }),
  ).toRecords()[0] as Record<string, number | null>;

  return frame.columns.map((name, i) => {
    const read = (stat: string) => finite(counted[`${i}:${stat}`]);
    const missing = read("missing") ?? 0;
    const summary = {
      name,
      dtype: frame.getColumn(name).dtype.variant,
      kind: kinds[i],
      count: frame.height - missing,
      missing,
      missingShare: frame.height === 0 ? 0 : missing / frame.height,
      distinct: read("distinct") ?? 0,
    };
    if (kinds[i] === "numeric") {
      const stats = Object.fromEntries(STATS.map(([stat]) => [stat, read(stat)]));
      return { ...summary, stats: stats as unknown as NumericStats };
    }
    if (kinds[i] === "datetime") return { ...summary, range: { min: iso(read("first")), max: iso(read("last")) } };
    return { ...summary, top: topLabels(frame, name, topLevels) };
  });
}

function valueOf(name: string, kind: ColumnKind): pl.Expr {
  if (kind === "numeric") return numberValue(name);
  return kind === "datetime" ? instantValue(name) : labelValue(name);
}

function finite(value: unknown): number | null {
  const number = typeof value === "bigint" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function topLabels(frame: pl.DataFrame, name: string, limit: number): LevelCount[] {
  return frame.lazy()
    .select(labelValue(name).alias("value"))
    .filter(pl.col("value").isNotNull())
    .groupBy("value")
    .agg(pl.len().alias("count"))
    .sort(["count", "value"], [true, false])
    .head(limit)
    .collectSync()
    .toRecords()
    .map((row) => ({ value: String(row.value), count: Number(row.count) }));
}
