/**
 * `npm:ml-logistic-regression` (mljs) as a selection candidate, used for what
 * it is: plain batch gradient ascent on the log-likelihood for a fixed
 * number of steps. Its limits, and what this wrapper does about them:
 *
 * - no intercept: a bias column of ones is prepended here;
 * - a fixed step count and a fixed learning rate on the *summed* gradient, so
 *   the right rate depends on the row count: `stepSize` is per mean gradient
 *   and divided by the row count here;
 * - no regularisation and no sample weights: `weights` are rejected rather
 *   than silently ignored; with a full one-hot set beside the bias the model
 *   is not identified, so coefficients drift with more steps (predictions do not);
 * - no probability API: its `predict` returns classes, and probabilities of
 *   class 1 are the sigmoid of the fitted weights' scores, which we compute
 *   ourselves from the weights (same arithmetic, no `Matrix` per request).
 *
 * Its public `train` fits one-vs-all, i.e. a second mirror-image classifier
 * at double the cost, so we run its two-class trainer (reached through the
 * library's own `load`) once. Each step builds dense `Matrix` products and a
 * transpose of the whole design matrix: measured ~25 ms per step on online
 * shoppers (9,247 × 76), hence the small default step count.
 *
 * @module
 */
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import type { DesignMatrix } from "../data/table.ts";
import type { Classifier, FitOptions } from "./classifier.ts";
import { LinearModel } from "./linear.ts";
import { takeRows, takeValues } from "../data/table.ts";
import { stratifiedSplit } from "./split.ts";
import { checkDesign } from "./validate.ts";
import { checkLabels } from "../prep/labels.ts";

/**
 * How an {@link fitMlLogistic} model was fitted, stored in its `fit` field.
 */
export interface MlLogisticFitInfo {
  readonly numSteps: number;
  readonly stepSize: number;
  /** Rows the library was trained on (a stratified sample when the data had more than `maxRows`). */
  readonly rows: number;
}

/**
 * Hyper-parameters of {@link fitMlLogistic}.
 */
export interface MlLogisticParams {
  /** Gradient steps (default 100). */
  readonly numSteps?: number;
  /** Step on the mean gradient (default 1); the library gets `stepSize / rows`. */
  readonly stepSize?: number;
  /**
   * Train on a seeded stratified sample of at most this many rows (default:
   * all). Every library step transposes and multiplies the whole matrix, so
   * its cost grows with rows × steps at a high constant; a few thousand rows
   * already pin down a linear model's few coefficients.
   */
  readonly maxRows?: number;
  /** Seed of the sample (default 0). */
  readonly seed?: number;
}

/** The part of the library's two-class trainer this wrapper uses. */
interface TwoClassTrainer {
  train(features: Matrix, target: Matrix): void;
  weights: Matrix;
}

/**
 * Fits the library's logistic regression with a bias column.
 *
 * @example
 * ```ts
 * const X = { rows: 4, cols: 1, names: ["x"], data: new Float64Array([-2, -1, 1, 2]) };
 * const model = fitMlLogistic(X, new Uint8Array([0, 0, 1, 1]), { numSteps: 50 });
 * model.predictProba(X)[3] > 0.5; // true
 * ```
 */
export function fitMlLogistic(
  X: DesignMatrix,
  y: Uint8Array,
  params: MlLogisticParams = {},
  options: FitOptions = {},
): LinearModel<MlLogisticFitInfo> {
  const numSteps = params.numSteps ?? 100;
  const stepSize = params.stepSize ?? 1;
  if (!(Number.isInteger(numSteps) && numSteps >= 1)) {
    throw new RangeError(`ml-logistic-regression: numSteps must be an integer >= 1, got ${numSteps}`);
  }
  if (!(stepSize > 0)) throw new RangeError(`ml-logistic-regression: stepSize must be > 0, got ${stepSize}`);
  if (options.weights) {
    throw new RangeError("ml-logistic-regression: the library has no sample weights; use the logistic candidate");
  }
  checkDesign(X);
  checkLabels(y, X.rows, { bothClasses: true });
  const maxRows = params.maxRows ?? Infinity;
  if (X.rows > maxRows) {
    const { train } = stratifiedSplit(y, { testSize: 1 - maxRows / X.rows, seed: params.seed ?? 0 });
    return fitMlLogistic(takeRows(X, train), takeValues(y, train), { ...params, maxRows: Infinity }, options);
  }
  const features = new Matrix(Array.from({ length: X.rows }, (_, i) => {
    const row = new Float64Array(X.cols + 1);
    row[0] = 1;
    row.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), 1);
    return row;
  }));
  const learningRate = stepSize / X.rows;
  const library = LogisticRegression.load({
    name: "LogisticRegression",
    numSteps,
    learningRate,
    numberClasses: 1,
    classifiers: [{ numSteps, learningRate }],
  });
  const trainer = library.classifiers[0] as TwoClassTrainer;
  trainer.train(features, Matrix.columnVector(Array.from(y)));
  const w = trainer.weights.to1DArray();
  return new LinearModel("ml-logistic", [...X.names], w[0], Float64Array.from(w.slice(1)), {
    numSteps,
    stepSize,
    rows: X.rows,
  });
}

/**
 * The library's logistic regression as a selection candidate.
 *
 * @example
 * ```ts
 * mlLogisticRegression({ numSteps: 100 }).name; // "ml-logistic"
 * ```
 */
export function mlLogisticRegression(params: MlLogisticParams = {}): Classifier<LinearModel<MlLogisticFitInfo>> {
  return { name: "ml-logistic", fit: (X, y, options) => fitMlLogistic(X, y, params, options) };
}
