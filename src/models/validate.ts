/**
 * Input checks shared by every model, so that bad data fails early with a
 * message naming the field, row and value instead of producing NaN
 * coefficients or a silently wrong tree.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";
import { DataError } from "../data/errors.ts";

/**
 * Checks that a design matrix is internally consistent and, unless
 * `allowMissing`, that every cell is finite (models without a missing-value
 * rule need imputation upstream).
 *
 * @example
 * ```ts
 * checkDesign({ rows: 1, cols: 1, names: ["x"], data: new Float64Array([NaN]) }, { allowMissing: true });
 * ```
 */
export function checkDesign(X: DesignMatrix, options: { allowMissing?: boolean } = {}): void {
  if (X.names.length !== X.cols) {
    throw new RangeError(`design matrix: ${X.cols} columns but ${X.names.length} names`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new RangeError(`design matrix: data holds ${X.data.length} values, expected rows*cols = ${X.rows * X.cols}`);
  }
  const data = X.data;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v - v !== 0 && !(options.allowMissing && v !== v)) {
      const row = Math.floor(k / X.cols);
      throw new DataError(
        `design matrix: column "${X.names[k % X.cols]}" row ${row} is ${v}` +
          (v !== v ? " (missing; impute before fitting this model)" : ""),
      );
    }
  }
}

/**
 * Checks sample weights: one per row, finite, non-negative, not all zero.
 *
 * @example
 * ```ts
 * checkWeights(new Float64Array([1, 2.5]), 2);
 * ```
 */
export function checkWeights(weights: Float64Array, rows: number): void {
  if (weights.length !== rows) throw new RangeError(`weights: ${weights.length} weights for ${rows} rows`);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (!(w >= 0) || w === Infinity) throw new DataError(`weights: row ${i} is ${w}, expected a finite value >= 0`);
    total += w;
  }
  if (total === 0) throw new DataError("weights: all weights are 0");
}

/**
 * Checks that a matrix to score has the columns a model was fitted on, in order.
 *
 * @example
 * ```ts
 * checkColumns(["a", "b"], { rows: 0, cols: 2, names: ["a", "b"], data: new Float64Array(0) });
 * ```
 */
export function checkColumns(expected: readonly string[], X: DesignMatrix): void {
  if (X.cols !== expected.length) {
    throw new DataError(`design matrix has ${X.cols} columns, the model expects ${expected.length}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new RangeError(`design matrix: data holds ${X.data.length} values, expected rows*cols = ${X.rows * X.cols}`);
  }
  if (X.names === expected) return;
  for (let j = 0; j < expected.length; j++) {
    if (X.names[j] !== expected[j]) {
      throw new DataError(`design matrix column ${j} is "${X.names[j]}", the model expects "${expected[j]}"`);
    }
  }
}
