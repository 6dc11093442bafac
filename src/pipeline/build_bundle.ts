/**
 * Assembles the model bundle of a run from its dataset, training rows,
 * selected candidate and evaluation.
 *
 * @module
 */
import type { Table } from "../data/table.ts";
import type { LinearModel } from "../models/linear.ts";
import { psi } from "../evaluate/psi.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleField, type ModelBundle, type PointsRow } from "../bundle/bundle.ts";
import type { Dataset } from "./dataset.ts";
import { featureReferenceOf } from "../bundle/feature_reference.ts";
import type { RunEvaluation } from "./evaluate_run.ts";
import { FittedCandidate } from "../bundle/fitted.ts";
import { pointsScaling, type PointsScalingOptions } from "../models/points.ts";
import type { CandidateResult } from "./train_candidate.ts";

/** Features that may legitimately be negative even when training saw none (returns lower them). */
const SIGNED_FEATURES = new Set(["monetary", "avg_amount", "qty_mean", "activity_trend"]);

/** What {@link buildBundle} needs. */
export interface BundleInput {
  readonly dataset: Dataset;
  readonly trainTable: Table;
  readonly trainY: Uint8Array;
  readonly selected: CandidateResult;
  readonly evaluation: RunEvaluation;
  readonly codeFingerprint: string;
  readonly scaling?: PointsScalingOptions;
}

/**
 * Builds the bundle of the selected candidate.
 *
 * @example
 * ```ts
 * declare const input: BundleInput;
 * const bundle = buildBundle(input);
 * bundle.candidate === input.evaluation.selected; // true
 * ```
 */
export function buildBundle(input: BundleInput): ModelBundle {
  const { dataset, trainTable, selected, evaluation } = input;
  const { basePoints, baseOdds, pdo } = pointsScaling(input.scaling);
  const scaling = { basePoints, baseOdds, pdo };
  const reference = psi(evaluation.trainProbabilities, evaluation.trainProbabilities).bins;
  const positives = dataset.y.reduce((sum, v) => sum + v, 0);
  const testReport = evaluation.test;
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    candidate: selected.spec.name,
    description: selected.spec.description,
    fields: dataset.fields.map((field) =>
      describeField(field.name, field.description, trainTable, input.trainY, dataset.definition.kind === "transactions")
    ),
    definition: dataset.definition,
    positiveLabel: dataset.positiveLabel,
    fitted: selected.fitted,
    scaling,
    threshold: { probability: evaluation.threshold.threshold, rule: evaluation.threshold.rule },
    // Only a scorecard reads its fitted form back (for a tree ensemble that would compile every tree for nothing).
    ...(selected.spec.family === "scorecard"
      ? { pointsTable: pointsTable(FittedCandidate.fromJSON(selected.fitted), scaling) }
      : {}),
    featureReference: featureReferenceOf(trainTable, dataset.fields.map((field) => field.name)),
    scoreReference: {
      edges: reference.slice(0, -1).map((bin) => bin.upper),
      shares: reference.map((bin) => bin.expected),
    },
    metrics: {
      cv: { meanAuc: selected.cv.meanAuc, stdAuc: selected.cv.stdAuc, meanLogloss: selected.cv.meanLogloss },
      test: {
        auc: testReport.auc,
        gini: testReport.gini,
        ks: testReport.ks,
        logloss: testReport.logloss,
        brier: testReport.brier,
        averagePrecision: testReport.averagePrecision,
        ...(testReport.atThreshold
          ? {
            precision: testReport.atThreshold.precision,
            recall: testReport.atThreshold.recall,
            f1: testReport.atThreshold.f1,
          }
          : {}),
      },
      trainRows: trainTable.rows,
      testRows: testReport.rows,
      basePositiveRate: positives / dataset.y.length,
    },
    fingerprints: { data: dataset.fingerprint, code: input.codeFingerprint },
  };
}

/**
 * A field's schema entry: training range or levels, and the reference value
 * reason codes compare with: the median (or most frequent level) among the
 * training customers who converted, so that a reason says what keeps a
 * customer from looking like a typical converter. (The median of all
 * customers is often a lapsed one, against whom an unlikely customer would
 * show no reason at all.)
 */
function describeField(
  name: string,
  description: string | undefined,
  table: Table,
  converted: Uint8Array,
  isCount: boolean,
): BundleField {
  const column = table.columns[name];
  const about = description ? { description } : {};
  if (column.kind === "categorical") {
    const levels = [...new Set(column.values.filter((value) => value !== null))].sort() as string[];
    const counts = new Map<string, number>();
    column.values.forEach((value, i) => {
      if (value !== null && converted[i] === 1) counts.set(value, (counts.get(value) ?? 0) + 1);
    });
    const reference = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    return { name, kind: "categorical", ...about, levels, reference };
  }
  const finite = column.values.filter((v) => Number.isFinite(v)).sort();
  const min = finite[0];
  const max = finite[finite.length - 1];
  return {
    name,
    kind: "numeric",
    ...about,
    ...(finite.length > 0 ? { min, max } : {}),
    ...(isCount && min >= 0 && !SIGNED_FEATURES.has(name) ? { nonNegative: true } : {}),
    reference: median(column.values.filter((v, i) => Number.isFinite(v) && converted[i] === 1).sort()),
  };
}

function median(sorted: Float64Array): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A scorecard's points per feature and bin: with log-odds `α + Σ β_j·woe_j`,
 * bin `i` of feature `j` is worth `factor·(β_j·woe_ij + α/n) + offset/n`
 * points, so a customer's points add up to `offset + factor·log-odds`.
 */
function pointsTable(fitted: FittedCandidate, scaling: PointsScalingOptions): PointsRow[] {
  const { factor, offset } = pointsScaling(scaling);
  const model = fitted.model as LinearModel;
  const outputs = fitted.preparation.outputs;
  const n = outputs.length;
  const alpha = model.intercept + fitted.logOddsShift;
  const bins = new Map(fitted.preparation.report.iv.map((entry) => [entry.feature, entry.bins]));
  return outputs.flatMap((output, j) =>
    (bins.get(output.feature) ?? []).map((bin) => ({
      feature: output.feature,
      bin: bin.label,
      woe: bin.woe,
      points: factor * (model.coefficients[j] * bin.woe + alpha / n) + offset / n,
    }))
  );
}
