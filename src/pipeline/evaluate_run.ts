/**
 * Model selection and the final evaluation of a run: the candidate with the
 * best mean cross-validated AUC (ties: lower log loss) is selected, its
 * threshold is chosen on its out-of-fold training predictions, and every
 * candidate is scored once on the held-out test rows (the selection never
 * looks at them).
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { type CalibrationBin, calibrationTable } from "../evaluate/calibration.ts";
import { psi, type PsiResult } from "../evaluate/psi.ts";
import { type BinaryReport, binaryReport } from "../evaluate/report.ts";
import { chooseThreshold, type ThresholdChoice, type ThresholdRule } from "../evaluate/threshold.ts";
import { FittedCandidate } from "./fitted.ts";
import type { CandidateResult } from "./train_candidate.ts";

/** One line of the comparison table. */
export interface CandidateSummary {
  readonly name: string;
  readonly description: string;
  readonly cvAuc: number;
  readonly cvAucStd: number;
  readonly cvLogloss: number;
  readonly test: BinaryReport;
  readonly fitSeconds: number;
  readonly cvSeconds: number;
}

/** What a run learned about its candidates and the selected one. */
export interface RunEvaluation {
  readonly selected: string;
  readonly candidates: readonly CandidateSummary[];
  readonly threshold: ThresholdChoice & { readonly rule: ThresholdRule };
  /** The selected model on the test rows, at the threshold. */
  readonly test: BinaryReport;
  /** The selected model's out-of-fold predictions on the training rows. */
  readonly train: BinaryReport;
  readonly calibration: readonly CalibrationBin[];
  /** Stability of the score distribution from train (out-of-fold) to test. */
  readonly psi: PsiResult;
  /** Test probabilities of the selected model, in test-row order (charts, champion comparison). */
  readonly testProbabilities: Float64Array;
}

/**
 * Picks the best candidate: highest mean CV AUC, then lowest mean CV log loss, then name.
 *
 * @example
 * ```ts
 * selectCandidate(results).spec.name; // e.g. "gbt"
 * ```
 */
export function selectCandidate(results: readonly CandidateResult[]): CandidateResult {
  if (results.length === 0) throw new RangeError("no candidate was trained");
  return [...results].sort((a, b) =>
    b.cv.meanAuc - a.cv.meanAuc || a.cv.meanLogloss - b.cv.meanLogloss || a.spec.name.localeCompare(b.spec.name)
  )[0];
}

/**
 * Selects, sets the threshold and evaluates on the test rows.
 *
 * @example
 * ```ts
 * const evaluation = evaluateRun(results, trainY, testTable, testY, { by: "f1" });
 * evaluation.test.auc;
 * ```
 */
export function evaluateRun(
  results: readonly CandidateResult[],
  trainY: Uint8Array,
  testTable: Table,
  testY: Uint8Array,
  rule: ThresholdRule = { by: "f1" },
): RunEvaluation {
  const selected = selectCandidate(results);
  const threshold = { ...chooseThreshold(selected.oof, trainY, rule), rule };
  let testProbabilities: Float64Array = new Float64Array();
  const candidates = results.map((result) => {
    const probabilities = FittedCandidate.fromJSON(result.fitted).probabilities(testTable);
    if (result === selected) testProbabilities = probabilities;
    return {
      name: result.spec.name,
      description: result.spec.description,
      cvAuc: result.cv.meanAuc,
      cvAucStd: result.cv.stdAuc,
      cvLogloss: result.cv.meanLogloss,
      test: binaryReport(probabilities, testY, result === selected ? threshold.threshold : undefined),
      fitSeconds: result.seconds.fit,
      cvSeconds: result.seconds.cv,
    };
  });
  return {
    selected: selected.spec.name,
    candidates,
    threshold,
    test: binaryReport(testProbabilities, testY, threshold.threshold),
    train: binaryReport(selected.oof, trainY, threshold.threshold),
    calibration: calibrationTable(testProbabilities, testY),
    psi: psi(selected.oof, testProbabilities),
    testProbabilities,
  };
}
