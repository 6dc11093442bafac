/**
 * The shape every binary classifier in this project shares, so that model
 * selection, evaluation and the model bundle treat candidates alike: a
 * {@link Classifier} fits a {@link DesignMatrix} with 0/1 labels and returns a
 * {@link FittedClassifier}, which scores matrices or single rows and
 * serialises to JSON (the bundle is a JSON document).
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";

/**
 * Rows held out to monitor a fit (early stopping).
 */
export interface ValidationSet {
  readonly X: DesignMatrix;
  readonly y: Uint8Array;
}

/**
 * Per-call inputs of {@link Classifier.fit}, beside the training data.
 */
export interface FitOptions {
  /** Non-negative per-row weights (class weighting); all 1 when absent. */
  readonly weights?: Float64Array;
  /** Rows for early stopping; models that do not stop early ignore them. */
  readonly validation?: ValidationSet;
}

/**
 * The JSON form of any fitted model: a `kind` tag plus model-specific fields.
 */
export interface ModelJSON {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/**
 * A fitted binary classifier.
 */
export interface FittedClassifier {
  /** The `kind` tag of its JSON form. */
  readonly kind: string;
  /** Column names of the design matrix it was fitted on, in order. */
  readonly names: readonly string[];
  /** Log-odds of class 1 per row. */
  predictLogOdds(X: DesignMatrix): Float64Array;
  /** Probability of class 1 per row. */
  predictProba(X: DesignMatrix): Float64Array;
  /**
   * Log-odds of class 1 for the single row `row[offset .. offset + names.length)`,
   * without allocating: the server's per-request path.
   */
  rowLogOdds(row: ArrayLike<number>, offset?: number): number;
  /** A plain JSON value that `modelFromJSON` turns back into an identical model. */
  toJSON(): ModelJSON;
}

/**
 * A model family with its hyper-parameters fixed: a candidate for selection.
 */
export interface Classifier<M extends FittedClassifier = FittedClassifier> {
  /** Label used in selection tables and the bundle. */
  readonly name: string;
  fit(X: DesignMatrix, y: Uint8Array, options?: FitOptions): M;
}
