/**
 * Solves a symmetric positive-definite system by Cholesky factorisation on a
 * flat `Float64Array`. Hand-written rather than ml-matrix's
 * `CholeskyDecomposition` because the logistic regression's Newton step
 * solves a small (p+1)² system whose cost is dwarfed by building it, and
 * skipping ml-matrix's `Matrix` wrappers keeps the whole fit on typed arrays
 * (measured in `logistic.ts`).
 *
 * @module
 */

/**
 * Solves `A x = b` for symmetric positive-definite `A` (row-major `n × n`,
 * only the lower triangle is read). Returns `undefined` when `A` is not
 * numerically positive definite. `A` and `b` are left unchanged.
 *
 * @example
 * ```ts
 * choleskySolve(new Float64Array([4, 2, 2, 3]), new Float64Array([2, 1]), 2); // Float64Array [0.5, 0]
 * ```
 */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return undefined;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let sum = x[i];
    for (let k = 0; k < i; k++) sum -= L[i * n + k] * x[k];
    x[i] = sum / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * x[k];
    x[i] = sum / L[i * n + i];
  }
  return x;
}
