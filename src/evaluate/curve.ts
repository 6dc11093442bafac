/**
 * The cumulative confusion counts at every distinct score, highest first:
 * the one pass that ROC AUC, KS, average precision, the ROC/KS charts and
 * threshold choice all read (as scikit-learn's `_binary_clf_curve`).
 *
 * Positives' and negatives' scores are sorted separately with the native
 * typed-array sort and merged, which is several times faster on a million
 * rows than sorting an index array with a comparator.
 *
 * @module
 */
import { checkScored } from "./check.ts";

/**
 * Cumulative counts at each distinct score, in decreasing score order.
 */
export interface ScoreCurve {
  /** Distinct scores, decreasing; "predict 1 when score >= threshold". */
  readonly thresholds: Float64Array;
  /** Positives with score >= thresholds[k]. */
  readonly tp: Float64Array;
  /** Negatives with score >= thresholds[k]. */
  readonly fp: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * Builds the curve. Tied scores share one point, which is what makes the
 * trapezoidal AUC equal the ties-averaged (Mann-Whitney) AUC.
 *
 * @example
 * ```ts
 * const c = scoreCurve(new Float64Array([0.9, 0.4, 0.4]), new Uint8Array([1, 0, 1]));
 * c.thresholds; // Float64Array [0.9, 0.4]
 * c.tp; // Float64Array [1, 2]
 * c.fp; // Float64Array [0, 1]
 * ```
 */
export function scoreCurve(scores: Float64Array, labels: Uint8Array): ScoreCurve {
  checkScored(scores, labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const negatives = labels.length - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, a = 0, b = 0; i < labels.length; i++) {
    if (labels[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const thresholds = new Float64Array(labels.length);
  const tp = new Float64Array(labels.length);
  const fp = new Float64Array(labels.length);
  let i = positives - 1, j = negatives - 1, k = 0, tpCount = 0, fpCount = 0;
  while (i >= 0 || j >= 0) {
    const t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    while (i >= 0 && pos[i] === t) i--, tpCount++;
    while (j >= 0 && neg[j] === t) j--, fpCount++;
    thresholds[k] = t;
    tp[k] = tpCount;
    fp[k++] = fpCount;
  }
  return { thresholds: thresholds.slice(0, k), tp: tp.slice(0, k), fp: fp.slice(0, k), positives, negatives };
}
