/**
 * Points scaling: scores as points that rise with the odds of converting,
 * `points = offset + factor · ln(odds)`, with `factor = pdo / ln 2` and
 * `offset = basePoints − factor · ln(baseOdds)` (the "points to double the
 * odds" convention of credit scorecards; the defaults put 600 points at odds
 * 50:1 and add 20 points per doubling).
 *
 * @module
 */

/** The scaling a bundle stores. */
export interface PointsScaling {
  readonly basePoints: number;
  readonly baseOdds: number;
  readonly pdo: number;
}

/** The defaults: 600 points at odds 50:1, 20 points to double the odds. */
export const DEFAULT_SCALING: PointsScaling = { basePoints: 600, baseOdds: 50, pdo: 20 };

/**
 * Factor and offset of a scaling.
 *
 * @example
 * ```ts
 * const { factor, offset } = scalingConstants(DEFAULT_SCALING);
 * offset + factor * Math.log(50); // 600
 * ```
 */
export function scalingConstants(scaling: PointsScaling): { factor: number; offset: number } {
  if (!(scaling.pdo > 0) || !(scaling.baseOdds > 0)) {
    throw new RangeError(`points scaling needs pdo > 0 and baseOdds > 0, got ${JSON.stringify(scaling)}`);
  }
  const factor = scaling.pdo / Math.LN2;
  return { factor, offset: scaling.basePoints - factor * Math.log(scaling.baseOdds) };
}
