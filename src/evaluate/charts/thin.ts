/**
 * Curve thinning for charts: a curve over a million distinct scores has a
 * million points, but a 640-pixel chart shows at most a few hundred, and
 * the SVG should stay small enough to embed in reports.
 *
 * @module
 */

/**
 * Indices of at most `max` evenly spaced points of an `n`-point curve,
 * always keeping the first and last, plus the `keep` index (e.g. the KS point).
 *
 * @example
 * ```ts
 * thinIndices(10, 4); // [0, 3, 6, 9]
 * ```
 */
export function thinIndices(n: number, max: number, keep?: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  for (let k = 0; k < max; k++) picked.add(Math.round(k * (n - 1) / (max - 1)));
  if (keep !== undefined && keep >= 0 && keep < n) picked.add(keep);
  return [...picked].sort((a, b) => a - b);
}
