/**
 * Population stability index between two score distributions.
 *
 * @module
 */
import { binIndex, quantileEdges } from "../stats/bin_edges.ts";
import { DataError } from "../data/errors.ts";

/**
 * One score band of a {@link PsiResult}.
 */
export interface PsiBin {
  /** Band bounds, `lower < score <= upper`; the outer bands are open (±Infinity). */
  readonly lower: number;
  readonly upper: number;
  /** Shares of each sample in the band (before the empty-band epsilon). */
  readonly expected: number;
  readonly actual: number;
  /** (actual − expected)·ln(actual / expected), with the epsilon applied. */
  readonly contribution: number;
}

/**
 * PSI and its per-band breakdown.
 */
export interface PsiResult {
  readonly psi: number;
  readonly bins: PsiBin[];
}

/**
 * Options of {@link psi}.
 */
export interface PsiOptions {
  /** Number of bands, cut at the expected sample's quantiles (default 10). */
  readonly bins?: number;
  /** Share substituted for an empty band so the log stays finite (default 1e-4). */
  readonly epsilon?: number;
}

/**
 * PSI = Σ (a_i − e_i)·ln(a_i / e_i) over score bands cut at the quantiles of
 * the expected (reference, e.g. train) scores, so each band holds about
 * 1/bins of it. A band empty in either sample gets share `epsilon` instead of
 * 0 (toad and optbinning do the same with their own constants), which caps its
 * contribution instead of making PSI infinite. Rule of thumb (Siddiqi):
 * < 0.10 stable, 0.10–0.25 investigate, > 0.25 shifted.
 *
 * @example
 * ```ts
 * const same = psi(new Float64Array([1, 2, 3, 4]), new Float64Array([1, 2, 3, 4]), { bins: 2 });
 * same.psi; // 0
 * ```
 */
export function psi(expected: Float64Array, actual: Float64Array, options: PsiOptions = {}): PsiResult {
  for (const [name, sample] of [["expected", expected], ["actual", actual]] as const) {
    if (sample.length === 0) throw new DataError(`PSI: the ${name} sample is empty`);
    const bad = sample.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError(`PSI: ${name} score of row ${bad} is ${sample[bad]}`);
  }
  const edges = quantileEdges(expected, options.bins ?? 10);
  const shares = (sample: Float64Array): Float64Array => {
    const counts = new Float64Array(edges.length + 1);
    countBands(edges, sample, counts);
    return toShares(counts);
  };
  const e = shares(expected), a = shares(actual);
  const { psi: total, contributions } = stability(e, a, options.epsilon ?? PSI_EPSILON);
  const bins: PsiBin[] = Array.from(e, (_, b) => ({
    lower: b === 0 ? -Infinity : edges[b - 1],
    upper: b === edges.length ? Infinity : edges[b],
    expected: e[b],
    actual: a[b],
    contribution: contributions[b],
  }));
  return { psi: total, bins };
}

/**
 * Share substituted for an empty band so the log stays finite.
 *
 * @example
 * ```ts
 * stability([0.5, 0.5], [1, 0]).contributions[1]; // (PSI_EPSILON − 0.5)·ln(PSI_EPSILON / 0.5)
 * ```
 */
export const PSI_EPSILON = 1e-4;

/**
 * PSI and each band's term.
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
