/**
 * The few descriptive statistics the preparation steps fit, on typed arrays.
 * Non-finite values (`NaN` = missing, and stray infinities) are skipped
 * everywhere, so one convention holds across steps.
 *
 * @module
 */

/**
 * The finite values of the first `rows` entries, sorted ascending (typed-array
 * sort: numeric, no comparator).
 *
 * @example
 * ```ts
 * sortedFinite(new Float64Array([3, NaN, 1])); // Float64Array [1, 3]
 * ```
 */
export function sortedFinite(values: Float64Array, rows: number = values.length): Float64Array {
  let count = 0;
  for (let i = 0; i < rows; i++) if (Number.isFinite(values[i])) count++;
  const sorted = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (Number.isFinite(v)) sorted[k++] = v;
  }
  return sorted.sort();
}

/**
 * The `p`-quantile of sorted values with linear interpolation between order
 * statistics (numpy's and pandas' default, "type 7"). `NaN` when empty.
 *
 * @example
 * ```ts
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5); // 2.5
 * ```
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Count, mean, population variance and skewness of the finite values. */
export interface Moments {
  readonly count: number;
  readonly mean: number;
  /** Population variance (divides by n, like numpy's default and sklearn's StandardScaler). */
  readonly variance: number;
  /** Fisher-Pearson skewness `m3 / m2^1.5` without small-sample correction (scipy's default); 0 when constant. */
  readonly skewness: number;
}

/**
 * Moments of the finite values among the first `rows` entries (two passes, for
 * accuracy on large offsets).
 *
 * @example
 * ```ts
 * moments(new Float64Array([0, 0, 0, 0, 10])).skewness; // 1.5
 * ```
 */
export function moments(values: Float64Array, rows: number = values.length): Moments {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      count++;
      sum += v;
    }
  }
  if (count === 0) return { count, mean: Number.NaN, variance: Number.NaN, skewness: Number.NaN };
  const mean = sum / count;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      const d = v - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
  }
  m2 /= count;
  m3 /= count;
  // Relative threshold: rounding leaves a tiny m2 on constant columns with large values.
  const constant = m2 <= 1e-24 * Math.max(1, mean * mean);
  return { count, mean, variance: constant ? 0 : m2, skewness: constant ? 0 : m3 / Math.pow(m2, 1.5) };
}

/**
 * Pearson correlation over the rows where both values are finite; `NaN` when
 * fewer than two such rows or either side is constant there.
 *
 * @example
 * ```ts
 * pearson(new Float64Array([1, 2, 3]), new Float64Array([2, 4, 7])); // 0.9933...
 * ```
 */
export function pearson(a: Float64Array, b: Float64Array, rows: number = a.length): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < rows; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      n++;
      sa += x;
      sb += y;
    }
  }
  if (n < 2) return Number.NaN;
  const ma = sa / n;
  const mb = sb / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < rows; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const dx = x - ma;
      const dy = y - mb;
      sab += dx * dy;
      saa += dx * dx;
      sbb += dy * dy;
    }
  }
  if (saa <= 1e-24 * Math.max(1, ma * ma) * n || sbb <= 1e-24 * Math.max(1, mb * mb) * n) return Number.NaN;
  return sab / Math.sqrt(saa * sbb);
}
