/**
 * Input checks shared by the metrics: scores and labels of equal length,
 * labels 0/1, scores finite. A NaN score would otherwise sort arbitrarily and
 * give a plausible-looking but wrong AUC.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";

/**
 * Throws unless `scores` and `labels` have one finite score and one 0/1 label per row.
 *
 * @example
 * ```ts
 * checkScored(new Float64Array([0.2, 0.9]), new Uint8Array([0, 1]));
 * ```
 */
export function checkScored(scores: Float64Array, labels: Uint8Array): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`metrics: ${scores.length} scores but ${labels.length} labels`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] - scores[i] !== 0) throw new DataError(`metrics: score of row ${i} is ${scores[i]}`);
    if (labels[i] > 1) throw new DataError(`metrics: label of row ${i} is ${labels[i]}, expected 0 or 1`);
  }
}

/**
 * Throws unless every value is a probability in [0, 1].
 *
 * @example
 * ```ts
 * checkProbabilities(new Float64Array([0, 0.5, 1]));
 * ```
 */
export function checkProbabilities(probabilities: Float64Array): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) {
      throw new DataError(`metrics: probability of row ${i} is ${p}, expected a value in [0, 1]`);
    }
  }
}
