/**
 * A chart of the target rate per bin of one column, against the overall rate.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { RateBin, TargetRateTable } from "../target_rate.ts";
import { ACCENT, barChartHeight, CHART_STYLE, labelMargin, MUTED, REFERENCE } from "./style.ts";

/**
 * Renders a {@link TargetRateTable} as horizontal bars (one per bin, in table
 * order) with each bin's row count, and a dashed line at `baseRate`.
 *
 * @example
 * ```ts
 * const svg = targetRateChart({ column: "c", kind: "categorical", bins: [
 *   { label: "a", lower: null, upper: null, count: 4, events: 1, rate: 0.25 },
 * ] }, 0.3);
 * svg.includes("n=4"); // true
 * ```
 */
export function targetRateChart(table: TargetRateTable, baseRate: number, { width = 440 } = {}): string {
  const labels = table.bins.map((bin) => bin.label);
  const top = Math.min(1, Math.max(baseRate, ...table.bins.map((bin) => bin.rate)) * 1.25 + 0.02);
  return renderPlot({
    width,
    height: barChartHeight(labels.length),
    marginLeft: labelMargin(labels, { max: 180 }),
    marginRight: 50,
    style: CHART_STYLE,
    // `percent` scales the data by 100, so the domain is in percent too.
    x: { label: "target rate (%)", domain: [0, 100 * top], percent: true, grid: true, ticks: 5 },
    y: { label: null, domain: labels },
    marks: [
      Plot.barX(table.bins, { x: "rate", y: "label", fill: ACCENT }),
      Plot.text(table.bins, {
        x: "rate",
        y: "label",
        text: (bin: RateBin) => `n=${bin.count}`,
        textAnchor: "start",
        dx: 4,
        fill: MUTED,
      }),
      Plot.ruleX([baseRate], { stroke: REFERENCE, strokeDasharray: "4,3" }),
      Plot.ruleX([0]),
    ],
  });
}
