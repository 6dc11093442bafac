/**
 * Maximum-likelihood logistic regression with an L2 penalty, fitted to
 * convergence by Newton's method (IRLS) with step halving.
 *
 * It minimises scikit-learn's objective
 * `0.5·‖w‖² + C·Σ_i s_i·logloss_i` (sum over rows, sample weights `s_i`,
 * unpenalised intercept), so on the same standardised design matrix it
 * reproduces `sklearn.linear_model.LogisticRegression` coefficients.
 *
 * The Hessian `C·X̃ᵀ diag(s·p(1−p)) X̃ + diag(0, 1, …, 1)` is accumulated row
 * by row over the non-zero cells only: one-hot columns are mostly zero, so on
 * online shoppers (75 columns, ~18 non-zero per row) this is ~17× fewer
 * multiply-adds than the dense `X̃ᵀWX̃` product. Measured on that data, one
 * Hessian took 6.6 ms this way against 197 ms with ml-matrix (weighting a
 * `Matrix` copy, `transpose().mmul()`, `CholeskyDecomposition`), which is why
 * the fit is on typed arrays with a hand-written Cholesky solve.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";
import type { Classifier, FitOptions } from "./classifier.ts";
import { choleskySolve } from "./cholesky.ts";
import { LinearModel } from "./linear.ts";
import { logit, sigmoid, softplus } from "./link.ts";
import { checkDesign, checkWeights } from "./validate.ts";
import { checkLabels } from "../prep/labels.ts";
import { ModelError } from "./errors.ts";

/**
 * Hyper-parameters of {@link fitLogistic}.
 */
export interface LogisticParams {
  /** Inverse penalty strength, as scikit-learn's `C` (default 1); `Infinity` for no penalty. */
  readonly C?: number;
  /** Stop when no parameter moves by more than `tol · max(1, max|β|)` (default 1e-8). */
  readonly tol?: number;
  /** Newton iterations at most (default 100). */
  readonly maxIter?: number;
}

/**
 * How a {@link fitLogistic} run went, stored in the model's `fit` field.
 */
export interface LogisticFitInfo {
  readonly C: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The penalised objective at the solution. */
  readonly objective: number;
}

/** Largest number of step halvings before a Newton direction is given up. */
const MAX_HALVINGS = 40;

/**
 * Fits the model. Rows must be finite (impute first); labels 0/1.
 *
 * @example
 * ```ts
 * const X = { rows: 4, cols: 1, names: ["x"], data: new Float64Array([-2, -1, 1, 2]) };
 * const model = fitLogistic(X, new Uint8Array([0, 1, 0, 1]));
 * model.fit.converged; // true
 * ```
 */
export function fitLogistic(
  X: DesignMatrix,
  y: Uint8Array,
  params: LogisticParams = {},
  options: FitOptions = {},
): LinearModel<LogisticFitInfo> {
  const C = params.C ?? 1;
  const tol = params.tol ?? 1e-8;
  const maxIter = params.maxIter ?? 100;
  if (!(C > 0)) throw new RangeError(`logistic regression: C must be > 0, got ${C}`);
  checkDesign(X);
  checkLabels(y, X.rows, { bothClasses: true });
  if (options.weights) checkWeights(options.weights, X.rows);
  const { rows, cols, data } = X;
  const weights = options.weights ?? new Float64Array(rows).fill(1);
  const penalty = C === Infinity ? 0 : 1 / C;
  const p1 = cols + 1;

  // The objective is divided by C: 0.5·‖w‖²/C + Σ s_i·logloss_i has the same minimiser and stays finite for C = ∞.
  const beta = new Float64Array(p1);
  let wsum = 0, wpos = 0;
  for (let i = 0; i < rows; i++) {
    wsum += weights[i];
    wpos += weights[i] * y[i];
  }
  beta[0] = logit(wpos / wsum);
  const margin = new Float64Array(rows).fill(beta[0]);
  const objective = (m: Float64Array, b: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < rows; i++) f += weights[i] * softplus(y[i] ? -m[i] : m[i]);
    let ss = 0;
    for (let j = 1; j < p1; j++) ss += b[j] * b[j];
    return f + 0.5 * penalty * ss;
  };

  const gradient = new Float64Array(p1);
  const hessian = new Float64Array(p1 * p1);
  const nonzero = new Int32Array(p1);
  const value = new Float64Array(p1);
  const direction = new Float64Array(rows);
  const trialMargin = new Float64Array(rows);
  const trialBeta = new Float64Array(p1);
  let f = objective(margin, beta);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter && !converged) {
    iterations++;
    gradient.fill(0);
    hessian.fill(0);
    for (let i = 0, base = 0; i < rows; i++, base += cols) {
      const p = sigmoid(margin[i]);
      const r = weights[i] * (p - y[i]);
      const h = weights[i] * p * (1 - p);
      let nnz = 1;
      nonzero[0] = 0;
      value[0] = 1;
      for (let j = 0; j < cols; j++) {
        const x = data[base + j];
        if (x !== 0) {
          nonzero[nnz] = j + 1;
          value[nnz++] = x;
        }
      }
      for (let a = 0; a < nnz; a++) {
        const ja = nonzero[a];
        const hx = h * value[a];
        gradient[ja] += r * value[a];
        const rowStart = ja * p1;
        for (let b = a; b < nnz; b++) hessian[rowStart + nonzero[b]] += hx * value[b];
      }
    }
    for (let j = 1; j < p1; j++) {
      gradient[j] += penalty * beta[j];
      hessian[j * p1 + j] += penalty;
    }
    // Only the upper triangle was accumulated; the solver reads the lower one.
    for (let a = 0; a < p1; a++) {
      for (let b = a + 1; b < p1; b++) hessian[b * p1 + a] = hessian[a * p1 + b];
    }
    const step = newtonStep(hessian, gradient, p1);
    let slope = 0;
    for (let j = 0; j < p1; j++) slope += step[j] * gradient[j];
    for (let i = 0, base = 0; i < rows; i++, base += cols) {
      let d = step[0];
      for (let j = 0; j < cols; j++) d += data[base + j] * step[j + 1];
      direction[i] = d;
    }
    let t = 1;
    let accepted = false;
    for (let halving = 0; halving <= MAX_HALVINGS; halving++, t /= 2) {
      for (let j = 0; j < p1; j++) trialBeta[j] = beta[j] + t * step[j];
      for (let i = 0; i < rows; i++) trialMargin[i] = margin[i] + t * direction[i];
      const trial = objective(trialMargin, trialBeta);
      // Armijo condition; the absolute slack absorbs rounding once the objective is flat.
      if (trial <= f + 1e-4 * t * slope + 1e-12 * Math.abs(f)) {
        f = trial;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    let moved = 0, size = 1;
    for (let j = 0; j < p1; j++) {
      moved = Math.max(moved, Math.abs(t * step[j]));
      size = Math.max(size, Math.abs(trialBeta[j]));
    }
    beta.set(trialBeta);
    margin.set(trialMargin);
    converged = moved <= tol * size;
  }
  const info: LogisticFitInfo = { C, iterations, converged, objective: C === Infinity ? f : f * C };
  return new LinearModel("logistic", [...X.names], beta[0], beta.slice(1), info);
}

/**
 * The Newton direction `-H⁻¹g`. A Hessian that is not numerically positive
 * definite (no penalty and collinear columns, e.g. a full one-hot set beside
 * the intercept) gets a growing ridge until it is.
 */
function newtonStep(hessian: Float64Array, gradient: Float64Array, n: number): Float64Array {
  const negative = gradient.map((g) => -g);
  let scale = 0;
  for (let j = 0; j < n; j++) scale = Math.max(scale, hessian[j * n + j]);
  for (let ridge = 0; ridge <= 1; ridge = ridge === 0 ? 1e-12 : ridge * 100) {
    const H = ridge === 0 ? hessian : hessian.map((v, k) => k % (n + 1) === 0 ? v + ridge * scale : v);
    const step = choleskySolve(H, negative, n);
    if (step) return step;
  }
  throw new ModelError("logistic regression: the Hessian is not positive definite (constant or non-finite data?)");
}

/**
 * The logistic regression as a selection candidate.
 *
 * @example
 * ```ts
 * const candidate = logisticRegression({ C: 1 });
 * candidate.name; // "logistic"
 * ```
 */
export function logisticRegression(params: LogisticParams = {}): Classifier<LinearModel<LogisticFitInfo>> {
  return {
    name: "logistic",
    fit: (X, y, options) => fitLogistic(X, y, params, options),
  };
}
