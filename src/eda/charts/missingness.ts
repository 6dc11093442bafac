/**
 * A bar chart of the share of missing values per column.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { formatPercent } from "../format.ts";
import type { ColumnSummary } from "../summary.ts";
import { ACCENT, barChartHeight, CHART_STYLE, labelMargin } from "./style.ts";

/**
 * Renders each column's missing share as a horizontal bar (most missing first), labelled with the percentage.
 *
 * @example
 * ```ts
 * const svg = missingnessChart([{ name: "x", dtype: "Float64", kind: "numeric", count: 9, missing: 1, missingShare: 0.1, distinct: 9 }]);
 * svg.includes("10.0%"); // true
 * ```
 */
export function missingnessChart(summaries: readonly ColumnSummary[], { width = 720 } = {}): string {
  const rows = [...summaries].sort((a, b) => b.missingShare - a.missingShare || a.name.localeCompare(b.name));
  const top = Math.max(0.05, ...rows.map((row) => row.missingShare));
  return renderPlot({
    width,
    height: barChartHeight(rows.length),
    marginLeft: labelMargin(rows.map((row) => row.name)),
    marginRight: 60,
    style: CHART_STYLE,
    // `percent` scales the data by 100, so the domain is in percent too.
    x: { label: "missing (%)", domain: [0, 100 * top], percent: true, grid: true },
    y: { label: null, domain: rows.map((row) => row.name) },
    marks: [
      Plot.barX(rows, { x: "missingShare", y: "name", fill: ACCENT }),
      Plot.text(rows, {
        x: "missingShare",
        y: "name",
        text: (row: ColumnSummary) => formatPercent(row.missingShare),
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
