/**
 * Brier score.
 *
 * @module
 */
import { checkProbabilities, checkScored } from "./check.ts";
import { DataError } from "../data/errors.ts";

/**
 * Mean squared difference between predicted probability and outcome.
 *
 * @example
 * ```ts
 * brierScore(new Float64Array([0.8, 0.4]), new Uint8Array([1, 0])); // (0.04 + 0.16) / 2
 * ```
 */
export function brierScore(probabilities: Float64Array, labels: Uint8Array): number {
  checkScored(probabilities, labels);
  checkProbabilities(probabilities);
  if (labels.length === 0) throw new DataError("Brier score: no rows");
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i] - labels[i]) ** 2;
  return sum / labels.length;
}
