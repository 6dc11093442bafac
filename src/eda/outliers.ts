/**
 * How many values of each numeric column lie outside Tukey's IQR fences and
 * outside the 1st/99th percentiles: the two clipping rules the preparation
 * step offers, so the report shows what each would touch.
 *
 * @module
 */
import pl from "nodejs-polars";
import { columnsOfKind, numberValue } from "./columns.ts";

/** Outlier counts of one numeric column; bounds are `null` when the column has no known value. */
export interface OutlierCount {
  readonly column: string;
  /** Known values. */
  readonly count: number;
  readonly q1: number | null;
  readonly q3: number | null;
  /** `q1 - k·IQR` and `q3 + k·IQR`. */
  readonly lowerFence: number | null;
  readonly upperFence: number | null;
  readonly belowFence: number;
  readonly aboveFence: number;
  /** The low and high percentiles (default 1% and 99%). */
  readonly lowPercentile: number | null;
  readonly highPercentile: number | null;
  readonly belowPercentile: number;
  readonly abovePercentile: number;
}

/** Options of {@link outlierCounts}. */
export interface OutlierOptions {
  readonly columns?: readonly string[];
  /** The fence multiplier k (Tukey: 1.5). */
  readonly iqrFactor?: number;
  /** Quantile levels of the percentile rule. */
  readonly low?: number;
  readonly high?: number;
}

/**
 * Counts values strictly outside the IQR fences and the percentile bounds
 * (quantiles linearly interpolated, as pandas).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const [x] = outlierCounts(pl.DataFrame({ x: [1, 2, 3, 4, 100] }));
 * x.upperFence; // 7  (q3 = 4, IQR = 2)
 * x.aboveFence; // 1
 * ```
 */
export function outlierCounts(frame: pl.DataFrame, options: OutlierOptions = {}): OutlierCount[] {
  const columns = options.columns ?? columnsOfKind(frame, "numeric");
  const k = options.iqrFactor ?? 1.5;
  const low = options.low ?? 0.01;
  const high = options.high ?? 0.99;
  if (columns.length === 0) return [];
  const bounds = frame.select(...columns.flatMap((name, i) => {
    const value = numberValue(name);
    return [
      value.count().alias(`${i}:count`),
      value.quantile(0.25, "linear").alias(`${i}:q1`),
      value.quantile(0.75, "linear").alias(`${i}:q3`),
      value.quantile(low, "linear").alias(`${i}:low`),
      value.quantile(high, "linear").alias(`${i}:high`),
    ];
  })).toRecords()[0] as Record<string, number | null>;
  const limits = columns.map((_, i) => {
    const q1 = bounds[`${i}:q1`];
    const q3 = bounds[`${i}:q3`];
    const iqr = q1 === null || q3 === null ? null : q3 - q1;
    return {
      q1,
      q3,
      lowerFence: iqr === null ? null : q1! - k * iqr,
      upperFence: iqr === null ? null : q3! + k * iqr,
      lowPercentile: bounds[`${i}:low`],
      highPercentile: bounds[`${i}:high`],
    };
  });
  const outside = (value: pl.Expr, bound: number | null, side: "below" | "above") =>
    bound === null ? pl.lit(0) : (side === "below" ? value.lt(pl.lit(bound)) : value.gt(pl.lit(bound))).sum();
  const counted = frame.select(...columns.flatMap((name, i) => {
    const value = numberValue(name);
    const limit = limits[i];
    return [
      outside(value, limit.lowerFence, "below").alias(`${i}:belowFence`),
      outside(value, limit.upperFence, "above").alias(`${i}:aboveFence`),
      outside(value, limit.lowPercentile, "below").alias(`${i}:belowPercentile`),
      outside(value, limit.highPercentile, "above").alias(`${i}:abovePercentile`),
    ];
  })).toRecords()[0] as Record<string, number>;
  return columns.map((column, i) => ({
    column,
    count: Number(bounds[`${i}:count`]),
    ...limits[i],
    belowFence: Number(counted[`${i}:belowFence`]),
    aboveFence: Number(counted[`${i}:aboveFence`]),
    belowPercentile: Number(counted[`${i}:belowPercentile`]),
    abovePercentile: Number(counted[`${i}:abovePercentile`]),
  }));
}
