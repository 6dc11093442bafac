/**
 * A fitted gradient-boosted tree ensemble: flat typed arrays of nodes
 * (all trees concatenated), scored on raw feature values with NaN as missing.
 *
 * @module
 */
import { ModelError } from "../errors.ts";
import type { DesignMatrix } from "../../data/table.ts";
import type { FittedClassifier, ModelJSON } from "../classifier.ts";
import { sigmoidInPlace } from "../link.ts";
import { CompiledForest } from "./compile.ts";
import { checkColumns } from "../validate.ts";

/**
 * The nodes of an ensemble; a split node's right child is `left + 1`.
 */
export interface TreeArrays {
  /** Root node of each tree. */
  readonly roots: Int32Array;
  /** Split feature, -1 at leaves. */
  readonly feature: Int32Array;
  /** Go left when `x <= threshold`. */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  /** 1 when a missing (NaN) value goes left. */
  readonly missingLeft: Uint8Array;
  /** Leaf contribution to the log-odds (learning rate applied). */
  readonly value: Float64Array;
  /** Loss reduction of each split, for importances. */
  readonly gain: Float64Array;
}

/**
 * How the ensemble was fitted, stored in its `fit` field.
 */
export interface GradientBoostingFitInfo {
  readonly trees: number;
  /** True when boosting stopped because the validation loss stopped improving. */
  readonly earlyStopped: boolean;
  /** Validation log loss of the kept trees, or null without validation rows. */
  readonly validationLoss: number | null;
  readonly validationRows: number;
  /** The hyper-parameters used, defaults resolved. */
  readonly params: Readonly<Record<string, number>>;
}

/**
 * JSON form of a {@link GradientBoostingModel}.
 */
export interface GradientBoostingJSON extends ModelJSON {
  readonly kind: "gbt";
  readonly version: 1;
  readonly names: readonly string[];
  readonly baseScore: number;
  readonly roots: readonly number[];
  readonly feature: readonly number[];
  readonly threshold: readonly number[];
  readonly left: readonly number[];
  readonly missingLeft: readonly number[];
  readonly value: readonly number[];
  readonly gain: readonly number[];
  readonly fit: GradientBoostingFitInfo;
}

/**
 * Gradient-boosted trees: log-odds = `baseScore` + Σ over trees of the leaf value reached.
 *
 * @example
 * ```ts
 * const trees = {
 *   roots: new Int32Array([0]), feature: new Int32Array([0, -1, -1]), threshold: new Float64Array([0.5, 0, 0]),
 *   left: new Int32Array([1, -1, -1]), missingLeft: new Uint8Array([1, 0, 0]),
 *   value: new Float64Array([0, -1, 1]), gain: new Float64Array([2, 0, 0]),
 * };
 * const fit = { trees: 1, earlyStopped: false, validationLoss: null, validationRows: 0, params: {} };
 * const model = new GradientBoostingModel(["x"], 0, trees, fit);
 * [model.rowLogOdds([0]), model.rowLogOdds([1]), model.rowLogOdds([NaN])]; // [-1, 1, -1]
 * ```
 */
export class GradientBoostingModel implements FittedClassifier {
  readonly kind = "gbt";
  #compiled?: CompiledForest;

  constructor(
    readonly names: readonly string[],
    readonly baseScore: number,
    readonly trees: TreeArrays,
    readonly fit: GradientBoostingFitInfo,
  ) {
    checkTrees(trees, names.length);
    if (!Number.isFinite(baseScore)) throw new ModelError(`gbt: baseScore is ${baseScore}`);
  }

  predictLogOdds(X: DesignMatrix): Float64Array {
    checkColumns(this.names, X);
    const out = new Float64Array(X.rows);
    this.compiled.predict(X.data, X.rows, X.cols, out);
    return out;
  }

  predictProba(X: DesignMatrix): Float64Array {
    return sigmoidInPlace(this.predictLogOdds(X));
  }

  rowLogOdds(row: ArrayLike<number>, offset = 0): number {
    return this.compiled.row(row, offset);
  }

  /** The trees compiled for prediction, built on first use (the bundle keeps the node arrays). */
  get compiled(): CompiledForest {
    return this.#compiled ??= new CompiledForest(this.trees, this.baseScore);
  }

  /**
   * Total split gain per feature (aligned with `names`), normalised to sum to 1:
   * XGBoost's `total_gain` importance.
   */
  importance(): Float64Array {
    const totals = new Float64Array(this.names.length);
    const { feature, gain } = this.trees;
    let sum = 0;
    for (let k = 0; k < feature.length; k++) {
      if (feature[k] >= 0) {
        totals[feature[k]] += gain[k];
        sum += gain[k];
      }
    }
    return sum > 0 ? totals.map((g) => g / sum) : totals;
  }

  toJSON(): GradientBoostingJSON {
    const t = this.trees;
    return {
      kind: "gbt",
      version: 1,
      names: [...this.names],
      baseScore: this.baseScore,
      roots: Array.from(t.roots),
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold),
      left: Array.from(t.left),
      missingLeft: Array.from(t.missingLeft),
      value: Array.from(t.value),
      gain: Array.from(t.gain),
      fit: this.fit,
    };
  }
}

/**
 * Rejects node arrays that could loop forever or read outside the row
 * (a corrupted or hand-edited bundle): children must come after their
 * parent, features must exist, values must be finite.
 */
function checkTrees(trees: TreeArrays, cols: number): void {
  const { roots, feature, threshold, left, missingLeft, value, gain } = trees;
  const n = feature.length;
  for (const [name, array] of Object.entries({ threshold, left, missingLeft, value, gain })) {
    if (array.length !== n) throw new ModelError(`gbt: ${name} has ${array.length} entries, feature has ${n}`);
  }
  for (let t = 0; t < roots.length; t++) {
    if (!(roots[t] >= 0 && roots[t] < n)) {
      throw new ModelError(`gbt: root of tree ${t} is ${roots[t]}, outside 0..${n - 1}`);
    }
  }
  for (let k = 0; k < n; k++) {
    const f = feature[k];
    if (f < 0) {
      if (!Number.isFinite(value[k])) throw new ModelError(`gbt: leaf ${k} has value ${value[k]}`);
      continue;
    }
    if (f >= cols) throw new ModelError(`gbt: node ${k} splits on feature ${f}, the model has ${cols} columns`);
    if (!(left[k] > k && left[k] + 1 < n)) {
      throw new ModelError(`gbt: node ${k} has children ${left[k]}, ${left[k] + 1}`);
    }
    if (Number.isNaN(threshold[k])) throw new ModelError(`gbt: node ${k} has threshold NaN`);
  }
}
