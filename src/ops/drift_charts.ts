/**
 * Charts of a drift report (Observable Plot, rendered to self-contained SVG).
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../plots/render.ts";
import type { DriftBand, DriftReport, DriftStatus } from "./drift.ts";

/**
 * Colours of the two samples and of the three verdicts.
 *
 * @example
 * ```ts
 * DRIFT_COLORS.alert; // "#c62828"
 * ```
 */
export const DRIFT_COLORS = {
  training: "#9aa5b1",
  batch: "#3b6ea8",
  stable: "#2e7d32",
  warning: "#e0a100",
  alert: "#c62828",
} as const;

const SAMPLES = ["training", "batch"];

/**
 * Training and batch shares side by side for each band of a PSI breakdown.
 *
 * @example
 * ```ts
 * import type { DriftReport } from "./drift.ts";
 * declare const report: DriftReport;
 * const svg = bandsChart(report.score.bands, { width: 900 });
 * svg.includes("<svg"); // true
 * ```
 */
export function bandsChart(
  bands: readonly DriftBand[],
  { width = 640, height = 260 }: { width?: number; height?: number } = {},
): string {
  const rows = bands.flatMap((band, b) => [
    { band: b, label: band.label, sample: "training", share: band.expected },
    { band: b, label: band.label, sample: "batch", share: band.actual },
  ]);
  const labels = bands.map((band) => band.label);
  return renderPlot({
    width,
    height,
    marginBottom: 70,
    fx: { domain: labels, label: null, tickRotate: -30, padding: 0.15 },
    x: { domain: SAMPLES, axis: null },
    y: { label: "Share of rows", grid: true, tickFormat: "%" },
    color: { domain: SAMPLES, range: [DRIFT_COLORS.training, DRIFT_COLORS.batch], legend: true },
    marks: [
      Plot.barY(rows, { fx: "label", x: "sample", y: "share", fill: "sample" }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * PSI per feature (and the score) as horizontal bars coloured by verdict,
 * with the warning and alert bands as rules.
 *
 * @example
 * ```ts
 * import type { DriftReport } from "./drift.ts";
 * declare const report: DriftReport;
 * const svg = psiChart(report);
 * svg.includes("<svg"); // true
 * ```
 */
export function psiChart(report: DriftReport): string {
  const rows = [
    { name: "(score)", psi: report.score.psi ?? 0, status: report.score.status },
    ...report.features.filter((f) => f.psi !== null).map((f) => ({ name: f.name, psi: f.psi!, status: f.status })),
  ];
  const top = Math.max(report.bands.alert * 1.2, ...rows.map((row) => row.psi));
  const statuses: DriftStatus[] = ["stable", "warning", "alert"];
  return renderPlot({
    width: 640,
    height: 40 + 22 * rows.length,
    marginLeft: 140,
    x: { label: "PSI", domain: [0, top], grid: true },
    y: { label: null, domain: rows.map((row) => row.name) },
    color: { domain: statuses, range: statuses.map((s) => DRIFT_COLORS[s]), legend: true },
    marks: [
      Plot.barX(rows, { x: "psi", y: "name", fill: "status" }),
      Plot.ruleX([report.bands.warning], { stroke: DRIFT_COLORS.warning, strokeDasharray: "4,3" }),
      Plot.ruleX([report.bands.alert], { stroke: DRIFT_COLORS.alert, strokeDasharray: "4,3" }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * Missing-value share per feature, training against batch.
 *
 * @example
 * ```ts
 * import type { DriftReport } from "./drift.ts";
 * declare const report: DriftReport;
 * const svg = missingChart(report);
 * svg.includes("<svg"); // true
 * ```
 */
export function missingChart(report: DriftReport): string {
  const rows = report.features.flatMap((f) => [
    { name: f.name, sample: "training", share: f.trainMissingShare ?? 0 },
    { name: f.name, sample: "batch", share: f.missingShare },
  ]);
  return renderPlot({
    width: 640,
    height: 40 + 22 * report.features.length,
    marginLeft: 140,
    x: { label: "Share missing", grid: true, tickFormat: "%" },
    y: { label: null, domain: report.features.map((f) => f.name) },
    color: { domain: SAMPLES, range: [DRIFT_COLORS.training, DRIFT_COLORS.batch], legend: true },
    marks: [
      Plot.ruleY(report.features, {
        y: "name",
        x1: (f: DriftReport["features"][number]) => f.trainMissingShare ?? 0,
        x2: (f: DriftReport["features"][number]) => f.missingShare,
        stroke: "#d9e2ec",
        strokeWidth: 3,
      }),
      Plot.dot(rows, { x: "share", y: "name", fill: "sample", r: 4 }),
    ],
  });
}
