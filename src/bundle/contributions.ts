/**
 * Exact, additive per-field contributions: how much each input field moves a
 * customer's log-odds away from a baseline row's, such that the contributions
 * add up to `z(x) − z(baseline)` (reason codes are these times the points
 * factor). Players are the raw input fields: a field's design columns (its
 * value, its one-hot columns, its missing indicator) depend only on that
 * field, so they move together.
 *
 * - Linear models (both logistic candidates, and the WoE scorecard, whose
 *   columns are WoE values): `w_j·(x_j − r_j)` summed over the field's
 *   columns, O(columns), no re-evaluation. For a scorecard this is exactly
 *   the difference of the two bins' points.
 * - Tree ensembles: exact baseline Shapley values, from compiled code
 *   ({@link CompiledShapley}), or for trees too deep to unroll from the array
 *   walk ({@link TreeShapley}); both give the same numbers.
 * - Calibration `slope·z + intercept` (Platt) scales every contribution by the
 *   slope; its intercept, like a prior-correction shift, is the same for x
 *   and the baseline and cancels in the difference.
 *
 * Two baselines: the bundle's reference customer (`"reference"`), and for
 * scorecards the best attainable bin of every characteristic
 * (`"max_points"`: "points below the maximum attainable", as adverse-action
 * notices state them).
 *
 * @module
 */
import type { WoeStep } from "../prep/woe.ts";
import type { DesignMatrix } from "../data/table.ts";
import { CalibratedModel } from "../models/calibration.ts";
import type { FittedClassifier } from "../models/classifier.ts";
import { GradientBoostingModel } from "../models/gbt/model.ts";
import { CompiledShapley, MAX_COMPILED_EXPLAIN_DEPTH } from "../models/gbt/compile.ts";
import { treeDepth, TreeShapley } from "../models/gbt/shapley.ts";
import { LinearModel } from "../models/linear.ts";
import { tableFromRecords } from "../prep/records.ts";
import type { FittedCandidate } from "./fitted.ts";

/** What reason codes compare with. */
export type ReasonMethod = "reference" | "max_points";

/**
 * Writes the log-odds of each row of `X` into `z` and each field's
 * contribution into `phi[row · fields + field]` (both in log-odds, `phi`
 * zeroed by the caller).
 */
type Attribute = (X: DesignMatrix, z: Float64Array, phi: Float64Array) => void;

/**
 * Contributions of every field against one baseline row.
 *
 * @example
 * ```ts
 * import type { FittedCandidate } from "./fitted.ts";
 * declare const fitted: FittedCandidate;
 * const explainer = Contributions.againstReference(fitted, { recency_days: 20, frequency: 8 });
 * const X = fitted.design({ rows: 1, columns: { recency_days: { kind: "numeric", values: new Float64Array([90]) } } });
 * const z = new Float64Array(1), phi = new Float64Array(explainer.fields.length);
 * explainer.explain(X, z, phi); // phi sums to z[0] - explainer.baseline
 * ```
 */
export class Contributions {
  /** The fields (players), in the preparation's schema order. */
  readonly fields: readonly string[];
  readonly #baselineDesign: Float64Array;
  #attribute?: Attribute;

  private constructor(
    readonly fitted: FittedCandidate,
    /** The baseline row's corrected log-odds. */
    readonly baseline: number,
    /** Each field's baseline value, as reasons show it. */
    readonly baselineValues: readonly (number | string | null)[],
    baselineDesign: Float64Array,
  ) {
    this.fields = Object.keys(fitted.preparation.schema);
    this.#baselineDesign = baselineDesign;
  }

  /**
   * Against a reference customer (field name -> value; absent fields are
   * missing and imputed as in training).
   */
  static againstReference(
    fitted: FittedCandidate,
    reference: Readonly<Record<string, number | string | null>>,
  ): Contributions {
    const design = fitted.design(tableFromRecords([reference], fitted.preparation.schema)).data;
    const values = Object.keys(fitted.preparation.schema).map((name) => reference[name] ?? null);
    return new Contributions(fitted, baselineLogOdds(fitted, design), values, design);
  }

  /**
   * Against the best attainable bin of every characteristic of a WoE
   * scorecard (a linear model on WoE columns); the baseline is the maximum
   * attainable score and each reference value is that best bin's label.
   */
  static againstMaxPoints(fitted: FittedCandidate): Contributions {
    const { preparation, model } = fitted;
    if (!Contributions.offersMaxPoints(fitted)) {
      throw new RangeError(
        `reason_method=max_points needs a WoE scorecard; this model is "${fitted.candidate}" (${model.kind})`,
      );
    }
    const cols = preparation.cols;
    const zero = new Float64Array(cols);
    const at0 = model.rowLogOdds(zero);
    const design = new Float64Array(cols);
    const labels: string[] = [];
    const woe = preparation.steps.woe as WoeStep;
    preparation.outputs.forEach((output, j) => {
      const bins = woe.encoder.binning(output.feature)!.bins;
      const values = Float64Array.from(bins, (bin) => bin.woe);
      preparation.steps.scaler?.kernel?.(output.feature)?.(values, values.length);
      // The model is linear in each column, so the column's slope (calibration included) picks the best bin.
      zero[j] = 1;
      const slope = model.rowLogOdds(zero) - at0;
      zero[j] = 0;
      let best = 0;
      for (let b = 1; b < values.length; b++) if (slope * values[b] > slope * values[best]) best = b;
      design[j] = values[best];
      labels.push(bins[best].label);
    });
    return new Contributions(fitted, baselineLogOdds(fitted, design), labels, design);
  }

  /** Whether {@link Contributions.againstMaxPoints} applies: a linear model on WoE columns. */
  static offersMaxPoints(fitted: FittedCandidate): boolean {
    return fitted.preparation.options.encoding === "woe" && isLinear(fitted.model);
  }

  /**
   * Builds the attribution now (else on the first {@link Contributions.explain}):
   * compiling a tree explainer takes a fraction of a second that scoring
   * without reasons never needs, and a server would rather pay it at load.
   */
  prepare(): void {
    this.#prepared();
  }

  #prepared(): Attribute {
    if (this.#attribute === undefined) {
      const index = new Map(this.fields.map((name, k) => [name, k]));
      const playerOf = Int32Array.from(this.fitted.preparation.outputs, (output) => index.get(output.feature)!);
      this.#attribute = attribution(this.fitted.model, playerOf, this.fields.length, this.#baselineDesign);
    }
    return this.#attribute;
  }

  /** Fills `z` with the corrected log-odds per row and `phi` (rows × fields, zeroed) with the contributions. */
  explain(X: DesignMatrix, z: Float64Array, phi: Float64Array): void {
    this.#prepared()(X, z, phi);
    // The prior-correction shift is added to x's log-odds and the baseline's alike: it cancels in phi.
    const shift = this.fitted.logOddsShift;
    if (shift !== 0) { for (let i = 0; i < X.rows; i++) z[i] += shift; }
  }
}

function baselineLogOdds(fitted: FittedCandidate, design: Float64Array): number {
  return fitted.model.rowLogOdds(design) + fitted.logOddsShift;
}

function isLinear(model: FittedClassifier): boolean {
  return model instanceof LinearModel || (model instanceof CalibratedModel && isLinear(model.base));
}

/** The attribution of a model family against a baseline design row. */
function attribution(
  model: FittedClassifier,
  playerOf: Int32Array,
  players: number,
  baseline: Float64Array,
): Attribute {
  if (model instanceof LinearModel) return linearAttribution(model, playerOf, players, baseline);
  if (model instanceof GradientBoostingModel) return treeAttribution(model, playerOf, players, baseline);
  if (model instanceof CalibratedModel) {
    const base = attribution(model.base, playerOf, players, baseline);
    const { slope, intercept } = model.calibration;
    return (X, z, phi) => {
      base(X, z, phi);
      for (let i = 0; i < X.rows; i++) z[i] = slope * z[i] + intercept;
      // The calibration intercept is in x's log-odds and the baseline's alike: only the slope reaches phi.
      for (let k = 0; k < phi.length; k++) phi[k] *= slope;
    };
  }
  throw new RangeError(`no exact reason codes for model kind "${model.kind}"`);
}

function linearAttribution(
  model: LinearModel,
  playerOf: Int32Array,
  players: number,
  baseline: Float64Array,
): Attribute {
  const w = model.coefficients;
  const cols = w.length;
  return (X, z, phi) => {
    // The model's own arithmetic (and its error naming a missing input), so scores match scoring without reasons.
    z.set(model.predictLogOdds(X));
    const { rows, data } = X;
    for (let i = 0, base = 0, o = 0; i < rows; i++, base += cols, o += players) {
      for (let j = 0; j < cols; j++) phi[o + playerOf[j]] += w[j] * (data[base + j] - baseline[j]);
    }
  };
}

function treeAttribution(
  model: GradientBoostingModel,
  playerOf: Int32Array,
  players: number,
  baseline: Float64Array,
): Attribute {
  if (treeDepth(model.trees) <= MAX_COMPILED_EXPLAIN_DEPTH) {
    const compiled = new CompiledShapley(model.trees, model.baseScore, playerOf, baseline);
    return (X, z, phi) => compiled.explain(X.data, X.rows, X.cols, players, z, phi);
  }
  const shapley = new TreeShapley(model.trees, playerOf, baseline);
  return (X, z, phi) => {
    const { rows, cols, data } = X;
    for (let i = 0; i < rows; i++) z[i] = shapley.explainRow(data, i * cols, phi, i * players, model.baseScore);
  };
}
