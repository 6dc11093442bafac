/**
 * A histogram chart from precomputed bins.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { Histogram } from "../histogram.ts";
import { ACCENT, CHART_STYLE } from "./style.ts";

/**
 * Renders a {@link Histogram} as an SVG bar chart (x: value, y: count).
 *
 * @example
 * ```ts
 * const svg = histogramChart({ column: "x", bins: [{ x0: 0, x1: 1, count: 3 }], missing: 0, below: 0, above: 0, discrete: false });
 * svg.startsWith("<svg"); // true
 * ```
 */
export function histogramChart(histogram: Histogram, { width = 340, height = 200 } = {}): string {
  const ticks = discreteTicks(histogram);
  return renderPlot({
    width,
    height,
    marginLeft: 50,
    style: CHART_STYLE,
    // The figure caption names the column; integer columns get a tick per value, up to a dozen.
    x: ticks === undefined ? { label: null, ticks: 5 } : { label: null, ticks, tickFormat: "d" },
    y: { label: "count", grid: true, ticks: 4 },
    marks: [
      Plot.rectY(histogram.bins, { x1: "x0", x2: "x1", y: "count", fill: ACCENT, inset: 0.5 }),
      Plot.ruleY([0]),
    ],
  });
}

function discreteTicks(histogram: Histogram): number[] | undefined {
  if (!histogram.discrete || histogram.bins.length > 12) return undefined;
  return histogram.bins.map((bin) => bin.x0 + 0.5);
}
