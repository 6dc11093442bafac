/**
 * The charts of a training run, as SVG markup keyed by file name: ROC of
 * every candidate, KS, calibration (train out-of-fold and test), confusion
 * matrix, score distribution by class, and the selected model's coefficients
 * (or the trees' split gains), or the scorecard's points range per feature.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import { barChart } from "../evaluate/charts/bars.ts";
import { calibrationChart } from "../evaluate/charts/calibration.ts";
import { confusionChart } from "../evaluate/charts/confusion.ts";
import { ksChart } from "../evaluate/charts/ks.ts";
import { rocChart } from "../evaluate/charts/roc.ts";
import { scoreDistributionChart } from "../evaluate/charts/score_distribution.ts";
import { calibrationTable } from "../evaluate/calibration.ts";
import { scoreCurve } from "../evaluate/curve.ts";
import { rocCurve } from "../evaluate/roc.ts";
import { GradientBoostingModel } from "../models/gbt/model.ts";
import type { LinearModel } from "../models/linear.ts";
import type { ModelBundle } from "../bundle/bundle.ts";
import type { RunEvaluation } from "./evaluate_run.ts";
import { FittedCandidate } from "../bundle/fitted.ts";
import { Scorer } from "../bundle/scorer.ts";
import type { CandidateResult } from "./train_candidate.ts";

/** What {@link runCharts} needs. */
export interface ChartsInput {
  readonly results: readonly CandidateResult[];
  readonly evaluation: RunEvaluation;
  readonly bundle: ModelBundle;
  readonly trainY: Uint8Array;
  readonly testTable: Table;
  readonly testY: Uint8Array;
}

/**
 * Renders the run's charts.
 *
 * @example
 * ```ts
 * declare const input: ChartsInput;
 * const charts = runCharts(input);
 * Object.keys(charts); // ["roc.svg", "ks.svg", ...]
 * ```
 */
export function runCharts(input: ChartsInput): Record<string, string> {
  const { results, evaluation, bundle, trainY, testTable, testY } = input;
  const selected = results.find((result) => result.spec.name === evaluation.selected)!;
  const probabilities = evaluation.testProbabilities[evaluation.selected];
  const points = new Scorer(bundle).scoreTable(testTable, { reasons: 0 }).points;
  const charts: Record<string, string> = {
    "roc.svg": rocChart(results.map((result) => {
      const p = evaluation.testProbabilities[result.spec.name];
      return {
        name: result.spec.name,
        curve: rocCurve(p, testY),
        auc: evaluation.candidates.find((c) => c.name === result.spec.name)!.test.auc,
      };
    })),
    "ks.svg": ksChart(scoreCurve(probabilities, testY), { scoreLabel: "probability of converting" }),
    "calibration.svg": calibrationChart([
      { name: "train (out-of-fold)", table: calibrationTable(selected.oof, trainY) },
      { name: "test", table: evaluation.calibration },
    ]),
    "confusion.svg": confusionChart(evaluation.test.atThreshold!, { negative: "no conversion", positive: "converts" }),
    "score_distribution.svg": scoreDistributionChart(points, testY, {
      scoreLabel: "score (points)",
      classNames: ["no conversion", "converts"],
    }),
  };
  const weights = featureWeights(selected, bundle);
  if (weights.length > 0) charts["feature_weights.svg"] = barChart(weights.bars, { label: weights.label });
  return charts;
}

/** Coefficients of a linear model, or the points range per feature of a scorecard; none for trees. */
function featureWeights(selected: CandidateResult, bundle: ModelBundle) {
  if (bundle.pointsTable) {
    const range = new Map<string, [number, number]>();
    for (const row of bundle.pointsTable) {
      const [low, high] = range.get(row.feature) ?? [Infinity, -Infinity];
      range.set(row.feature, [Math.min(low, row.points), Math.max(high, row.points)]);
    }
    const bars = [...range].map(([name, [low, high]]) => ({ name, value: high - low }));
    return { label: "points range per feature (max − min bin points)", bars, length: bars.length };
  }
  const model = FittedCandidate.fromJSON(selected.fitted).model;
  if (model instanceof GradientBoostingModel) {
    const gains = model.importance();
    const bars = model.names.map((name, j) => ({ name, value: gains[j] }));
    return { label: "total split gain (importance)", bars, length: bars.length };
  }
  const linear = model as LinearModel;
  const bars = linear.names.map((name, j) => ({ name, value: linear.coefficients[j] }));
  return { label: "coefficient (prepared inputs)", bars, length: bars.length };
}
