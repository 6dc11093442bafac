/**
 * Quantile cut points, shared by the gradient-boosting binner, the
 * calibration table and PSI so that "bin by the data's quantiles" means one
 * thing everywhere. Follows scikit-learn's `HistGradientBoosting` binner: with
 * few distinct values every value gets its own bin (cuts at midpoints),
 * otherwise cuts at percentiles, duplicates removed.
 *
 * @module
 */

/**
 * Ascending cut points splitting `values` into at most `maxBins` bins; value
 * `x` falls in bin `b` when `edges[b-1] < x <= edges[b]` (see {@link binIndex}).
 * Non-finite values are ignored.
 *
 * @example
 * ```ts
 * quantileEdges(new Float64Array([1, 2, 2, 3]), 10); // Float64Array [1.5, 2.5]
 * quantileEdges(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), 2); // Float64Array [4.5]
 * ```
 */
export function quantileEdges(values: Float64Array, maxBins: number): Float64Array {
  if (!(maxBins >= 1) || !Number.isInteger(maxBins)) {
    throw new RangeError(`bins: maxBins must be an integer >= 1, got ${maxBins}`);
  }
  const sorted = values.filter((v) => Number.isFinite(v)).sort();
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < n && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const edges: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) edges.push((sorted[i - 1] + sorted[i]) / 2);
    return Float64Array.from(edges);
  }
  for (let b = 1; b < maxBins; b++) {
    // numpy's percentile(method="midpoint"): the mean of the two order statistics around the position.
    const position = b / maxBins * (n - 1);
    const edge = (sorted[Math.floor(position)] + sorted[Math.ceil(position)]) / 2;
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/**
 * The bin of `x`: the number of edges strictly below it (binary search).
 * NaN is placed past the last bin; callers that keep a missing bin test for it first.
 *
 * @example
 * ```ts
 * const edges = new Float64Array([1.5, 2.5]);
 * [binIndex(edges, 1), binIndex(edges, 1.5), binIndex(edges, 2), binIndex(edges, 9)]; // [0, 0, 1, 2]
 * ```
 */
export function binIndex(edges: Float64Array, x: number): number {
  let lo = 0, hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
