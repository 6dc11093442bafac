/**
 * Finds a node's best split from its histogram of packed gradient / hessian
 * sums (see `quantize.ts`): for every feature, every cut
 * between value bins, with the missing bin sent left or right (the learned
 * default direction), maximising XGBoost's second-order gain
 * `½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]`.
 *
 * Monotone constraints follow XGBoost: a node carries bounds its leaf values
 * must stay within; child weights are clipped to them, a split on a
 * constrained feature whose left and right weights go the wrong way is not a
 * candidate, and the gain is computed from the clipped weights.
 *
 * @module
 */

import type { PackScale } from "./quantize.ts";

/** Relative score differences below this are rounding, not a better cut. */
const ROUNDING = 1e-12;

/**
 * A chosen split: rows with `bin <= bin` (and missing ones when `missingLeft`) go left.
 */
export interface SplitChoice {
  readonly feature: number;
  readonly bin: number;
  readonly missingLeft: boolean;
  readonly gain: number;
  /** Gradient and hessian sums of the left child. */
  readonly gradLeft: number;
  readonly hessLeft: number;
}

/**
 * Split constraints.
 */
export interface SplitRules {
  readonly lambda: number;
  readonly minChildWeight: number;
  /** Smallest gain worth a split (XGBoost's `gamma`). */
  readonly minGain: number;
}

/**
 * Monotone constraints as a node sees them.
 */
export interface NodeBounds {
  /** Per feature: +1 (values must not decrease along it), −1 (not increase) or 0. */
  readonly monotone: Int8Array;
  /** Bounds on the node's leaf weights (before shrinkage). */
  readonly lower: number;
  readonly upper: number;
}

/**
 * A leaf's weight `−G/(H+λ)`, clipped to `[lower, upper]`.
 *
 * @example
 * ```ts
 * [leafWeight(-4, 1, 1), leafWeight(-4, 1, 1, -1, 1)]; // [2, 1]
 * ```
 */
export function leafWeight(G: number, H: number, lambda: number, lower = -Infinity, upper = Infinity): number {
  return Math.min(upper, Math.max(lower, -G / (H + lambda)));
}

/** The loss reduction term of a leaf of weight `w`: `G²/(H+λ)` at the unclipped weight. */
function weightScore(G: number, H: number, w: number, lambda: number): number {
  return -(2 * G * w + (H + lambda) * w * w);
}

/**
 * The best split of a node with gradient sum `G` and hessian sum `H`, or
 * `undefined` when none meets the rules. `valueBins[f]` is feature `f`'s
 * number of value bins and `offsets[f]` where its slots start in `hist`
 * (see `histogramLayout`); `scale` decodes the packed sums. When a feature had no missing rows in the node,
 * missing values at prediction time follow the heavier child. With `bounds`,
 * splits obey monotone constraints (see the module notes). Of cuts whose
 * scores differ only by rounding, the first is kept, so that summing the same
 * rows in another order does not change the tree.
 *
 * @example
 * ```ts
 * // One feature, bin 0: G=-2,H=1; bin 1: G=2,H=1; no missing rows (packed as G·16 + H).
 * const hist = new Float64Array([-2 * 16 + 1, 2 * 16 + 1, 0]);
 * const scale = { K: 16, invK: 1 / 16, gUnit: 1, hUnit: 1, gStep: 1, hStep: 1 };
 * bestSplit(hist, new Int32Array([0]), new Int32Array([2]), 0, 2, { lambda: 0, minChildWeight: 0, minGain: 0 }, scale)
 *   ?.gain; // 4
 * ```
 */
export function bestSplit(
  hist: Float64Array,
  offsets: Int32Array,
  valueBins: Int32Array,
  G: number,
  H: number,
  rules: SplitRules,
  scale: PackScale,
  bounds?: NodeBounds,
): SplitChoice | undefined {
  const { lambda, minChildWeight } = rules;
  const { K, invK, gUnit, hUnit } = scale;
  const parentScore = bounds
    ? weightScore(G, H, leafWeight(G, H, lambda, bounds.lower, bounds.upper), lambda)
    : G * G / (H + lambda);
  let best: SplitChoice | undefined;
  // XGBoost's kRtEps: gains below 1e-6 are rounding noise, not structure.
  let bestScore = parentScore + 2 * Math.max(rules.minGain, 1e-6);
  // Hessian sums that differ from 0 only by rounding are empty children.
  const empty = 1e-12 * H;
  for (let f = 0; f < valueBins.length; f++) {
    const nb = valueBins[f];
    const direction = bounds ? bounds.monotone[f] : 0;
    const offset = offsets[f];
    const missing = hist[offset + nb];
    const mq = Math.floor(missing * invK);
    const gm = mq * gUnit, hm = (missing - mq * K) * hUnit;
    const hasMissing = missing !== 0;
    let leftPacked = 0, gl = 0, hl = 0;
    // With missing rows, the last cut (all values left, missing right) is a split too.
    const lastCut = hasMissing ? nb - 1 : nb - 2;
    for (let b = 0; b <= lastCut; b++) {
      const packed = hist[offset + b];
      // An empty bin leaves both children as the previous cut had them: the same score, never a better one. Deep
      // nodes and small data leave most bins empty.
      if (packed === 0) continue;
      // Summed packed (exact integers), decoded once per cut.
      leftPacked += packed;
      const gq = Math.floor(leftPacked * invK);
      gl = gq * gUnit;
      hl = (leftPacked - gq * K) * hUnit;
      for (let side = 0; side < (hasMissing ? 2 : 1); side++) {
        const gL = side ? gl + gm : gl, hL = side ? hl + hm : hl;
        const gR = G - gL, hR = H - hL;
        if (hL < minChildWeight || hR < minChildWeight || hL <= empty || hR <= empty) continue;
        let score: number;
        if (bounds) {
          const wL = leafWeight(gL, hL, lambda, bounds.lower, bounds.upper);
          const wR = leafWeight(gR, hR, lambda, bounds.lower, bounds.upper);
          if ((direction > 0 && wL > wR) || (direction < 0 && wL < wR)) continue;
          score = weightScore(gL, hL, wL, lambda) + weightScore(gR, hR, wR, lambda);
        } else {
          score = gL * gL / (hL + lambda) + gR * gR / (hR + lambda);
        }
        if (score > bestScore + ROUNDING * Math.abs(bestScore)) {
          bestScore = score;
          best = {
            feature: f,
            bin: b,
            missingLeft: hasMissing ? side === 1 : hl >= H - hl,
            gain: 0,
            gradLeft: gL,
            hessLeft: hL,
          };
        }
      }
    }
  }
  return best && { ...best, gain: 0.5 * (bestScore - parentScore) };
}
