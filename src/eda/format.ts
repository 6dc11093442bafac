/**
 * Number formatting for tables, bin labels and chart text: short, and
 * without binary-float noise (0.30000000000000004 shows as 0.3).
 *
 * @module
 */

/**
 * A number with at most `digits` significant digits (integers in full),
 * exponent notation for very large or very small magnitudes, "–" when missing.
 *
 * @example
 * ```ts
 * formatNumber(1234.5678); // "1235"
 * formatNumber(0.123456); // "0.1235"
 * formatNumber(12345678); // "12345678"
 * formatNumber(null); // "–"
 * ```
 */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9 || (magnitude > 0 && magnitude < 1e-3)) return value.toExponential(digits - 2);
  if (magnitude >= 10 ** digits) return String(Math.round(value));
  return String(Number(value.toPrecision(digits)));
}

/**
 * A share in [0, 1] as a percentage with one decimal.
 *
 * @example
 * ```ts
 * formatPercent(0.3391); // "33.9%"
 * ```
 */
export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined || Number.isNaN(share) ? "–" : `${(share * 100).toFixed(1)}%`;
}
