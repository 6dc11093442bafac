/**
 * Calibration table: do predicted probabilities match observed rates?
 *
 * @module
 */
import { binIndex, quantileEdges } from "../stats/bin_edges.ts";
import { checkProbabilities, checkScored } from "./check.ts";

/**
 * One bin of predicted probability.
 */
export interface CalibrationBin {
  /** Bin bounds, `lower < p <= upper` (the first bin also holds `p = lower`). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/**
 * How {@link calibrationTable} bins: `uniform` (equal width on [0, 1]) or `quantile` (equal counts).
 */
export interface CalibrationOptions {
  /** Number of bins (default 10). */
  readonly bins?: number;
  /** Default `uniform`, as `sklearn.calibration.calibration_curve`. */
  readonly strategy?: "uniform" | "quantile";
}

/**
 * Groups rows by predicted probability and compares the mean prediction with
 * the observed positive rate in each non-empty bin.
 *
 * @example
 * ```ts
 * const t = calibrationTable(new Float64Array([0.1, 0.2, 0.8, 0.9]), new Uint8Array([0, 0, 1, 1]), { bins: 2 });
 * t.map((b) => [b.count, b.meanPredicted, b.observedRate]); // [[2, 0.15, 0], [2, 0.85, 1]]
 * ```
 */
export function calibrationTable(
  probabilities: Float64Array,
  labels: Uint8Array,
  options: CalibrationOptions = {},
): CalibrationBin[] {
  checkScored(probabilities, labels);
  checkProbabilities(probabilities);
  const bins = options.bins ?? 10;
  if (!(bins >= 1) || !Number.isInteger(bins)) {
    throw new RangeError(`calibration: bins must be an integer >= 1, got ${bins}`);
  }
  const edges = options.strategy === "quantile"
    ? quantileEdges(probabilities, bins)
    : Float64Array.from({ length: bins - 1 }, (_, b) => (b + 1) / bins);
  const k = edges.length + 1;
  const count = new Float64Array(k), predicted = new Float64Array(k), observed = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const b = binIndex(edges, probabilities[i]);
    count[b]++;
    predicted[b] += probabilities[i];
    observed[b] += labels[i];
  }
  const table: CalibrationBin[] = [];
  for (let b = 0; b < k; b++) {
    if (count[b] === 0) continue;
    table.push({
      lower: b === 0 ? 0 : edges[b - 1],
      upper: b === k - 1 ? 1 : edges[b],
      count: count[b],
      meanPredicted: predicted[b] / count[b],
      observedRate: observed[b] / count[b],
    });
  }
  return table;
}
