/**
 * Points scaling of scorecards ("PDO" scaling): a model's log-odds mapped
 * linearly to points, so that `basePoints` corresponds to odds `baseOdds`
 * and every `pdo` points double the odds.
 *
 * Convention: odds are of class 1 against class 0 (here, "buys again" against
 * "does not"), so more points mean a likelier positive; this is the
 * credit-scoring layout with class 1 in the role of "good". With the defaults
 * (600 points at 50:1, 20 points to double) `factor = 20 / ln 2 ≈ 28.85` and
 * `offset = 600 − factor·ln 50 ≈ 487.12`. Per-attribute points of a WoE
 * scorecard are built on these (`factor·β_j·woe_ij` plus a share of the
 * intercept and offset).
 *
 * @module
 */

/**
 * Options of {@link pointsScaling}.
 */
export interface PointsScalingOptions {
  /** Points at `baseOdds` (default 600). */
  readonly basePoints?: number;
  /** Odds of class 1 : class 0 that score `basePoints` (default 50). */
  readonly baseOdds?: number;
  /** Points to double the odds (default 20). */
  readonly pdo?: number;
}

/**
 * A resolved scaling: `points = offset + factor · logOdds`.
 */
export interface PointsScaling {
  readonly basePoints: number;
  readonly baseOdds: number;
  readonly pdo: number;
  /** Points per unit of log-odds: `pdo / ln 2`. */
  readonly factor: number;
  /** Points at log-odds 0 (odds 1:1): `basePoints − factor · ln(baseOdds)`. */
  readonly offset: number;
  /** Points of a log-odds value. */
  toPoints(logOdds: number): number;
  /** Log-odds of a points value. */
  toLogOdds(points: number): number;
  /** Probability of class 1 at a points value. */
  toProbability(points: number): number;
}

/**
 * Resolves a points scaling.
 *
 * @example
 * ```ts
 * const s = pointsScaling();
 * s.toPoints(Math.log(50)); // 600
 * s.toPoints(Math.log(100)); // 620
 * s.toProbability(600); // 50 / 51
 * ```
 */
export function pointsScaling(options: PointsScalingOptions = {}): PointsScaling {
  const basePoints = options.basePoints ?? 600;
  const baseOdds = options.baseOdds ?? 50;
  const pdo = options.pdo ?? 20;
  if (!Number.isFinite(basePoints)) {
    throw new RangeError(`points scaling: basePoints must be finite, got ${basePoints}`);
  }
  if (!(baseOdds > 0 && baseOdds < Infinity)) {
    throw new RangeError(`points scaling: baseOdds must be > 0, got ${baseOdds}`);
  }
  if (!(pdo !== 0 && Number.isFinite(pdo))) {
    throw new RangeError(`points scaling: pdo must be finite and non-zero, got ${pdo}`);
  }
  const factor = pdo / Math.LN2;
  const offset = basePoints - factor * Math.log(baseOdds);
  const toLogOdds = (points: number) => (points - offset) / factor;
  return {
    basePoints,
    baseOdds,
    pdo,
    factor,
    offset,
    toPoints: (logOdds) => offset + factor * logOdds,
    toLogOdds,
    toProbability: (points) => 1 / (1 + Math.exp(-toLogOdds(points))),
  };
}
