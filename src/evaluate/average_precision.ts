/**
 * Average precision (area under the precision-recall curve as a step sum).
 *
 * @module
 */
import { type ScoreCurve, scoreCurve } from "./curve.ts";
import { DataError } from "../data/errors.ts";

/**
 * Average precision of a {@link ScoreCurve}: Σ_k (R_k − R_{k−1})·P_k.
 *
 * @example
 * ```ts
 * import { scoreCurve } from "./curve.ts";
 * apFromCurve(scoreCurve(new Float64Array([0.9, 0.1]), new Uint8Array([1, 0]))); // 1
 * ```
 */
export function apFromCurve(curve: ScoreCurve): number {
  if (curve.positives === 0) throw new DataError("average precision: no positive rows");
  let ap = 0, tpPrev = 0;
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.tp[k];
    ap += (tp - tpPrev) / curve.positives * (tp / (tp + curve.fp[k]));
    tpPrev = tp;
  }
  return ap;
}

/**
 * Average precision (PR AUC) over distinct scores, as
 * `sklearn.metrics.average_precision_score` (no interpolation).
 *
 * @example
 * ```ts
 * averagePrecision(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1])); // (1 + 2/3) / 2
 * ```
 */
export function averagePrecision(scores: Float64Array, labels: Uint8Array): number {
  return apFromCurve(scoreCurve(scores, labels));
}
