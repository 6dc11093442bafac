/**
 * K-fold cross-validation of a candidate on a design matrix, and the
 * selection rule: best mean CV AUC, ties broken by lower mean log loss.
 *
 * @module
 */
import type { DesignMatrix } from "../data/table.ts";
import type { Classifier } from "../models/classifier.ts";
import { takeRows, takeValues } from "../data/table.ts";
import { type IndexSplit, stratifiedKFold } from "../models/split.ts";
import { logLoss } from "./log_loss.ts";
import { rocAuc } from "./roc.ts";

/**
 * One fold's figures, measured on its held-out rows.
 */
export interface FoldResult {
  readonly auc: number;
  readonly logloss: number;
  /** Wall-clock seconds of the fit. */
  readonly fitSeconds: number;
}

/**
 * A candidate's cross-validation.
 */
export interface CrossValidationResult {
  readonly name: string;
  readonly folds: readonly FoldResult[];
  readonly meanAuc: number;
  /** Population standard deviation of the fold AUCs. */
  readonly stdAuc: number;
  readonly meanLogloss: number;
  /** Out-of-fold probability of every row (each row is predicted by the fold that held it out). */
  readonly oof: Float64Array;
}

/**
 * Options of {@link crossValidate}.
 */
export interface CrossValidateOptions {
  /** Per-row training weights; each fold fits on its rows' weights. Metrics are unweighted. */
  readonly weights?: Float64Array;
  /** Seed of the folds when `folds` is a count (default 0). */
  readonly seed?: number;
  /** Clock in milliseconds (default `performance.now`), injectable for tests. */
  readonly now?: () => number;
}

/**
 * Fits the candidate on each fold's training rows and scores its held-out
 * rows. `folds` is a list of splits or a count of stratified folds (default 5).
 *
 * @example
 * ```ts
 * import { logisticRegression } from "../models/logistic.ts";
 * const X = { rows: 8, cols: 1, names: ["x"], data: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]) };
 * const y = new Uint8Array([0, 0, 1, 0, 1, 0, 1, 1]);
 * const cv = crossValidate(logisticRegression(), X, y, 2);
 * cv.folds.length; // 2
 * ```
 */
export function crossValidate(
  candidate: Classifier,
  X: DesignMatrix,
  y: Uint8Array,
  folds: readonly IndexSplit[] | number = 5,
  options: CrossValidateOptions = {},
): CrossValidationResult {
  if (y.length !== X.rows) throw new RangeError(`cross-validation: ${y.length} labels for ${X.rows} rows`);
  const splits = typeof folds === "number" ? stratifiedKFold(y, { k: folds, seed: options.seed }) : folds;
  if (splits.length === 0) throw new RangeError("cross-validation: no folds");
  const now = options.now ?? (() => performance.now());
  const oof = new Float64Array(X.rows).fill(NaN);
  const results = splits.map(({ train, test }): FoldResult => {
    const weights = options.weights && takeValues(options.weights, train);
    const began = now();
    const model = candidate.fit(takeRows(X, train), takeValues(y, train), { weights });
    const fitSeconds = (now() - began) / 1000;
    const probabilities = model.predictProba(takeRows(X, test));
    const labels = takeValues(y, test);
    for (let k = 0; k < test.length; k++) oof[test[k]] = probabilities[k];
    return { auc: rocAuc(probabilities, labels), logloss: logLoss(probabilities, labels), fitSeconds };
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const aucs = results.map((r) => r.auc);
  const meanAuc = mean(aucs);
  return {
    name: candidate.name,
    folds: results,
    meanAuc,
    stdAuc: Math.sqrt(mean(aucs.map((a) => (a - meanAuc) ** 2))),
    meanLogloss: mean(results.map((r) => r.logloss)),
    oof,
  };
}

/**
 * The candidate with the highest mean CV AUC; AUCs within `tolerance`
 * (default 0: exact ties) are decided by the lower mean log loss.
 *
 * @example
 * ```ts
 * const a = { name: "a", meanAuc: 0.8, meanLogloss: 0.40 };
 * const b = { name: "b", meanAuc: 0.8, meanLogloss: 0.35 };
 * selectBest([a, b]).name; // "b"
 * ```
 */
export function selectBest<R extends Pick<CrossValidationResult, "meanAuc" | "meanLogloss">>(
  results: readonly R[],
  tolerance = 0,
): R {
  if (results.length === 0) throw new RangeError("selection: no candidates");
  return results.reduce((best, r) => {
    if (r.meanAuc > best.meanAuc + tolerance) return r;
    if (Math.abs(r.meanAuc - best.meanAuc) <= tolerance && r.meanLogloss < best.meanLogloss) return r;
    return best;
  });
}
