/**
 * All headline metrics of a probability model on one labelled sample, from a
 * single sort of the scores.
 *
 * @module
 */
import { apFromCurve } from "./average_precision.ts";
import { brierScore } from "./brier.ts";
import { confusionMatrix, type ThresholdMetrics, thresholdMetrics } from "./confusion.ts";
import { scoreCurve } from "./curve.ts";
import { ksFromCurve } from "./ks.ts";
import { logLoss } from "./log_loss.ts";
import { aucFromCurve, gini } from "./roc.ts";

/**
 * The metrics of {@link binaryReport}.
 */
export interface BinaryReport {
  readonly rows: number;
  readonly positives: number;
  readonly auc: number;
  readonly gini: number;
  readonly ks: number;
  /** Score at which the KS gap is largest. */
  readonly ksThreshold: number;
  readonly logloss: number;
  readonly brier: number;
  /** Average precision (PR AUC). */
  readonly averagePrecision: number;
  /** Mean predicted probability, to compare with `positives / rows`. */
  readonly meanPredicted: number;
  /** Decisions at the threshold, when one was given. */
  readonly atThreshold?: ThresholdMetrics;
}

/**
 * Computes ROC AUC, Gini, KS, log loss, Brier, average precision and, given a
 * threshold, the confusion matrix with precision / recall / F1.
 *
 * @example
 * ```ts
 * const r = binaryReport(new Float64Array([0.1, 0.4, 0.35, 0.8]), new Uint8Array([0, 0, 1, 1]), 0.5);
 * [r.auc, r.ks, r.atThreshold?.tp]; // [0.75, 0.5, 1]
 * ```
 */
export function binaryReport(probabilities: Float64Array, labels: Uint8Array, threshold?: number): BinaryReport {
  const curve = scoreCurve(probabilities, labels);
  const auc = aucFromCurve(curve);
  const ks = ksFromCurve(curve);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += probabilities[i];
  return {
    rows: labels.length,
    positives: curve.positives,
    auc,
    gini: gini(auc),
    ks: ks.ks,
    ksThreshold: ks.threshold,
    logloss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    averagePrecision: apFromCurve(curve),
    meanPredicted: sum / labels.length,
    ...(threshold === undefined
      ? {}
      : { atThreshold: thresholdMetrics(confusionMatrix(probabilities, labels, threshold)) }),
  };
}
