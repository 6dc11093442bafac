/**
 * Row subsets of design matrices and their per-row arrays, for splits,
 * cross-validation folds and early-stopping hold-outs.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";

/**
 * The rows `indices` of `X`, in that order, as a new matrix.
 *
 * @example
 * ```ts
 * const X = { rows: 3, cols: 1, names: ["x"], data: new Float64Array([10, 20, 30]) };
 * takeRows(X, new Uint32Array([2, 0])).data; // Float64Array [30, 10]
 * ```
 */
export function takeRows(X: DesignMatrix, indices: ArrayLike<number>): DesignMatrix {
  const { cols } = X;
  const data = new Float64Array(indices.length * cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!(i >= 0 && i < X.rows)) throw new Error(`row index ${i} is outside 0..${X.rows - 1}`);
    data.set(X.data.subarray(i * cols, (i + 1) * cols), k * cols);
  }
  return { rows: indices.length, cols, names: X.names, data };
}

/**
 * The entries `indices` of a typed array (labels, weights, scores), in that order.
 *
 * @example
 * ```ts
 * takeValues(new Uint8Array([0, 1, 1]), new Uint32Array([1, 0])); // Uint8Array [1, 0]
 * ```
 */
export function takeValues<T extends Uint8Array | Float64Array>(values: T, indices: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]];
  return out;
}
