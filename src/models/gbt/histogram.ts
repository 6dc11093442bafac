/**
 * Gradient / hessian histograms: for each feature and bin (value bins, then
 * the missing bin), the sum of the packed gradient / hessian pairs (see
 * `quantize.ts`) over a node's rows. Features are packed one after the other
 * with only the slots they use (a one-hot column needs 3, not 256).
 *
 * One pass over a node's rows feeds two kinds of features, chosen per
 * feature by {@link featureBins}:
 * - dense features are read as one byte per cell from a row-major copy of
 *   their bins (a row's dense cells share a cache line);
 * - sparse features (one-hot and zero-heavy columns, most cells in one bin)
 *   visit only the cells outside their most common bin, stored per row as
 *   4-byte histogram slots, and derive that bin's sums from the node totals
 *   (LightGBM's sparse-feature trick): on online shoppers (75 columns, 65
 *   one-hot) a row has about a dozen such cells instead of 75.
 * Measured on the 62,445 × 18 synthetic matrix, a 4-byte slot costs about
 * 1.45× a dense byte cell to add (one more load, 4× the bytes streamed), so a
 * feature is stored sparsely only when skipping its common bin saves more
 * than that: when at least 30% of its rows sit in that bin. (Whole 300-tree
 * fits on that matrix measured the same as with slots for every feature,
 * within the shared machine's noise: the kernel is bound by the histogram's
 * read-modify-writes, not by reading cells.)
 *
 * Layout: `hist[offsets[f] + bin]` is the packed sum of feature `f`'s bin.
 *
 * @module
 */

/**
 * Offsets (in doubles) of each feature's slots, and the total size, for
 * features with `valueBins[f]` value bins plus a missing bin.
 *
 * @example
 * ```ts
 * histogramLayout(new Int32Array([2, 3])); // { offsets: Int32Array [0, 3], size: 7 }
 * ```
 */
export function histogramLayout(valueBins: Int32Array): { offsets: Int32Array; size: number } {
  const offsets = new Int32Array(valueBins.length);
  let size = 0;
  for (let f = 0; f < valueBins.length; f++) {
    offsets[f] = size;
    size += valueBins[f] + 1;
  }
  return { offsets, size };
}

/** A feature is stored sparsely when at least this share of its rows sits in its most common bin (see the module notes). */
const SPARSE_SHARE = 0.3;

/**
 * The binned matrix as the histogram kernel and the partitions read it.
 */
export interface FeatureBins {
  readonly rows: number;
  /** Column-major bins: feature `f` of row `r` is `columns[f·rows + r]` (partitions read one feature). */
  readonly columns: Uint8Array;
  /** Histogram offset of each dense feature, in the order of `denseCells`. */
  readonly denseOffsets: Int32Array;
  /** Row-major bins of the dense features: `denseCells[r·denseOffsets.length + d]`. */
  readonly denseCells: Uint8Array;
  /** Sparse cells of row `r` are `slot[rowStart[r] .. rowStart[r + 1])`. */
  readonly rowStart: Uint32Array;
  /** Histogram offset (`offsets[f] + bin`) of each stored sparse cell. */
  readonly slot: Int32Array;
  /** The sparse features. */
  readonly sparse: Int32Array;
  /** Histogram offset of each sparse feature's most common bin (aligned with `sparse`). */
  readonly defaultSlot: Int32Array;
}

/**
 * Builds {@link FeatureBins} from column-major bins (see `binMatrix`).
 *
 * @example
 * ```ts
 * // One feature with 2 value bins, 4 of 5 rows in bin 0: sparse, with one stored cell (row 4, bin 1).
 * const bins = featureBins(new Uint8Array([0, 0, 0, 0, 1]), 5, new Int32Array([2]), new Int32Array([0]));
 * [bins.sparse, bins.rowStart, bins.slot]; // [Int32Array [0], Uint32Array [0, 0, 0, 0, 0, 1], Int32Array [1]]
 * ```
 */
export function featureBins(
  columns: Uint8Array,
  rows: number,
  valueBins: Int32Array,
  offsets: Int32Array,
): FeatureBins {
  const cols = valueBins.length;
  const dense: number[] = [], sparse: number[] = [], defaultBin: number[] = [];
  const counts = new Uint32Array(256);
  for (let f = 0; f < cols; f++) {
    counts.fill(0);
    const column = columns.subarray(f * rows, (f + 1) * rows);
    for (let i = 0; i < rows; i++) counts[column[i]]++;
    let common = 0;
    for (let b = 1; b <= valueBins[f]; b++) if (counts[b] > counts[common]) common = b;
    if (counts[common] >= SPARSE_SHARE * rows) {
      sparse.push(f);
      defaultBin.push(common);
    } else {
      dense.push(f);
    }
  }
  const denseCells = new Uint8Array(rows * dense.length);
  dense.forEach((f, d) => {
    const column = columns.subarray(f * rows, (f + 1) * rows);
    for (let i = 0, at = d; i < rows; i++, at += dense.length) denseCells[at] = column[i];
  });
  const rowStart = new Uint32Array(rows + 1);
  sparse.forEach((f, s) => {
    const column = columns.subarray(f * rows, (f + 1) * rows);
    for (let i = 0; i < rows; i++) if (column[i] !== defaultBin[s]) rowStart[i + 1]++;
  });
  for (let i = 0; i < rows; i++) rowStart[i + 1] += rowStart[i];
  const slot = new Int32Array(rowStart[rows]);
  const fill = rowStart.slice(0, rows);
  sparse.forEach((f, s) => {
    const column = columns.subarray(f * rows, (f + 1) * rows);
    for (let i = 0; i < rows; i++) if (column[i] !== defaultBin[s]) slot[fill[i]++] = offsets[f] + column[i];
  });
  return {
    rows,
    columns,
    denseOffsets: Int32Array.from(dense, (f) => offsets[f]),
    denseCells,
    rowStart,
    slot,
    sparse: Int32Array.from(sparse),
    defaultSlot: Int32Array.from(sparse, (f, s) => offsets[f] + defaultBin[s]),
  };
}

/**
 * Adds the packed gradient / hessian pairs of the rows `order[start..end)`
 * into `hist` (which the caller zeroes) and returns their packed total.
 *
 * @example
 * ```ts
 * const layout = histogramLayout(new Int32Array([2]));
 * const bins = featureBins(new Uint8Array([0, 1, 1]), 3, new Int32Array([2]), layout.offsets);
 * const hist = new Float64Array(layout.size);
 * buildHistogram(hist, bins, layout.offsets, new Uint32Array([0, 1, 2]), 0, 3, new Float64Array([1, 2, 3])); // 6
 * [hist[0], hist[1], hist[2]]; // [1, 5, 0]: bin 0 holds row 0, bin 1 rows 1 and 2, no missing values
 * ```
 */
export function buildHistogram(
  hist: Float64Array,
  bins: FeatureBins,
  offsets: Int32Array,
  order: Uint32Array,
  start: number,
  end: number,
  packed: Float64Array,
): number {
  const { denseOffsets, denseCells, rowStart, slot, sparse, defaultSlot } = bins;
  const nd = denseOffsets.length;
  let total = 0;
  for (let k = start; k < end; k++) {
    const r = order[k];
    const v = packed[r];
    total += v;
    for (let d = 0, cell = r * nd; d < nd; d++, cell++) hist[denseOffsets[d] + denseCells[cell]] += v;
    for (let e = rowStart[r], stop = rowStart[r + 1]; e < stop; e++) hist[slot[e]] += v;
  }
  for (let s = 0; s < sparse.length; s++) {
    const f = sparse[s];
    const stop = f + 1 < offsets.length ? offsets[f + 1] : hist.length;
    let rest = total;
    for (let at = offsets[f]; at < stop; at++) rest -= hist[at];
    hist[defaultSlot[s]] += rest;
  }
  return total;
}

/**
 * The histogram-subtraction trick: a node's histogram minus one child's is
 * the other child's, so only the smaller child's rows are ever scanned.
 * Overwrites `parent` with the difference.
 *
 * @example
 * ```ts
 * const parent = new Float64Array([5, 3]);
 * subtractHistogram(parent, new Float64Array([2, 1]));
 * parent; // Float64Array [3, 2]
 * ```
 */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let k = 0; k < parent.length; k++) parent[k] -= child[k];
}
