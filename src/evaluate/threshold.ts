/**
 * Chooses the decision threshold on training scores, by maximum F1 or as the
 * lowest threshold reaching a target precision (most recall at that precision).
 *
 * @module
 */
import { scoreCurve } from "./curve.ts";
import { DataError } from "../data/errors.ts";

/**
 * How to choose: `{ by: "f1" }` or `{ by: "precision", target: 0.8 }`.
 */
export type ThresholdRule = { readonly by: "f1" } | { readonly by: "precision"; readonly target: number };

/**
 * The chosen threshold and what it achieves on the rows it was chosen on.
 */
export interface ThresholdChoice {
  /** Decide 1 when `score >= threshold`. */
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** False when no threshold reaches the target precision; the most precise one is returned then. */
  readonly met: boolean;
}

/**
 * Scans every distinct score as a candidate threshold.
 *
 * @example
 * ```ts
 * const s = new Float64Array([0.1, 0.4, 0.35, 0.8]), y = new Uint8Array([0, 0, 1, 1]);
 * chooseThreshold(s, y, { by: "f1" }).threshold; // 0.35 (F1 = 0.8)
 * chooseThreshold(s, y, { by: "precision", target: 1 }).threshold; // 0.8
 * ```
 */
export function chooseThreshold(scores: Float64Array, labels: Uint8Array, rule: ThresholdRule): ThresholdChoice {
  if (rule.by === "precision" && !(rule.target > 0 && rule.target <= 1)) {
    throw new RangeError(`threshold: target precision must be in (0, 1], got ${rule.target}`);
  }
  const curve = scoreCurve(scores, labels);
  if (curve.positives === 0) throw new DataError("threshold: no positive rows to choose a threshold on");
  let best = -1, bestValue = -Infinity, met = false;
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.tp[k], fp = curve.fp[k];
    const precision = tp / (tp + fp);
    if (rule.by === "f1") {
      const f1 = 2 * tp / (tp + fp + curve.positives);
      if (f1 > bestValue) [best, bestValue] = [k, f1];
    } else if (precision >= rule.target) {
      // Lower thresholds only add recall, so the last one that meets the target wins.
      [best, met] = [k, true];
    } else if (!met && precision > bestValue) {
      [best, bestValue] = [k, precision];
    }
  }
  const tp = curve.tp[best], fp = curve.fp[best];
  return {
    threshold: curve.thresholds[best],
    precision: tp / (tp + fp),
    recall: tp / curve.positives,
    f1: 2 * tp / (tp + fp + curve.positives),
    met: rule.by === "f1" || met,
  };
}
