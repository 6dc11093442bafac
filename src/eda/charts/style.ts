/**
 * Shared look of the EDA charts, so that every figure in a report reads the
 * same: one accent colour, a muted reference colour, one font size.
 *
 * @module
 */

/** Fill of bars and areas. */
export const ACCENT = "#3b6ea8";
/** Reference lines (base rates, thresholds). */
export const REFERENCE = "#c0392b";
/** Secondary text and missing-value bars. */
export const MUTED = "#7f8c8d";
/** Plot's `style` option: inherits the page font, fixed size. */
export const CHART_STYLE = { fontSize: "12px", fontFamily: "inherit", overflow: "visible" } as const;

/**
 * Pixel height for a horizontal bar chart with `bars` rows: about 22 px per bar plus axes.
 *
 * @example
 * ```ts
 * barChartHeight(10); // 260
 * ```
 */
export function barChartHeight(bars: number): number {
  return 40 + 22 * Math.max(1, bars);
}

/**
 * Left margin that fits the longest label (about 7 px per character at 12 px), within bounds.
 *
 * @example
 * ```ts
 * labelMargin(["short", "a much longer label"]); // 140
 * ```
 */
export function labelMargin(labels: readonly string[], { min = 60, max = 260 } = {}): number {
  const longest = labels.reduce((width, label) => Math.max(width, label.length), 0);
  return Math.round(Math.min(max, Math.max(min, 7 * longest + 14)));
}
