/**
 * The candidate models a run compares: each is a preparation (how features
 * become a design matrix) plus a model family with fixed hyper-parameters.
 * Plain data, so a candidate can travel to a Worker and into a tracking run's
 * params.
 *
 * @module
 */
import type { PreparationOptions } from "../prep/preparation.ts";

/** The model families. */
export type ModelFamily = "ml-logistic-regression" | "logistic" | "scorecard" | "gbt";

/** One candidate: its name, preparation and model. */
export interface CandidateSpec {
  readonly name: string;
  readonly family: ModelFamily;
  /** Hyper-parameters of the family (numbers only, so they log as MLflow params). */
  readonly params: Readonly<Record<string, number>>;
  readonly preparation: PreparationOptions;
  /** Monotone constraints by feature name (+1 / −1), for the families that take them (gbt). */
  readonly monotone?: Readonly<Record<string, number>>;
  /** One line for reports. */
  readonly description: string;
}

/**
 * The default candidates, the seed's two (a logistic regression and a boosted
 * tree ensemble) and two more:
 * - `ml-logistic-regression`: the npm library the design names. It has no
 *   sample weights, so imbalance is handled by random over-sampling of the
 *   minority class (train split only), with the prior corrected afterwards;
 *   it is slow per row (each of its gradient steps transposes the whole
 *   matrix), so it trains on a stratified sample of at most 2,000 rows.
 * - `logistic`: maximum-likelihood L2 logistic regression (scikit-learn's objective, C = 1).
 * - `scorecard`: the same regression on WoE-binned features, scaled to points.
 * - `gbt`: histogram gradient-boosted trees with early stopping; trees need no
 *   clipping, transforms or scaling, and handle missing values themselves.
 */
export const CANDIDATES: readonly CandidateSpec[] = [
  {
    name: "ml-logistic-regression",
    family: "ml-logistic-regression",
    params: { numSteps: 30, stepSize: 1, maxRows: 2_000 },
    preparation: { encoding: "onehot", imbalance: { method: "over", seed: 7 } },
    description:
      "npm ml-logistic-regression (30 gradient steps, ≤ 2,000 sampled rows) on one-hot + standardised features, over-sampled",
  },
  {
    name: "logistic",
    family: "logistic",
    params: { C: 1 },
    preparation: { encoding: "onehot" },
    description:
      "L2 logistic regression (Newton, C = 1) on imputed, clipped, transformed, one-hot, standardised features",
  },
  {
    name: "scorecard",
    family: "scorecard",
    params: { C: 1 },
    preparation: { encoding: "woe" },
    description: "WoE scorecard: monotonic bins, IV selection, L2 logistic regression on WoE, points scaling",
  },
  {
    name: "gbt",
    family: "gbt",
    params: { nEstimators: 300, maxDepth: 4, learningRate: 0.1, lambda: 1, minChildWeight: 1, earlyStoppingRounds: 20 },
    preparation: { encoding: "onehot", impute: false, clip: false, transform: false, scale: false, selection: false },
    description: "histogram gradient-boosted trees (second-order, depth 4, shrinkage 0.1, early stopping)",
  },
];

/**
 * The named candidates, in the default order; an unknown name is an error listing the known ones.
 *
 * @example
 * ```ts
 * chooseCandidates(["gbt", "logistic"]).map((c) => c.name); // ["logistic", "gbt"]
 * ```
 */
export function chooseCandidates(names?: readonly string[]): CandidateSpec[] {
  if (names === undefined || names.length === 0) return [...CANDIDATES];
  const known = CANDIDATES.map((candidate) => candidate.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new RangeError(`unknown candidate(s) ${unknown.join(", ")}; known: ${known.join(", ")}`);
  }
  return CANDIDATES.filter((candidate) => names.includes(candidate.name));
}
