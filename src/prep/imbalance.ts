/**
 * Imbalance processing for the training split only: "balanced" class weights
 * (sklearn's `n / (2 · n_class)`) and seeded random over- or under-sampling.
 *
 * SMOTE is deliberately not offered: on one-hot and WoE columns its
 * interpolated rows are not valid inputs (fractional dummies, WoE values
 * between bins), its k-NN search is quadratic at this project's 100k rows,
 * and for the log-loss-trained models here class weights give the same
 * re-balancing without inventing data. Both weights and resampling shift the
 * predicted probabilities away from the base rate; the model layer corrects
 * them (the base and sampled positive rates are in the preparation report).
 *
 * @module
 */
import { DataError } from "../data/errors.ts";
import { createRandom } from "../stats/random.ts";

/** Weight of each class. */
export interface ClassWeights {
  readonly negative: number;
  readonly positive: number;
}

/**
 * "Balanced" class weights, `n / (2 · n_class)`: each class then carries half
 * the total weight.
 *
 * @example
 * ```ts
 * balancedClassWeights(new Uint8Array([0, 0, 0, 1])); // { negative: 4 / 6, positive: 2 }
 * ```
 */
export function balancedClassWeights(y: Uint8Array): ClassWeights {
  return classWeightsFromCounts(y.length, countPositives(y));
}

/**
 * {@link balancedClassWeights} from the row and positive counts.
 *
 * @example
 * ```ts
 * classWeightsFromCounts(4, 1); // { negative: 4 / 6, positive: 2 }
 * ```
 */
export function classWeightsFromCounts(rows: number, positives: number): ClassWeights {
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) {
    throw new DataError("class weights need both classes in the training labels");
  }
  return { negative: rows / (2 * negatives), positive: rows / (2 * positives) };
}

/**
 * One weight per row from class weights.
 *
 * @example
 * ```ts
 * sampleWeights(new Uint8Array([0, 1]), { negative: 0.5, positive: 3 }); // Float64Array [0.5, 3]
 * ```
 */
export function sampleWeights(y: Uint8Array, weights: ClassWeights): Float64Array {
  return Float64Array.from(y, (label) => (label === 1 ? weights.positive : weights.negative));
}

/** Options of {@link resampleIndices}. */
export interface ResampleOptions {
  /** `"over"`: draw minority rows with replacement; `"under"`: keep a random subset of majority rows. */
  readonly method: "over" | "under";
  readonly seed: number;
  /** Minority / majority count after resampling (default 1: equal classes). */
  readonly ratio?: number;
}

/**
 * Row indices of a resampled training set, sorted (oversampled duplicates sit
 * next to their original). Reproducible by seed.
 *
 * @example
 * ```ts
 * resampleIndices(new Uint8Array([0, 0, 0, 1]), { method: "over", seed: 1 }); // Uint32Array [0, 1, 2, 3, 3, 3]
 * ```
 */
export function resampleIndices(y: Uint8Array, options: ResampleOptions): Uint32Array {
  const ratio = options.ratio ?? 1;
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`the resampling ratio must be in (0, 1], got ${ratio}`);
  const positives = countPositives(y);
  const minorityLabel = positives * 2 <= y.length ? 1 : 0;
  const minority: number[] = [];
  const majority: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === minorityLabel ? minority : majority).push(i);
  if (minority.length === 0) throw new DataError("resampling needs both classes in the training labels");
  const random = createRandom(options.seed);
  let chosen: number[];
  if (options.method === "over") {
    const extra = Math.max(0, Math.ceil(ratio * majority.length) - minority.length);
    chosen = [...minority, ...majority];
    for (let k = 0; k < extra; k++) chosen.push(minority[random.int(minority.length)]);
  } else {
    const keep = Math.min(majority.length, Math.floor(minority.length / ratio));
    chosen = [...minority, ...random.shuffle(majority).slice(0, keep)];
  }
  return Uint32Array.from(chosen).sort();
}

/**
 * The number of 1 labels.
 *
 * @example
 * ```ts
 * countPositives(new Uint8Array([0, 1, 1])); // 2
 * ```
 */
export function countPositives(y: Uint8Array): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  return positives;
}
