/**
 * Population stability index between two score distributions.
 *
 * @module
 */
import { binIndex, quantileEdges } from "../models/bin_edges.ts";

/**
 * One score band of a {@link PsiResult}.
 *
 * @example
 * ```ts
 * const band: PsiBin = { lower: -Infinity, upper: 0.1, expected: 0.1, actual: 0.12, contribution: 0.0036 };
 * ```
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
 *
 * @example
 * ```ts
 * const result: PsiResult = psi(new Float64Array([1, 2, 3]), new Float64Array([2, 3, 4]));
 * ```
 */
export interface PsiResult {
  readonly psi: number;
  readonly bins: PsiBin[];
}

/**
 * Options of {@link psi}.
 *
 * @example
 * ```ts
 * const options: PsiOptions = { bins: 20, epsilon: 1e-6 };
 * ```
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
  const epsilon = options.epsilon ?? 1e-4;
  for (const [name, sample] of [["expected", expected], ["actual", actual]] as const) {
    if (sample.length === 0) throw new Error(`PSI: the ${name} sample is empty`);
    const bad = sample.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`PSI: ${name} score of row ${bad} is ${sample[bad]}`);
  }
  const edges = quantileEdges(expected, options.bins ?? 10);
  const shares = (sample: Float64Array): Float64Array => {
    const counts = new Float64Array(edges.length + 1);
    for (let i = 0; i < sample.length; i++) counts[binIndex(edges, sample[i])]++;
    return counts.map((c) => c / sample.length);
  };
  const e = shares(expected), a = shares(actual);
  const bins: PsiBin[] = [];
  let total = 0;
  for (let b = 0; b < e.length; b++) {
    const eb = Math.max(e[b], epsilon), ab = Math.max(a[b], epsilon);
    const contribution = (ab - eb) * Math.log(ab / eb);
    total += contribution;
    bins.push({
      lower: b === 0 ? -Infinity : edges[b - 1],
      upper: b === edges.length ? Infinity : edges[b],
      expected: e[b],
      actual: a[b],
      contribution,
    });
  }
  return { psi: total, bins };
}
