/**
 * A fitted linear log-odds model, `intercept + x · coefficients`: what both
 * logistic-regression candidates produce, whatever fitted them, so scoring
 * and the JSON form are written once.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";
import type { FittedClassifier, ModelJSON } from "./classifier.ts";
import { sigmoidInPlace } from "./link.ts";
import { checkColumns } from "./validate.ts";
import { DataError } from "../data/errors.ts";
import { ModelError } from "./errors.ts";

/**
 * JSON form of a {@link LinearModel}; `fit` records how it was fitted.
 */
export interface LinearModelJSON<Info extends object = Readonly<Record<string, unknown>>> extends ModelJSON {
  readonly kind: string;
  readonly version: 1;
  readonly names: readonly string[];
  readonly intercept: number;
  readonly coefficients: readonly number[];
  readonly fit: Info;
}

/**
 * Intercept plus coefficients, one per design-matrix column.
 *
 * @example
 * ```ts
 * const m = new LinearModel("logistic", ["x"], 0, new Float64Array([2]), {});
 * m.rowLogOdds([1.5]); // 3
 * ```
 */
export class LinearModel<Info extends object = Readonly<Record<string, unknown>>> implements FittedClassifier {
  constructor(
    readonly kind: string,
    readonly names: readonly string[],
    readonly intercept: number,
    readonly coefficients: Float64Array,
    /** How the model was fitted (iterations, convergence, penalty, ...). */
    readonly fit: Info,
  ) {
    if (coefficients.length !== names.length) {
      throw new RangeError(`${kind}: ${coefficients.length} coefficients for ${names.length} columns`);
    }
  }

  predictLogOdds(X: DesignMatrix): Float64Array {
    checkColumns(this.names, X);
    const { rows, cols, data } = X;
    const w = this.coefficients;
    const out = new Float64Array(rows);
    for (let i = 0, base = 0; i < rows; i++, base += cols) {
      let z = this.intercept;
      for (let j = 0; j < cols; j++) z += data[base + j] * w[j];
      if (z !== z) this.#rejectMissing(data, base, i);
      out[i] = z;
    }
    return out;
  }

  /** A linear model has no rule for missing inputs: name the first one instead of returning NaN. */
  #rejectMissing(row: ArrayLike<number>, offset: number, rowIndex: number): never {
    for (let j = 0; j < this.names.length; j++) {
      const x = row[offset + j];
      if (!Number.isFinite(x)) {
        throw new DataError(
          `${this.kind}: column "${this.names[j]}" of row ${rowIndex} is ${x}; impute before scoring`,
        );
      }
    }
    throw new ModelError(`${this.kind}: the log-odds of row ${rowIndex} overflowed`);
  }

  predictProba(X: DesignMatrix): Float64Array {
    return sigmoidInPlace(this.predictLogOdds(X));
  }

  rowLogOdds(row: ArrayLike<number>, offset = 0): number {
    const w = this.coefficients;
    let z = this.intercept;
    for (let j = 0; j < w.length; j++) z += row[offset + j] * w[j];
    if (z !== z) this.#rejectMissing(row, offset, 0);
    return z;
  }

  toJSON(): LinearModelJSON<Info> {
    return {
      kind: this.kind,
      version: 1,
      names: [...this.names],
      intercept: this.intercept,
      coefficients: Array.from(this.coefficients),
      fit: this.fit,
    };
  }
}
