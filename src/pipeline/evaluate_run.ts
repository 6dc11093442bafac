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
import { selectBest } from "../evaluate/cross_validate.ts";
import { psi, type PsiResult } from "../evaluate/psi.ts";
import { type BinaryReport, binaryReport } from "../evaluate/report.ts";
import { chooseThreshold, type ThresholdChoice, type ThresholdRule } from "../evaluate/threshold.ts";
import { FittedCandidate } from "../bundle/fitted.ts";
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
  /** Stability of the selected model's score distribution from the training rows to the test rows. */
  readonly psi: PsiResult;
  /** The selected (refitted) model's probabilities on the training rows: the drift reference; not in metrics.json. */
  readonly trainProbabilities: Float64Array;
  /** Test probabilities of every candidate, in test-row order (charts); not written to metrics.json. */
  readonly testProbabilities: Readonly<Record<string, Float64Array>>;
}

/** What {@link evaluateRun} needs. */
export interface EvaluateInput {
  readonly results: readonly CandidateResult[];
  readonly trainTable: Table;
  readonly trainY: Uint8Array;
  readonly testTable: Table;
  readonly testY: Uint8Array;
  readonly rule?: ThresholdRule;
}

/**
 * Picks the best candidate: highest mean CV AUC, then lowest mean CV log loss, then the earlier one.
 *
 * @example
 * ```ts
 * import type { CandidateResult } from "./train_candidate.ts";
 * declare const results: readonly CandidateResult[];
 * selectCandidate(results).spec.name; // e.g. "gbt"
 * ```
 */
export function selectCandidate(results: readonly CandidateResult[]): CandidateResult {
  if (results.length === 0) throw new RangeError("no candidate was trained");
  return selectBest(results.map((result) => ({ ...result.cv, result }))).result;
}

/**
 * Selects, sets the threshold and evaluates on the test rows.
 *
 * @example
 * ```ts
 * declare const input: EvaluateInput;
 * const evaluation = evaluateRun({ ...input, rule: { by: "f1" } });
 * evaluation.test.auc;
 * ```
 */
export function evaluateRun(
  { results, trainTable, trainY, testTable, testY, rule = { by: "f1" } }: EvaluateInput,
): RunEvaluation {
  const selected = selectCandidate(results);
  const threshold = { ...chooseThreshold(selected.oof, trainY, rule), rule };
  const testProbabilities: Record<string, Float64Array> = {};
  // Read once: reading a tree ensemble compiles its trees, and the selected one also scores the training rows.
  const models = results.map((result) => FittedCandidate.fromJSON(result.fitted));
  const candidates = results.map((result, c) => {
    const probabilities = models[c].probabilities(testTable);
    testProbabilities[result.spec.name] = probabilities;
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
  const trainProbabilities = models[results.indexOf(selected)].probabilities(trainTable);
  return {
    selected: selected.spec.name,
    candidates,
    threshold,
    test: binaryReport(testProbabilities[selected.spec.name], testY, threshold.threshold),
    train: binaryReport(selected.oof, trainY, threshold.threshold),
    calibration: calibrationTable(testProbabilities[selected.spec.name], testY),
    psi: psi(trainProbabilities, testProbabilities[selected.spec.name]),
    trainProbabilities,
    testProbabilities,
  };
}
