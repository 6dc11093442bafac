/**
 * Cutting a numeric column into bins with polars expressions: quantile cut
 * points (equal-count bins, as pandas' `qcut`) or equal-width ones, and the
 * right-closed bin index of each value.
 *
 * @module
 */
import pl from "nodejs-polars";
import { numberValue } from "./columns.ts";

/**
 * The distinct inner cut points at the quantiles 1/bins, 2/bins, ... of a
 * column's known values (linear interpolation); ties collapse bins, as
 * `qcut(..., duplicates="drop")` does.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * quantileCuts(pl.DataFrame({ x: [1, 2, 3, 4, 5] }), "x", 4); // [2, 3, 4]
 * ```
 */
export function quantileCuts(frame: pl.DataFrame, name: string, bins: number): number[] {
  const levels = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
  if (levels.length === 0) return [];
  const value = numberValue(name);
  const row = frame.select(...levels.map((q, i) => value.quantile(q, "linear").alias(`q${i}`))).row(0);
  return [...new Set((row as (number | null)[]).filter((cut): cut is number => cut !== null))].sort((a, b) => a - b);
}

/**
 * `bins - 1` equally spaced inner cut points between `min` and `max`.
 *
 * @example
 * ```ts
 * equalWidthCuts(0, 10, 5); // [2, 4, 6, 8]
 * ```
 */
export function equalWidthCuts(min: number, max: number, bins: number): number[] {
  if (!(max > min)) return [];
  return Array.from({ length: bins - 1 }, (_, i) => min + ((i + 1) * (max - min)) / bins);
}

/**
 * The bin of each value: how many cut points lie below it, so with
 * `closed = "right"` bin `i` is `(cuts[i-1], cuts[i]]` (pandas' `cut`/`qcut`)
 * and with `"left"` it is `[cuts[i-1], cuts[i])` (histograms); the first bin
 * is unbounded below, the last above. Missing values stay missing.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * pl.DataFrame({ x: [1, 2, 3] }).select(binIndex(pl.col("x"), [2]).alias("bin")).getColumn("bin").toArray(); // [0, 0, 1]
 * ```
 */
export function binIndex(value: pl.Expr, cuts: readonly number[], closed: "right" | "left" = "right"): pl.Expr {
  const above = (cut: number) => (closed === "right" ? value.gt(pl.lit(cut)) : value.gtEq(pl.lit(cut)));
  const index = cuts.length === 0
    ? pl.lit(0).cast(pl.Int32)
    : pl.sumHorizontal(cuts.map((cut) => above(cut).cast(pl.Int32)));
  return pl.when(value.isNull()).then(pl.lit(null).cast(pl.Int32)).otherwise(index);
}
