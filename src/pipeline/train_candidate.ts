/**
 * Trains candidates: stratified K-fold cross-validation on the training rows
 * (out-of-fold probabilities and per-fold AUC / log loss), then a refit on all
 * of them. The work is cut into units (one candidate's fold, or its refit),
 * each a pure function of plain, structured-cloneable data: the plain
 * pipeline runs them in order on the main thread, the flow runs batches of
 * them in Workers on every core (see {@link planFoldBatches}), and both
 * assemble identical results.
 *
 * @module
 */
import { ModelError } from "../models/errors.ts";
import { type Table, takeTableRows, takeValues } from "../data/table.ts";
import { binaryReport } from "../evaluate/report.ts";
import { priorCorrection, weightedPositiveRate } from "../models/calibration.ts";
import type { Classifier, FittedClassifier } from "../models/classifier.ts";
import { fitBinCuts, gradientBoosting } from "../models/gradient_boosting.ts";
import { logisticRegression } from "../models/logistic.ts";
import { mlLogisticRegression } from "../models/ml_logistic.ts";
import { stratifiedKFold } from "../models/split.ts";
import { Preparation, type PreparationReport } from "../prep/preparation.ts";
import type { CandidateSpec, ModelFamily } from "./candidates.ts";
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

/** What {@link trainCandidate} and {@link assembleCandidate} return: plain data. */
export interface CandidateResult {
  readonly spec: CandidateSpec;
  readonly cv: CrossValidation;
  /** Out-of-fold probabilities of the training rows, in their order. */
  readonly oof: Float64Array;
  readonly fitted: FittedCandidateJSON;
  readonly preparationReport: PreparationReport;
  /** Seconds of the cross-validation's fits (summed over folds) and of the final fit. */
  readonly seconds: { readonly cv: number; readonly fit: number };
}

/**
 * One unit of training work: fold `fold` of candidate `candidate` (an index
 * into the batch's `specs`), where `fold === folds` is the refit on all rows.
 */
export interface FoldUnit {
  readonly candidate: number;
  readonly fold: number;
}

/** Units to run on one thread, with everything they read. */
export interface FoldBatch {
  readonly specs: readonly CandidateSpec[];
  /** Training rows only. */
  readonly table: Table;
  readonly y: Uint8Array;
  readonly folds: number;
  readonly seed: number;
  readonly units: readonly FoldUnit[];
}

/** What a unit produced: a fold's held-out probabilities and figures, or the refit model. */
export type FoldOutcome =
  | {
    readonly unit: FoldUnit;
    readonly probabilities: Float64Array;
    readonly auc: number;
    readonly logloss: number;
    readonly seconds: number;
  }
  | {
    readonly unit: FoldUnit;
    readonly fitted: FittedCandidateJSON;
    readonly preparationReport: PreparationReport;
    readonly seconds: number;
  };

/**
 * Runs a batch of units in order: the body of the `train-folds` step.
 *
 * @example
 * ```ts
 * import { CANDIDATES } from "./candidates.ts";
 * declare const table: import("../data/table.ts").Table, y: Uint8Array;
 * const outcomes = trainFoldBatch({ specs: CANDIDATES, table, y, folds: 5, seed: 42, units: [{ candidate: 1, fold: 0 }] });
 * ```
 */
export function trainFoldBatch(batch: FoldBatch): FoldOutcome[] {
  const { specs, table, y, folds, seed } = batch;
  const splits = batch.units.some((u) => u.fold < folds) ? stratifiedKFold(y, { k: folds, seed }) : [];
  const rowsOf = (fold: number) =>
    fold === folds
      ? { table, y }
      : { table: takeTableRows(table, splits[fold].train), y: takeValues(y, splits[fold].train) };
  // One fit per (rows, preparation options apart from imbalance): ml-logistic-regression and logistic share theirs.
  const preparations = new Map<string, Preparation>();
  const prepared = (spec: CandidateSpec, fold: number, rows: { table: Table; y: Uint8Array }): Preparation => {
    const key = `${fold}:${preparationKey(spec)}`;
    let preparation = preparations.get(key);
    if (preparation === undefined) {
      preparation = Preparation.fit(rows.table, rows.y, spec.preparation);
      preparations.set(key, preparation);
    }
    return preparation.withImbalance(spec.preparation.imbalance ?? { method: "none" });
  };
  const binEdges = new Map<number, Record<string, Float64Array>>();
  return batch.units.map((unit): FoldOutcome => {
    const spec = specs[unit.candidate];
    const began = performance.now();
    // gbt's cut points depend on no label: cut once on all training rows (the refit's preparation), not per fold.
    if (spec.family === "gbt" && !binEdges.has(unit.candidate)) {
      const X = prepared(spec, folds, { table, y }).transform(table);
      binEdges.set(unit.candidate, fitBinCuts(X, { ...spec.params, seed }));
    }
    const shared = binEdges.get(unit.candidate);
    const rows = rowsOf(unit.fold);
    const preparation = prepared(spec, unit.fold, rows);
    const fitted = fitCandidate(spec, rows.table, rows.y, seed, { binEdges: shared, preparation });
    if (unit.fold === folds) {
      return {
        unit,
        fitted: fitted.toJSON(),
        preparationReport: fitted.preparation.report,
        seconds: (performance.now() - began) / 1000,
      };
    }
    const { test } = splits[unit.fold];
    const probabilities = fitted.probabilities(takeTableRows(table, test));
    const report = binaryReport(probabilities, takeValues(y, test));
    return {
      unit,
      probabilities,
      auc: report.auc,
      logloss: report.logloss,
      seconds: (performance.now() - began) / 1000,
    };
  });
}

/** What identifies a candidate's preparation fit: its options without the imbalance handling (see `withImbalance`). */
function preparationKey(spec: CandidateSpec): string {
  const { imbalance: _, ...fitted } = spec.preparation;
  return JSON.stringify(fitted);
}

/** Relative cost of one fit per family: refit seconds at 100,000 customers were 0.96, 1.25, 1.97 and 4.33. */
const FAMILY_COST: Readonly<Record<ModelFamily, number>> = {
  "ml-logistic-regression": 1,
  logistic: 1.3,
  scorecard: 2,
  gbt: 4.5,
};

/**
 * Splits every candidate's folds and refit into `lanes` batches of about
 * equal cost (largest first, each to the cheapest lane), one per core, so
 * that the six gbt fits do not queue on one core behind one Worker. Units
 * that can share a preparation fit (same rows, same options apart from
 * imbalance) go to the same lane as one piece. Which batch runs a unit never
 * changes its result.
 *
 * @example
 * ```ts
 * import { CANDIDATES } from "./candidates.ts";
 * planFoldBatches(CANDIDATES, 5, 2).map((units) => units.length); // two lanes, 24 units in all
 * ```
 */
export function planFoldBatches(specs: readonly CandidateSpec[], folds: number, lanes: number): FoldUnit[][] {
  const pieces = new Map<string, { units: FoldUnit[]; cost: number }>();
  specs.forEach((spec, candidate) => {
    for (let fold = 0; fold <= folds; fold++) {
      const key = `${fold}:${preparationKey(spec)}`;
      const piece = pieces.get(key) ?? { units: [], cost: 0 };
      piece.units.push({ candidate, fold });
      // The refit sees all rows, a fold (folds - 1) / folds of them.
      piece.cost += FAMILY_COST[spec.family] * (fold === folds ? folds / (folds - 1) : 1);
      pieces.set(key, piece);
    }
  });
  // A stable sort keeps the plan deterministic.
  const ordered = [...pieces.values()].sort((a, b) => b.cost - a.cost);
  const batches: FoldUnit[][] = Array.from({ length: Math.max(1, Math.min(lanes, ordered.length)) }, () => []);
  const load = new Float64Array(batches.length);
  for (const { units, cost } of ordered) {
    const lane = load.indexOf(Math.min(...load));
    batches[lane].push(...units);
    load[lane] += cost;
  }
  return batches;
}

/**
 * One candidate's result from the outcomes of all its units.
 *
 * @example
 * ```ts
 * declare const spec: import("./candidates.ts").CandidateSpec, outcomes: FoldOutcome[], y: Uint8Array;
 * assembleCandidate(spec, 0, outcomes, y, 5, 42).cv.meanAuc;
 * ```
 */
export function assembleCandidate(
  spec: CandidateSpec,
  candidate: number,
  outcomes: readonly FoldOutcome[],
  y: Uint8Array,
  folds: number,
  seed: number,
): CandidateResult {
  const own = outcomes.filter((o) => o.unit.candidate === candidate).sort((a, b) => a.unit.fold - b.unit.fold);
  const refit = own.find((o) => o.unit.fold === folds);
  const foldOutcomes = own.filter((o) => o.unit.fold < folds);
  if (!refit || !("fitted" in refit) || foldOutcomes.length !== folds) {
    throw new ModelError(
      `candidate ${spec.name}: ${foldOutcomes.length} of ${folds} folds and ${refit ? 1 : 0} refit done`,
    );
  }
  const oof = new Float64Array(y.length);
  const splits = stratifiedKFold(y, { k: folds, seed });
  const foldFigures = foldOutcomes.map((o) => {
    if (!("probabilities" in o)) {
      throw new ModelError(`candidate ${spec.name}: fold ${o.unit.fold} has no probabilities`);
    }
    const { test } = splits[o.unit.fold];
    o.probabilities.forEach((p, k) => (oof[test[k]] = p));
    return { auc: o.auc, logloss: o.logloss };
  });
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
    fitted: refit.fitted,
    preparationReport: refit.preparationReport,
    seconds: { cv: foldOutcomes.reduce((sum, o) => sum + o.seconds, 0), fit: refit.seconds },
  };
}

/**
 * Cross-validates one candidate and refits it on all training rows, on this thread.
 *
 * @example
 * ```ts
 * import { CANDIDATES } from "./candidates.ts";
 * declare const table: import("../data/table.ts").Table, y: Uint8Array;
 * const result = trainCandidate({ spec: CANDIDATES[1], table, y, folds: 5, seed: 42 });
 * result.cv.meanAuc;
 * ```
 */
export function trainCandidate(input: CandidateInput): CandidateResult {
  const { spec, table, y, folds, seed } = input;
  const units = Array.from({ length: folds + 1 }, (_, fold) => ({ candidate: 0, fold }));
  const outcomes = trainFoldBatch({ specs: [spec], table, y, folds, seed, units });
  return assembleCandidate(spec, 0, outcomes, y, folds, seed);
}

/** Fitted parts a fit may take from other fits of the same run instead of fitting them again. */
export interface FitShared {
  /** gbt cut points shared by the fits of one run (see `fitBinCuts`). */
  readonly binEdges?: Readonly<Record<string, Float64Array>>;
  /** The candidate's preparation, fitted on these same rows with the same options (imbalance aside). */
  readonly preparation?: Preparation;
}

/**
 * Fits a candidate's preparation and model on one set of rows, correcting
 * the prior when its preparation reweighted or resampled the classes.
 * `shared`: what other fits of the run already computed (see {@link FitShared}).
 *
 * @example
 * ```ts
 * import { CANDIDATES } from "./candidates.ts";
 * declare const table: import("../data/table.ts").Table, y: Uint8Array;
 * const fitted = fitCandidate(CANDIDATES[1], table, y, 42);
 * fitted.probabilities(table);
 * ```
 */
export function fitCandidate(
  spec: CandidateSpec,
  table: Table,
  y: Uint8Array,
  seed: number,
  { binEdges, preparation = Preparation.fit(table, y, spec.preparation) }: FitShared = {},
): FittedCandidate {
  const training = preparation.trainingSet(table, y);
  const model: FittedClassifier = classifierFor(spec, seed, binEdges).fit(training.matrix, training.y, {
    weights: training.weights,
  });
  const { intercept } = priorCorrection({
    modelRate: weightedPositiveRate(training.y, training.weights),
    trueRate: weightedPositiveRate(y),
  });
  return new FittedCandidate(spec.name, preparation, model, intercept);
}

function classifierFor(
  spec: CandidateSpec,
  seed: number,
  binEdges: Readonly<Record<string, Float64Array>> | undefined,
): Classifier {
  switch (spec.family) {
    case "ml-logistic-regression":
      return mlLogisticRegression({ ...spec.params, seed });
    case "logistic":
    case "scorecard":
      return logisticRegression(spec.params);
    case "gbt":
      return gradientBoosting({ ...spec.params, seed, monotone: spec.monotone, binEdges });
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
