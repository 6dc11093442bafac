/**
 * The logistic link in numerically safe forms: every model here predicts
 * log-odds and turns them into probabilities the same way.
 *
 * @module
 */

/**
 * The logistic function 1 / (1 + e^-z), without overflow for large |z|.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Log-odds ln(p / (1 - p)); ±Infinity at 1 and 0.
 *
 * @example
 * ```ts
 * logit(0.5); // 0
 * ```
 */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

/**
 * ln(1 + e^z) without overflow: the per-row log loss of a logistic model is
 * `softplus(z)` for class 0 and `softplus(-z)` for class 1.
 *
 * @example
 * ```ts
 * softplus(0); // Math.LN2
 * ```
 */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * Replaces log-odds by probabilities in place and returns the same array,
 * so `predictProba` costs no second allocation.
 *
 * @example
 * ```ts
 * sigmoidInPlace(new Float64Array([0])); // Float64Array [0.5]
 * ```
 */
export function sigmoidInPlace(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = sigmoid(values[i]);
  return values;
}
