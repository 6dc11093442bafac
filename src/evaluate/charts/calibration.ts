/**
 * Calibration (reliability) chart.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { legendMarks } from "./legend.ts";
import type { CalibrationBin } from "../calibration.ts";

/**
 * One model's table on a {@link calibrationChart}.
 */
export interface CalibrationSeries {
  readonly name: string;
  readonly table: readonly CalibrationBin[];
}

/**
 * Observed positive rate against mean predicted probability per bin (dot
 * area ∝ rows), with the diagonal of perfect calibration. Several series
 * compare, e.g., probabilities before and after prior correction.
 *
 * @example
 * ```ts
 * const table = [{ lower: 0, upper: 0.5, count: 10, meanPredicted: 0.2, observedRate: 0.25 }];
 * calibrationChart([{ name: "model", table }]).startsWith("<svg"); // true
 * ```
 */
export function calibrationChart(series: readonly CalibrationSeries[]): string {
  const rows = series.flatMap(({ name, table }) => table.map((bin) => ({ name, ...bin })));
  const names = series.map((s) => s.name);
  const max = Math.min(1, Math.max(0.05, ...rows.flatMap((r) => [r.meanPredicted, r.observedRate])) * 1.05);
  return renderPlot({
    width: 480,
    height: 440,
    x: { label: "Mean predicted probability", domain: [0, max], grid: true },
    y: { label: "Observed positive rate", domain: [0, max], grid: true },
    color: { domain: names, scheme: "tableau10" },
    r: { range: [2, 9] },
    marks: [
      Plot.line([[0, 0], [max, max]], { stroke: "#999", strokeDasharray: "4 4" }),
      Plot.line(rows, { x: "meanPredicted", y: "observedRate", stroke: "name", z: "name", strokeOpacity: 0.6 }),
      Plot.dot(rows, { x: "meanPredicted", y: "observedRate", r: "count", fill: "name", fillOpacity: 0.8 }),
      ...legendMarks(names, "top-left"),
    ],
  });
}
