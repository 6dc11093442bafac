/**
 * Trains one candidate: stratified K-fold cross-validation on the training
 * rows (out-of-fold probabilities and per-fold AUC / log loss), then a refit
 * on all of them. A pure function of plain, structured-cloneable data, so the
 * plain pipeline calls it directly and the flow runs it in a Worker, and both
 * get identical results.
 *
 * @module
 */
import { type Table, takeTableRows, takeValues } from "../data/table.ts";
import { binaryReport } from "../evaluate/report.ts";
import { priorCorrection, weightedPositiveRate } from "../models/calibration.ts";
import type { Classifier, FittedClassifier } from "../models/classifier.ts";
import { gradientBoosting } from "../models/gradient_boosting.ts";
import { logisticRegression } from "../models/logistic.ts";
import { mlLogisticRegression } from "../models/ml_logistic.ts";
import { stratifiedKFold } from "../models/split.ts";
import { Preparation, type PreparationReport } from "../prep/preparation.ts";
import type { CandidateSpec } from "./candidates.ts";
import { FittedCandidate, type FittedCandidateJSON } from "../bundle/fitted.ts";

/** What {@link trainCandidate} needs. */
export interface CandidateInput {
  readonly spec: CandidateSpec;
  /** Training rows only. */
  readonly table: Table;
  readonly y: Uint8Array;
  readonly folds: number;
  readonly seed: number;
}

/** Cross-validation figures of one candidate. */
export interface CrossValidation {
  readonly folds: readonly { readonly auc: number; readonly logloss: number }[];
  readonly meanAuc: number;
  readonly stdAuc: number;
  readonly meanLogloss: number;
}

/** What {@link trainCandidate} returns: plain data. */
export interface CandidateResult {
  readonly spec: CandidateSpec;
  readonly cv: CrossValidation;
  /** Out-of-fold probabilities of the training rows, in their order. */
  readonly oof: Float64Array;
  readonly fitted: FittedCandidateJSON;
  readonly preparationReport: PreparationReport;
  /** Wall-clock seconds of the cross-validation and of the final fit. */
  readonly seconds: { readonly cv: number; readonly fit: number };
}

/**
 * Cross-validates a candidate and refits it on all training rows.
 *
 * @example
 * ```ts
 * import type { Table } from "../data/table.ts";
 * import { CANDIDATES } from "./candidates.ts";
 * declare const table: Table;
 * declare const y: Uint8Array;
 * const result = trainCandidate({ spec: CANDIDATES[1], table, y, folds: 5, seed: 42 });
 * result.cv.meanAuc;
 * ```
 */
export function trainCandidate(input: CandidateInput): CandidateResult {
  const { spec, table, y, folds, seed } = input;
  const began = performance.now();
  const oof = new Float64Array(y.length);
  const foldFigures = stratifiedKFold(y, { k: folds, seed }).map(({ train, test }) => {
    const fitted = fitCandidate(spec, takeTableRows(table, train), takeValues(y, train), seed);
    const probabilities = fitted.probabilities(takeTableRows(table, test));
    probabilities.forEach((p, k) => (oof[test[k]] = p));
    const report = binaryReport(probabilities, takeValues(y, test));
    return { auc: report.auc, logloss: report.logloss };
  });
  const cvDone = performance.now();
  const fitted = fitCandidate(spec, table, y, seed);
  const fitDone = performance.now();
  const aucs = foldFigures.map((f) => f.auc);
  const meanAuc = mean(aucs);
  return {
    spec,
    cv: {
      folds: foldFigures,
      meanAuc,
      stdAuc: Math.sqrt(mean(aucs.map((a) => (a - meanAuc) ** 2))),
      meanLogloss: mean(foldFigures.map((f) => f.logloss)),
    },
    oof,
    fitted: fitted.toJSON(),
    preparationReport: fitted.preparation.report,
    seconds: { cv: (cvDone - began) / 1000, fit: (fitDone - cvDone) / 1000 },
  };
}

/**
 * Fits a candidate's preparation and model on one set of rows, correcting
 * the prior when its preparation reweighted or resampled the classes.
 *
 * @example
 * ```ts
 * import type { Table } from "../data/table.ts";
 * import { CANDIDATES } from "./candidates.ts";
 * declare const table: Table;
 * declare const y: Uint8Array;
 * const fitted = fitCandidate(CANDIDATES[1], table, y, 42);
 * fitted.probabilities(table);
 * ```
 */
export function fitCandidate(spec: CandidateSpec, table: Table, y: Uint8Array, seed: number): FittedCandidate {
  const preparation = Preparation.fit(table, y, spec.preparation);
  const training = preparation.trainingSet(table, y);
  const model: FittedClassifier = classifierFor(spec, seed).fit(training.matrix, training.y, {
    weights: training.weights,
  });
  const { intercept } = priorCorrection({
    modelRate: weightedPositiveRate(training.y, training.weights),
    trueRate: weightedPositiveRate(y),
  });
  return new FittedCandidate(spec.name, preparation, model, intercept);
}

function classifierFor(spec: CandidateSpec, seed: number): Classifier {
  switch (spec.family) {
    case "ml-logistic-regression":
      return mlLogisticRegression({ ...spec.params, seed });
    case "logistic":
    case "scorecard":
      return logisticRegression(spec.params);
    case "gbt":
      return gradientBoosting({ ...spec.params, seed });
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
