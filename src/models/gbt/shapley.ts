/**
 * Exact baseline (interventional) Shapley values of a tree ensemble against
 * one reference row: how much each player (a group of design columns, e.g. a
 * raw field and its one-hot columns) moves the log-odds from the reference
 * row's to the scored row's. They add up to `f(x) − f(r)` exactly.
 *
 * The value of a coalition S is `f(x_S, r_rest)`: the row with the players in
 * S taken from x and the others from r. A leaf is reached by such a hybrid row
 * exactly when the players x needs to get there (set A, where x and r part
 * ways and the path follows x) are in S and the players r needs (set B) are
 * not; a leaf needing one player on both sides is unreachable. That game's
 * Shapley values are closed-form: each member of A gains
 * `v·(|A|−1)!·|B|!/(|A|+|B|)!`, each member of B loses `v·|A|!·(|B|−1)!/(|A|+|B|)!`
 * (Chen, Lundberg & Lee, "Understanding Shapley value explanation algorithms
 * for trees", 2022; Sundararajan & Najmi, "The many Shapley values for model
 * explanation", 2020). So one walk of each tree with x and r together,
 * following both children only where they part on a player not yet decided,
 * gives the exact values; the walk also passes through x's own leaf (the one
 * with B empty), so the prediction comes from the same traversal.
 *
 * @module
 */
import type { TreeArrays } from "./model.ts";

/**
 * `coefficient[p·(n+1) + q] = (p−1)!·q!/(p+q)!` for `1 ≤ p`, `p + q ≤ n`: a
 * leaf's share for each member of a side with p players when the other side
 * has q (the other side's share is the same table read with p and q swapped).
 *
 * @example
 * ```ts
 * shareTable(2)[1 * 3 + 1]; // 0!·1!/2! = 0.5
 * ```
 */
export function shareTable(n: number): Float64Array {
  const factorial = [1];
  for (let k = 1; k <= n; k++) factorial.push(factorial[k - 1] * k);
  const table = new Float64Array((n + 1) * (n + 1));
  for (let p = 1; p <= n; p++) {
    for (let q = 0; p + q <= n; q++) table[p * (n + 1) + q] = factorial[p - 1] * factorial[q] / factorial[p + q];
  }
  return table;
}

/**
 * Explains rows of one ensemble against one reference row.
 *
 * @example
 * ```ts
 * import type { TreeArrays } from "./model.ts";
 * // One tree: "a > 0 and b > 0" is worth 1, anything else 0. The reference passes both, x fails both.
 * const trees: TreeArrays = {
 *   roots: new Int32Array([0]),
 *   feature: new Int32Array([0, -1, 2, -1, -1]),
 *   threshold: new Float64Array([0, 0, 0, 0, 0]),
 *   left: new Int32Array([1, -1, 3, -1, -1]),
 *   missingLeft: new Uint8Array(5),
 *   value: new Float64Array([0, 0, 0, 0, 1]),
 *   gain: new Float64Array(5),
 * };
 * const explainer = new TreeShapley(trees, new Int32Array([0, 1]), new Float64Array([1, 1]));
 * const out = new Float64Array(2);
 * explainer.explainRow(new Float64Array([-1, -1]), 0, out, 0); // 0 (x's leaf), out = [-0.5, -0.5]
 * ```
 */
export class TreeShapley {
  readonly #trees: TreeArrays;
  readonly #playerOf: Int32Array;
  readonly #reference: Float64Array;
  readonly #share: Float64Array;
  readonly #stride: number;
  readonly #sideA: Int32Array;
  readonly #sideB: Int32Array;

  /**
   * @param trees the ensemble's nodes
   * @param playerOf the player (0-based) of each design column the trees split on
   * @param reference the reference row's design values
   */
  constructor(trees: TreeArrays, playerOf: Int32Array, reference: Float64Array) {
    this.#trees = trees;
    this.#playerOf = playerOf;
    this.#reference = reference;
    const depth = treeDepth(trees);
    this.#share = shareTable(depth);
    this.#stride = depth + 1;
    this.#sideA = new Int32Array(depth + 1);
    this.#sideB = new Int32Array(depth + 1);
  }

  /**
   * Adds the Shapley value of each player to `out[outOffset + player]` for
   * the row `x[offset ..]`, and returns `start` plus the leaf values x
   * reaches, added tree by tree (with the base score as `start`, the row's
   * log-odds to the bit, as the model's own prediction adds them).
   */
  explainRow(x: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number, start = 0): number {
    const roots = this.#trees.roots;
    let sum = start;
    for (let t = 0; t < roots.length; t++) sum += this.#walk(roots[t], x, offset, 0, 0, out, outOffset);
    return sum;
  }

  /** Explains one tree from `node`, with `a` players decided for x's side and `b` for r's so far. */
  #walk(
    node: number,
    x: ArrayLike<number>,
    offset: number,
    a: number,
    b: number,
    out: Float64Array,
    o: number,
  ): number {
    const { feature, threshold, left, missingLeft, value } = this.#trees;
    const r = this.#reference;
    const sideA = this.#sideA, sideB = this.#sideB;
    let f: number;
    while ((f = feature[node]) >= 0) {
      const t = threshold[node];
      const xv = x[offset + f], rv = r[f];
      const missingGoesLeft = missingLeft[node] === 1;
      const xLeft = xv <= t || (missingGoesLeft && xv !== xv);
      const rLeft = rv <= t || (missingGoesLeft && rv !== rv);
      const xChild = xLeft ? left[node] : left[node] + 1;
      if (xLeft === rLeft) {
        node = xChild;
        continue;
      }
      const rChild = rLeft ? left[node] : left[node] + 1;
      const player = this.#playerOf[f];
      if (contains(sideA, a, player)) {
        node = xChild;
        continue;
      }
      if (contains(sideB, b, player)) {
        node = rChild;
        continue;
      }
      sideA[a] = player;
      const reached = this.#walk(xChild, x, offset, a + 1, b, out, o);
      sideB[b] = player;
      return reached + this.#walk(rChild, x, offset, a, b + 1, out, o);
    }
    const v = value[node];
    if (a > 0) {
      const gain = v * this.#share[a * this.#stride + b];
      for (let k = 0; k < a; k++) out[o + sideA[k]] += gain;
    }
    if (b > 0) {
      const loss = v * this.#share[b * this.#stride + a];
      for (let k = 0; k < b; k++) out[o + sideB[k]] -= loss;
    }
    return b === 0 ? v : 0;
  }
}

function contains(side: Int32Array, size: number, player: number): boolean {
  for (let k = 0; k < size; k++) if (side[k] === player) return true;
  return false;
}

/**
 * Split nodes on the longest root-to-leaf path of any tree.
 *
 * @example
 * ```ts
 * import type { TreeArrays } from "./model.ts";
 * const stump: TreeArrays = {
 *   roots: new Int32Array([0]), feature: new Int32Array([0, -1, -1]), threshold: new Float64Array(3),
 *   left: new Int32Array([1, -1, -1]), missingLeft: new Uint8Array(3), value: new Float64Array(3), gain: new Float64Array(3),
 * };
 * treeDepth(stump); // 1
 * ```
 */
export function treeDepth(trees: TreeArrays): number {
  const { roots, feature, left } = trees;
  const depth = new Int32Array(feature.length);
  let deepest = 0;
  // Children always come after their parent (checked when the model is built), so one forward pass suffices.
  const isRoot = new Uint8Array(feature.length);
  for (const root of roots) isRoot[root] = 1;
  for (let k = 0; k < feature.length; k++) {
    if (isRoot[k]) depth[k] = 0;
    if (feature[k] < 0) {
      deepest = Math.max(deepest, depth[k]);
      continue;
    }
    depth[left[k]] = depth[left[k] + 1] = depth[k] + 1;
  }
  return deepest;
}
