/**
 * Log loss (binary cross-entropy).
 *
 * @module
 */
import { checkProbabilities, checkScored } from "./check.ts";
import { DataError } from "../data/errors.ts";

/** float64 machine epsilon: scikit-learn's `log_loss(eps="auto")` clips at it. */
const EPS = 2.220446049250313e-16;

/**
 * Mean −[y·ln p + (1 − y)·ln(1 − p)] in nats, with p clipped to
 * [ε, 1 − ε] (ε = float64 epsilon, as scikit-learn) so that a confident
 * mistake costs ~36 rather than Infinity.
 *
 * @example
 * ```ts
 * logLoss(new Float64Array([0.8, 0.4]), new Uint8Array([1, 0])); // -(Math.log(0.8) + Math.log(0.6)) / 2
 * ```
 */
export function logLoss(probabilities: Float64Array, labels: Uint8Array): number {
  checkScored(probabilities, labels);
  checkProbabilities(probabilities);
  if (labels.length === 0) throw new DataError("log loss: no rows");
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i], EPS), 1 - EPS);
    sum -= labels[i] ? Math.log(p) : Math.log1p(-p);
  }
  return sum / labels.length;
}
