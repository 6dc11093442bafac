/**
 * Kolmogorov-Smirnov statistic of a score: the largest gap between the
 * score distributions of positives and negatives.
 *
 * @module
 */
import { type ScoreCurve, scoreCurve } from "./curve.ts";
import { DataError } from "../data/errors.ts";

/**
 * Where the KS gap is largest.
 */
export interface KsResult {
  /** max over thresholds of TPR − FPR. */
  readonly ks: number;
  /** The score at which it is reached ("positive when score >= threshold"). */
  readonly threshold: number;
}

/**
 * KS of a {@link ScoreCurve}.
 *
 * @example
 * ```ts
 * import { scoreCurve } from "./curve.ts";
 * ksFromCurve(scoreCurve(new Float64Array([0.2, 0.7]), new Uint8Array([0, 1]))); // { ks: 1, threshold: 0.7 }
 * ```
 */
export function ksFromCurve(curve: ScoreCurve): KsResult {
  if (curve.positives === 0 || curve.negatives === 0) {
    throw new DataError(`KS: needs both classes, got ${curve.positives} positives and ${curve.negatives} negatives`);
  }
  let ks = 0, threshold = Infinity;
  for (let k = 0; k < curve.thresholds.length; k++) {
    const gap = curve.tp[k] / curve.positives - curve.fp[k] / curve.negatives;
    if (gap > ks) {
      ks = gap;
      threshold = curve.thresholds[k];
    }
  }
  return { ks, threshold };
}

/**
 * KS = max over thresholds of (TPR − FPR), from the ROC curve at every
 * distinct score; equal to the two-sample KS statistic between the scores of
 * positives and negatives.
 *
 * @example
 * ```ts
 * ksStatistic(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1])).ks; // 0.5
 * ```
 */
export function ksStatistic(scores: Float64Array, labels: Uint8Array): KsResult {
  return ksFromCurve(scoreCurve(scores, labels));
}
