/**
 * Population stability against stored reference bins: a model bundle keeps
 * the training distribution as bin edges and shares, so a batch is compared
 * with it without the training rows. `src/evaluate/psi.ts` cuts its bands
 * from a reference sample instead; both sum the same per-band term.
 *
 * @module
 */
import { binIndex } from "../models/bin_edges.ts";

/**
 * Share substituted for an empty band so the log stays finite (as `src/evaluate/psi.ts`).
 *
 * @example
 * ```ts
 * stability([0.5, 0.5], [1, 0]).contributions[1]; // (PSI_EPSILON − 0.5)·ln(PSI_EPSILON / 0.5)
 * ```
 */
export const PSI_EPSILON = 1e-4;

/**
 * PSI and each band's term.
 *
 * @example
 * ```ts
 * const { psi, contributions }: Stability = stability([0.5, 0.5], [0.7, 0.3]);
 * ```
 */
export interface Stability {
  readonly psi: number;
  /** (a − e)·ln(a / e) per band, with the epsilon applied. */
  readonly contributions: Float64Array;
}

/**
 * PSI = Σ (a_i − e_i)·ln(a_i / e_i) over bands given as shares; a share of 0
 * on either side counts as `epsilon`, which caps that band's term.
 *
 * @example
 * ```ts
 * stability([0.5, 0.5], [0.7, 0.3]).psi; // 0.2·ln(1.4) + 0.2·ln(5/3) ≈ 0.16946
 * ```
 */
export function stability(
  expected: ArrayLike<number>,
  actual: ArrayLike<number>,
  epsilon: number = PSI_EPSILON,
): Stability {
  if (expected.length !== actual.length) {
    throw new RangeError(`PSI: ${expected.length} expected shares but ${actual.length} actual shares`);
  }
  const contributions = new Float64Array(expected.length);
  let psi = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b], epsilon), a = Math.max(actual[b], epsilon);
    contributions[b] = (a - e) * Math.log(a / e);
    psi += contributions[b];
  }
  return { psi, contributions };
}

/**
 * Adds the band counts of `values` to `counts` (length `edges.length + 1`):
 * value `x` is in band `b` when `edges[b-1] < x <= edges[b]`, as
 * {@link binIndex}. Non-finite values are not counted; the number counted is
 * returned.
 *
 * @example
 * ```ts
 * const counts = new Float64Array(3);
 * countBands(new Float64Array([0.5, 1.5]), new Float64Array([0.2, 1, 2, 3, NaN]), counts); // 4
 * counts; // Float64Array [1, 1, 2]
 * ```
 */
export function countBands(edges: Float64Array, values: Float64Array, counts: Float64Array): number {
  let counted = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[binIndex(edges, v)]++;
    counted++;
  }
  return counted;
}

/**
 * Shares of counts (all zero when the total is zero).
 *
 * @example
 * ```ts
 * toShares(new Float64Array([1, 3])); // Float64Array [0.25, 0.75]
 * ```
 */
export function toShares(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let b = 0; b < counts.length; b++) total += counts[b];
  return Float64Array.from(counts, (c) => (total === 0 ? 0 : c / total));
}
