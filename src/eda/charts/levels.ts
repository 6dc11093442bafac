/**
 * A bar chart of a categorical column's most frequent labels.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { LevelCount } from "../summary.ts";
import { ACCENT, barChartHeight, CHART_STYLE, labelMargin } from "./style.ts";

/**
 * Renders label counts as horizontal bars, in the given order.
 *
 * @example
 * ```ts
 * const svg = levelsChart("channel", [{ value: "web", count: 5 }, { value: "app", count: 2 }]);
 * svg.includes("web"); // true
 * ```
 */
export function levelsChart(column: string, levels: readonly LevelCount[], { width = 340 } = {}): string {
  return renderPlot({
    width,
    height: barChartHeight(levels.length),
    marginLeft: labelMargin(levels.map((level) => level.value), { max: 160 }),
    style: CHART_STYLE,
    x: { label: "count", grid: true, ticks: 4 },
    y: { label: column, domain: levels.map((level) => level.value) },
    marks: [Plot.barX(levels, { x: "count", y: "value", fill: ACCENT }), Plot.ruleX([0])],
  });
}
