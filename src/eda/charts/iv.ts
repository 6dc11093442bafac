/**
 * A bar chart of Information Values. It takes the IV table as plain data, so
 * it works with whichever binning computed it.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { formatNumber } from "../format.ts";
import { barChartHeight, CHART_STYLE, labelMargin } from "./style.ts";

/** One feature's Information Value. */
export interface IvEntry {
  readonly feature: string;
  readonly iv: number;
}

/** The usual reading of IV, by lower bound: useless below 0.02, suspiciously strong (leakage?) above 0.5. */
const BANDS: readonly [number, string, string][] = [
  [0, "useless (< 0.02)", "#bcccdc"],
  [0.02, "weak (0.02–0.1)", "#9fb3c8"],
  [0.1, "medium (0.1–0.3)", "#5b8db8"],
  [0.3, "strong (0.3–0.5)", "#2c5f8a"],
  [0.5, "suspicious (> 0.5)", "#c0392b"],
];

/**
 * The band name of an IV.
 *
 * @example
 * ```ts
 * ivBandLabel(0.2); // "medium (0.1–0.3)"
 * ```
 */
export function ivBandLabel(iv: number): string {
  return BANDS.findLast(([from]) => iv >= from)?.[1] ?? BANDS[0][1];
}

/**
 * Renders IVs as horizontal bars, highest first, coloured by band (with a
 * legend) and labelled with their value.
 *
 * @example
 * ```ts
 * const html = ivChart([{ feature: "recency_days", iv: 1.7 }, { feature: "avg_amount", iv: 0.05 }]);
 * html.includes("recency_days"); // true
 * ```
 */
export function ivChart(entries: readonly IvEntry[], { width = 720 } = {}): string {
  const rows = [...entries].sort((a, b) => b.iv - a.iv).map((entry) => ({ ...entry, band: ivBandLabel(entry.iv) }));
  return renderPlot({
    width,
    height: barChartHeight(rows.length),
    marginLeft: labelMargin(rows.map((row) => row.feature)),
    marginRight: 60,
    style: CHART_STYLE,
    x: { label: "Information Value", domain: [0, Math.max(0.1, ...rows.map((row) => row.iv)) * 1.1], grid: true },
    y: { label: null, domain: rows.map((row) => row.feature) },
    color: {
      domain: BANDS.map(([, band]) => band),
      range: BANDS.map(([, , colour]) => colour),
      legend: true,
    },
    marks: [
      Plot.barX(rows, { x: "iv", y: "feature", fill: "band" }),
      Plot.text(rows, {
        x: "iv",
        y: "feature",
        text: (row: IvEntry) => formatNumber(row.iv, 3),
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
