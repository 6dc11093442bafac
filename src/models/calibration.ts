/**
 * Correcting predicted probabilities back to the true base rate after class
 * weighting or resampling, and the wrapper that applies a correction at
 * scoring time.
 *
 * Training with class weights `w1/w0`, or on a sample resampled to another
 * positive rate, shifts a logistic model's log-odds by a constant:
 * `logit(p_true) = logit(p_model) + logit(π_true) − logit(π_model)`, where
 * `π_model` is the (weighted) positive rate the model was fitted to (King &
 * Zeng's prior correction; with class weights the shift is `−ln(w1/w0)`).
 * Models whose shape is also distorted (trees fitted on reweighted data) are
 * better served by a Platt calibration `logit(p) = a·z + b` fitted on
 * training rows. Either is a {@link Calibration}, applied by
 * {@link CalibratedModel}.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";
import type { FittedClassifier, ModelJSON } from "./classifier.ts";
import { logit, sigmoidInPlace } from "./link.ts";
import { fitLogistic } from "./logistic.ts";
import { DataError } from "../data/errors.ts";
import { ModelError } from "./errors.ts";

/**
 * `logOdds' = slope · logOdds + intercept`; a prior shift has slope 1.
 */
export interface Calibration {
  readonly method: "prior" | "platt";
  readonly slope: number;
  readonly intercept: number;
}

/**
 * The positive rate a model was fitted to: `Σ w·y / Σ w` (the plain rate
 * without weights).
 *
 * @example
 * ```ts
 * weightedPositiveRate(new Uint8Array([1, 0, 0, 0]), new Float64Array([3, 1, 1, 1])); // 0.5
 * ```
 */
export function weightedPositiveRate(labels: Uint8Array, weights?: Float64Array): number {
  let total = 0, positive = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1;
    total += w;
    positive += w * labels[i];
  }
  if (total === 0) throw new DataError("prior correction: no rows (or all weights 0)");
  return positive / total;
}

/**
 * The prior correction from the rate the model was fitted to (`modelRate`,
 * e.g. {@link weightedPositiveRate} with the class weights, or the rate of a
 * resampled training set) to the population rate (`trueRate`).
 *
 * @example
 * ```ts
 * const c = priorCorrection({ modelRate: 0.5, trueRate: 0.2 });
 * c.intercept; // Math.log(0.25) = -ln 4
 * ```
 */
export function priorCorrection(rates: { readonly modelRate: number; readonly trueRate: number }): Calibration {
  for (const [name, rate] of Object.entries(rates)) {
    if (!(rate > 0 && rate < 1)) throw new RangeError(`prior correction: ${name} must be in (0, 1), got ${rate}`);
  }
  return { method: "prior", slope: 1, intercept: logit(rates.trueRate) - logit(rates.modelRate) };
}

/**
 * Platt scaling: a one-feature logistic regression of the labels on the
 * model's log-odds (unpenalised), fitted on the given rows (use training rows).
 *
 * @example
 * ```ts
 * const c = fitPlatt(new Float64Array([-2, -1, 1, 2, 0]), new Uint8Array([0, 1, 0, 1, 1]));
 * c.method; // "platt"
 * ```
 */
export function fitPlatt(logOdds: Float64Array, labels: Uint8Array): Calibration {
  const X = { rows: logOdds.length, cols: 1, names: ["logOdds"], data: logOdds };
  const model = fitLogistic(X, labels, { C: Infinity });
  if (!model.fit.converged) {
    throw new ModelError("Platt calibration: did not converge (are the classes separable by the score?)");
  }
  return { method: "platt", slope: model.coefficients[0], intercept: model.intercept };
}

/**
 * JSON form of a {@link CalibratedModel}.
 */
export interface CalibratedJSON extends ModelJSON {
  readonly kind: "calibrated";
  readonly version: 1;
  readonly calibration: Calibration;
  readonly base: ModelJSON;
}

/**
 * A model whose log-odds pass through a {@link Calibration}.
 *
 * @example
 * ```ts
 * import { LinearModel } from "./linear.ts";
 * const base = new LinearModel("logistic", ["x"], 0, new Float64Array([1]), {});
 * const model = new CalibratedModel(base, priorCorrection({ modelRate: 0.5, trueRate: 0.2 }));
 * model.rowLogOdds([0]); // -ln 4
 * ```
 */
export class CalibratedModel implements FittedClassifier {
  readonly kind = "calibrated";

  constructor(readonly base: FittedClassifier, readonly calibration: Calibration) {
    if (!Number.isFinite(calibration.slope) || !Number.isFinite(calibration.intercept)) {
      throw new DataError(
        `calibration: slope ${calibration.slope} and intercept ${calibration.intercept} must be finite`,
      );
    }
  }

  get names(): readonly string[] {
    return this.base.names;
  }

  predictLogOdds(X: DesignMatrix): Float64Array {
    const z = this.base.predictLogOdds(X);
    const { slope, intercept } = this.calibration;
    for (let i = 0; i < z.length; i++) z[i] = slope * z[i] + intercept;
    return z;
  }

  predictProba(X: DesignMatrix): Float64Array {
    return sigmoidInPlace(this.predictLogOdds(X));
  }

  rowLogOdds(row: ArrayLike<number>, offset = 0): number {
    return this.calibration.slope * this.base.rowLogOdds(row, offset) + this.calibration.intercept;
  }

  toJSON(): CalibratedJSON {
    return { kind: "calibrated", version: 1, calibration: { ...this.calibration }, base: this.base.toJSON() };
  }
}
