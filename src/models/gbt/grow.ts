/**
 * Grows one regression tree on gradient / hessian statistics, best-first
 * (the leaf with the largest gain is split next, as LightGBM and
 * scikit-learn's HistGradientBoosting), within a depth and a leaf budget.
 *
 * Rows are kept in one index array, each node owning a contiguous range that
 * a split partitions stably in place; a node's histogram is built only for the
 * smaller child (the larger one is parent − smaller), and not at all for
 * children that cannot be split further. Splits are chosen on quantized
 * gradient / hessian sums (see `quantize.ts`); leaf values come from the
 * exact gradients of each leaf's rows.
 *
 * Under monotone constraints (XGBoost's semantics) each node carries bounds
 * on its leaf weights: a split on a feature constrained to increase caps its
 * left subtree's weights and floors its right subtree's at the midpoint of
 * the two children's weights (the reverse for a decreasing constraint), so
 * every leaf to the right of a cut stays at or above every leaf to its left.
 *
 * @module
 */
import { bestSplit, leafWeight, type NodeBounds, type SplitChoice, type SplitRules } from "./best_split.ts";
import { buildHistogram, type FeatureBins, subtractHistogram } from "./histogram.ts";
import { type PackScale, unpackSums } from "./quantize.ts";

/**
 * Limits and penalties of one tree.
 */
export interface TreeRules extends SplitRules {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  /** Shrinkage applied to the leaf values. */
  readonly learningRate: number;
}

/**
 * The nodes of a whole ensemble, appended tree after tree; a split's right child is `left + 1`.
 */
export interface NodeStore {
  /** Split feature, or -1 for a leaf. */
  readonly feature: number[];
  /** Rows with `bin <= bin` go left (binned data). */
  readonly bin: number[];
  /** Rows with `x <= threshold` go left (raw data); equivalent to `bin`. */
  readonly threshold: number[];
  readonly left: number[];
  /** 1 when missing values go left. */
  readonly missingLeft: number[];
  /** Leaf value (shrinkage applied), 0 for splits. */
  readonly value: number[];
  /** Split gain, 0 for leaves. */
  readonly gain: number[];
}

/**
 * Everything the grower reads, fixed for the whole fit.
 *
 * @example
 * ```ts
 * import { featureBins } from "./histogram.ts";
 * const valueBins = new Int32Array([2]), offsets = new Int32Array([0]);
 * const data: GrowData = {
 *   bins: featureBins(new Uint8Array([0, 1]), 2, valueBins, offsets), edges: [new Float64Array([0.5])],
 *   valueBins, offsets,
 *   rules: { maxDepth: 1, maxLeaves: 2, learningRate: 1, lambda: 0, minChildWeight: 0, minGain: 0 },
 * };
 * ```
 */
export interface GrowData {
  /** The binned design matrix (histograms and partitions read it). */
  readonly bins: FeatureBins;
  /** Cut points per feature, to turn a bin split into a raw threshold. */
  readonly edges: readonly Float64Array[];
  /** Number of value bins per feature; missing values are coded `valueBins[f]`. */
  readonly valueBins: Int32Array;
  /** Where each feature's slots start in a histogram (see `histogramLayout`). */
  readonly offsets: Int32Array;
  readonly rules: TreeRules;
  /** Per feature +1 / −1 / 0 monotone constraints; absent when there are none. */
  readonly monotone?: Int8Array;
}

/**
 * A finished leaf: its rows are `order[start..end)`.
 */
export interface GrownLeaf {
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

interface Leaf {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly depth: number;
  /** Quantized gradient and hessian sums of the node's rows. */
  readonly G: number;
  readonly H: number;
  /** Bounds on the leaf weight from monotone constraints above it. */
  readonly lower: number;
  readonly upper: number;
  hist?: Float64Array;
  split?: SplitChoice;
}

/**
 * An empty node store.
 *
 * @example
 * ```ts
 * emptyNodeStore().feature.length; // 0
 * ```
 */
export function emptyNodeStore(): NodeStore {
  return { feature: [], bin: [], threshold: [], left: [], missingLeft: [], value: [], gain: [] };
}

function addLeafNode(store: NodeStore): number {
  store.feature.push(-1);
  store.bin.push(0);
  store.threshold.push(0);
  store.left.push(-1);
  store.missingLeft.push(0);
  store.value.push(0);
  store.gain.push(0);
  return store.feature.length - 1;
}

/**
 * Reuses histogram buffers (of `size` doubles) across nodes and trees, so
 * that small nodes do not pay for an allocation each.
 *
 * @example
 * ```ts
 * const pool = new HistogramPool(6);
 * pool.take().length; // 6
 * ```
 */
export class HistogramPool {
  readonly #free: Float64Array[] = [];
  constructor(readonly size: number) {}
  take(): Float64Array {
    const hist = this.#free.pop();
    if (!hist) return new Float64Array(this.size);
    hist.fill(0);
    return hist;
  }
  give(hist: Float64Array): void {
    this.#free.push(hist);
  }
}

/**
 * Grows one tree over the rows `order[0..n)` (partitioned in place), appends
 * its nodes to `store` (root first) and returns its leaves. `packed` holds
 * the rows' quantized gradient / hessian pairs and `scale` decodes them
 * (see `packScale`); `grad` and `hess` are the exact values, for the leaves.
 *
 * @example
 * ```ts
 * import { featureBins } from "./histogram.ts";
 * import { packScale } from "./quantize.ts";
 * const valueBins = new Int32Array([2]), offsets = new Int32Array([0]);
 * const data = { bins: featureBins(new Uint8Array([0, 0, 1, 1]), 4, valueBins, offsets), edges: [new Float64Array([0.5])],
 *   valueBins, offsets, rules: { maxDepth: 1, maxLeaves: 2, learningRate: 1, lambda: 0, minChildWeight: 0, minGain: 0 } };
 * const grad = new Float64Array([-1, -1, 1, 1]), hess = new Float64Array([1, 1, 1, 1]);
 * const scale = packScale(4, 1, 1);
 * const packed = grad.map((g, i) => Math.floor(g * scale.gStep + 0.5) * scale.K + Math.floor(hess[i] * scale.hStep + 0.5));
 * const order = new Uint32Array([0, 1, 2, 3]);
 * const leaves = growTree(data, emptyNodeStore(), new HistogramPool(3), order, 4, grad, hess, packed, scale,
 *   new Uint32Array(4));
 * leaves.map((l) => l.value); // [1, -1]
 * ```
 */
export function growTree(
  data: GrowData,
  store: NodeStore,
  pool: HistogramPool,
  order: Uint32Array,
  n: number,
  grad: Float64Array,
  hess: Float64Array,
  packed: Float64Array,
  scale: PackScale,
  scratch: Uint32Array,
): GrownLeaf[] {
  const { rules, bins } = data;
  let total = 0;
  for (let k = 0; k < n; k++) total += packed[order[k]];
  const [G, H] = unpackSums(total, scale);
  const splittable = (depth: number, h: number, leaves: number) =>
    depth < rules.maxDepth && h >= 2 * rules.minChildWeight && leaves < rules.maxLeaves;
  const root: Leaf = { node: addLeafNode(store), start: 0, end: n, depth: 0, G, H, lower: -Infinity, upper: Infinity };
  const { monotone } = data;
  const bounds = (leaf: Leaf): NodeBounds | undefined => monotone && { monotone, lower: leaf.lower, upper: leaf.upper };
  const leaves: Leaf[] = [root];
  if (splittable(0, H, 1)) {
    root.hist = pool.take();
    buildHistogram(root.hist, bins, data.offsets, order, 0, n, packed);
    root.split = bestSplit(root.hist, data.offsets, data.valueBins, G, H, rules, scale, bounds(root));
  }
  while (leaves.length < rules.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const split = leaves[i].split;
      if (split && (pick < 0 || split.gain > leaves[pick].split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const parent = leaves[pick];
    const split = parent.split!;
    const mid = partition(order, parent.start, parent.end, bins, split, data.valueBins[split.feature], scratch);
    const leftNode = addLeafNode(store);
    addLeafNode(store);
    const edges = data.edges[split.feature];
    store.feature[parent.node] = split.feature;
    store.bin[parent.node] = split.bin;
    // The last cut (values left, missing right) has no upper edge: every finite value goes left.
    store.threshold[parent.node] = split.bin < edges.length ? edges[split.bin] : Number.MAX_VALUE;
    store.left[parent.node] = leftNode;
    store.missingLeft[parent.node] = split.missingLeft ? 1 : 0;
    store.gain[parent.node] = split.gain;
    const depth = parent.depth + 1;
    const GL = split.gradLeft, HL = split.hessLeft, GR = parent.G - GL, HR = parent.H - HL;
    let { lower: leftLower, upper: leftUpper } = parent, { lower: rightLower, upper: rightUpper } = parent;
    const direction = monotone ? monotone[split.feature] : 0;
    if (direction !== 0) {
      const between = (leafWeight(GL, HL, rules.lambda, parent.lower, parent.upper) +
        leafWeight(GR, HR, rules.lambda, parent.lower, parent.upper)) / 2;
      if (direction > 0) leftUpper = rightLower = between;
      else leftLower = rightUpper = between;
    }
    const left: Leaf = {
      node: leftNode,
      start: parent.start,
      end: mid,
      depth,
      G: GL,
      H: HL,
      lower: leftLower,
      upper: leftUpper,
    };
    const right: Leaf = {
      node: leftNode + 1,
      start: mid,
      end: parent.end,
      depth,
      G: GR,
      H: HR,
      lower: rightLower,
      upper: rightUpper,
    };
    const count = leaves.length + 1;
    const needLeft = splittable(depth, left.H, count), needRight = splittable(depth, right.H, count);
    if (needLeft || needRight) {
      const [small, large] = mid - parent.start <= parent.end - mid ? [left, right] : [right, left];
      small.hist = pool.take();
      buildHistogram(small.hist, bins, data.offsets, order, small.start, small.end, packed);
      subtractHistogram(parent.hist!, small.hist);
      large.hist = parent.hist;
      parent.hist = undefined;
      for (const child of [left, right]) {
        if (child === left ? needLeft : needRight) {
          child.split = bestSplit(
            child.hist!,
            data.offsets,
            data.valueBins,
            child.G,
            child.H,
            rules,
            scale,
            bounds(child),
          );
        }
      }
    }
    if (parent.hist) pool.give(parent.hist);
    leaves.splice(pick, 1, left, right);
  }
  return leaves.map((leaf) => {
    if (leaf.hist) pool.give(leaf.hist);
    let g = 0, h = 0;
    for (let k = leaf.start; k < leaf.end; k++) {
      g += grad[order[k]];
      h += hess[order[k]];
    }
    const value = leafWeight(g, h, rules.lambda, leaf.lower, leaf.upper) * rules.learningRate;
    store.value[leaf.node] = value;
    return { start: leaf.start, end: leaf.end, value };
  });
}

/** Stable in-place partition of `order[start..end)` by a split; returns the first right index. */
function partition(
  order: Uint32Array,
  start: number,
  end: number,
  bins: FeatureBins,
  split: SplitChoice,
  missingCode: number,
  scratch: Uint32Array,
): number {
  const { feature, bin, missingLeft } = split;
  const column = bins.columns.subarray(feature * bins.rows, (feature + 1) * bins.rows);
  let l = start, r = 0;
  for (let k = start; k < end; k++) {
    const row = order[k];
    const b = column[row];
    if (b <= bin || (missingLeft && b === missingCode)) order[l++] = row;
    else scratch[r++] = row;
  }
  order.set(scratch.subarray(0, r), l);
  return l;
}
