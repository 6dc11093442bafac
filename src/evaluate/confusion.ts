/**
 * Confusion matrix and the rates read from it at one threshold.
 *
 * @module
 */
import { checkScored } from "./check.ts";

/**
 * Counts of a thresholded classifier.
 */
export interface ConfusionMatrix {
  readonly threshold: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/**
 * Precision, recall and friends at one threshold; a 0/0 rate is 0 (scikit-learn's `zero_division=0`).
 */
export interface ThresholdMetrics extends ConfusionMatrix {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly accuracy: number;
  readonly specificity: number;
}

/**
 * Counts rows by truth and decision, deciding 1 when `score >= threshold`.
 *
 * @example
 * ```ts
 * confusionMatrix(new Float64Array([0.9, 0.6, 0.2]), new Uint8Array([1, 0, 0]), 0.5);
 * // { threshold: 0.5, tp: 1, fp: 1, tn: 1, fn: 0 }
 * ```
 */
export function confusionMatrix(scores: Float64Array, labels: Uint8Array, threshold: number): ConfusionMatrix {
  checkScored(scores, labels);
  let tp = 0, fp = 0, positives = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i];
    if (scores[i] >= threshold) {
      if (labels[i]) tp++;
      else fp++;
    }
  }
  return { threshold, tp, fp, tn: labels.length - positives - fp, fn: positives - tp };
}

const ratio = (a: number, b: number): number => b === 0 ? 0 : a / b;

/**
 * Precision, recall, F1, accuracy and specificity from counts.
 *
 * @example
 * ```ts
 * thresholdMetrics({ threshold: 0.5, tp: 1, fp: 1, tn: 1, fn: 0 }).precision; // 0.5
 * ```
 */
export function thresholdMetrics(counts: ConfusionMatrix): ThresholdMetrics {
  const { tp, fp, tn, fn } = counts;
  return {
    ...counts,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
    specificity: ratio(tn, tn + fp),
  };
}
