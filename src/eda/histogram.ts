/**
 * Histogram counts of a numeric column (the chart gets a few dozen bars,
 * never the raw values: a million-row column costs the same to draw as a
 * hundred-row one). The range comes from one polars `select`; the values are
 * then counted over a typed array by binary search, since a polars bin
 * expression (one comparison per cut, ~60 expression objects per column)
 * cost more to build than counting takes at the sizes a training run has.
 *
 * @module
 */
import pl from "nodejs-polars";
import { equalWidthCuts } from "./bins.ts";
import { isIntegerColumn, numberValue } from "./columns.ts";

/** One bar: the interval `[x0, x1)` (the last one closed) and how many values fall in it. */
export interface HistogramBin {
  readonly x0: number;
  readonly x1: number;
  readonly count: number;
}

/** The histogram of one column. */
export interface Histogram {
  readonly column: string;
  readonly bins: readonly HistogramBin[];
  readonly missing: number;
  /** Known values left of the first bin and right of the last (when the range was trimmed to the percentiles). */
  readonly below: number;
  readonly above: number;
  /** One bar per integer value, centred on it (`x0 = value - 0.5`). */
  readonly discrete: boolean;
}

/**
 * A range this many times wider than the 1st-99th percentile range is
 * trimmed to the percentiles: a few extreme values would otherwise squeeze
 * every other value into a single bar.
 */
const TRIM_RATIO = 5;

/**
 * Equal-width bins between the column's minimum and maximum, or between its
 * 1st and 99th percentiles when a long tail makes the full range more than
 * five times wider (values outside are counted in `below` / `above`). An
 * integer column spanning at most `bins` values gets one bar per value.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * const h = histogram(pl.DataFrame({ x: [0, 1, 2, 3, 10] }), "x", 2);
 * h.bins.map((bin) => bin.count); // [4, 1]
 * ```
 */
export function histogram(frame: pl.DataFrame, column: string, bins = 30): Histogram {
  const value = numberValue(column);
  const [min, max, low, high, missing] = frame.select(
    value.min().alias("min"),
    value.max().alias("max"),
    value.quantile(0.01, "linear").alias("low"),
    value.quantile(0.99, "linear").alias("high"),
    value.nullCount().alias("missing"),
  ).row(0) as [number | null, number | null, number | null, number | null, number];
  if (min === null || max === null || low === null || high === null) {
    return { column, bins: [], missing: Number(missing), below: 0, above: 0, discrete: false };
  }
  const perValue = isIntegerColumn(frame, column) && max - min + 1 <= bins;
  const trim = !perValue && high > low && max - min > TRIM_RATIO * (high - low);
  const [from, to] = trim ? [low, high] : [min, max];
  const edges = perValue
    ? Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i)
    : [from, ...equalWidthCuts(from, to, bins), to > from ? to : from + 1];
  // Bins are [x0, x1): a value on an inner edge belongs to the bin on its right, the range's end to the last bin.
  const known = frame.select(value.fillNull(Number.NaN)).getColumn(column).toTypedArray() as Float64Array;
  const inner = edges.slice(1, -1);
  const [first, last] = [edges[0], edges[edges.length - 1]];
  const counts = new Float64Array(edges.length - 1);
  let below = 0;
  let above = 0;
  for (const v of known) {
    if (v !== v) continue;
    if (v < first) below++;
    else if (v > last) above++;
    else counts[cutsAtOrBelow(inner, v)]++;
  }
  return {
    column,
    bins: edges.slice(0, -1).map((x0, i) => ({ x0, x1: edges[i + 1], count: counts[i] })),
    missing: Number(missing),
    below,
    above,
    discrete: perValue,
  };
}

/** How many of the ascending `cuts` are at or below `value` (the index of its left-closed bin). */
function cutsAtOrBelow(cuts: readonly number[], value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
