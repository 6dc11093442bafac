/**
 * ROC curve, ROC AUC and Gini.
 *
 * @module
 */
import { type ScoreCurve, scoreCurve } from "./curve.ts";
import { DataError } from "../data/errors.ts";

/**
 * ROC points from (0, 0) to (1, 1); `thresholds[0]` is `Infinity` (predict nothing positive).
 */
export interface RocCurve {
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
}

function requireBothClasses(curve: ScoreCurve, metric: string): void {
  if (curve.positives === 0 || curve.negatives === 0) {
    throw new DataError(
      `${metric}: needs both classes, got ${curve.positives} positives and ${curve.negatives} negatives`,
    );
  }
}

/**
 * The ROC curve at every distinct score (scikit-learn's
 * `roc_curve(drop_intermediate=False)`).
 *
 * @example
 * ```ts
 * const roc = rocCurve(new Float64Array([0.1, 0.8]), new Uint8Array([0, 1]));
 * roc.tpr; // Float64Array [0, 1, 1]
 * ```
 */
export function rocCurve(scores: Float64Array, labels: Uint8Array): RocCurve {
  return rocFromCurve(scoreCurve(scores, labels));
}

/**
 * The ROC curve of an already built {@link ScoreCurve}.
 */
function rocFromCurve(curve: ScoreCurve): RocCurve {
  requireBothClasses(curve, "ROC curve");
  const n = curve.thresholds.length + 1;
  const fpr = new Float64Array(n);
  const tpr = new Float64Array(n);
  const thresholds = new Float64Array(n);
  thresholds[0] = Infinity;
  for (let k = 1; k < n; k++) {
    fpr[k] = curve.fp[k - 1] / curve.negatives;
    tpr[k] = curve.tp[k - 1] / curve.positives;
    thresholds[k] = curve.thresholds[k - 1];
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve of a {@link ScoreCurve} (trapezoids; ties count one half).
 *
 * @example
 * ```ts
 * import { scoreCurve } from "./curve.ts";
 * aucFromCurve(scoreCurve(new Float64Array([0.5, 0.5]), new Uint8Array([0, 1]))); // 0.5
 * ```
 */
export function aucFromCurve(curve: ScoreCurve): number {
  requireBothClasses(curve, "ROC AUC");
  let area = 0, tpPrev = 0, fpPrev = 0;
  for (let k = 0; k < curve.thresholds.length; k++) {
    area += (curve.fp[k] - fpPrev) * (curve.tp[k] + tpPrev);
    tpPrev = curve.tp[k];
    fpPrev = curve.fp[k];
  }
  return area / (2 * curve.positives * curve.negatives);
}

/**
 * ROC AUC: the probability that a random positive scores above a random
 * negative, ties counting one half (as `sklearn.metrics.roc_auc_score`).
 *
 * @example
 * ```ts
 * rocAuc(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1])); // 0.75
 * ```
 */
export function rocAuc(scores: Float64Array, labels: Uint8Array): number {
  return aucFromCurve(scoreCurve(scores, labels));
}

/**
 * Gini coefficient (accuracy ratio) = 2·AUC − 1, as scorecard reports quote it.
 *
 * @example
 * ```ts
 * gini(0.75); // 0.5
 * ```
 */
export function gini(auc: number): number {
  return 2 * auc - 1;
}
