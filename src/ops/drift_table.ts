/**
 * The drift report as plain text for the console: a verdict line for the
 * score and one row per feature.
 *
 * @module
 */
import { formatNumber, formatPercent } from "../eda/format.ts";
import { formatTable } from "../text/table.ts";
import type { DriftReport, FeatureDrift } from "./drift.ts";

/**
 * Text lines summarising a drift report.
 *
 * @example
 * ```ts
 * import type { DriftReport } from "./drift.ts";
 * declare const report: DriftReport;
 * console.log(driftTable(report));
 * // score PSI 0.0123 (stable) over 1000 rows; warning above 0.1, alert above 0.25
 * // feature       kind     PSI     status  missing  (train)  out of range
 * // recency_days  numeric  0.0042  stable  0.0%     0.0%     0.0%
 * ```
 */
export function driftTable(report: DriftReport): string {
  const { score, bands } = report;
  const head = `score PSI ${formatPsi(score.psi)} (${score.status}) over ${report.rows} rows; ` +
    `warning above ${bands.warning}, alert above ${bands.alert}`;
  const rows = report.features.map((feature) => [
    feature.name,
    feature.kind,
    formatPsi(feature.psi),
    feature.status === "stable" ? feature.status : feature.status.toUpperCase(),
    formatPercent(feature.missingShare),
    formatPercent(feature.trainMissingShare),
    outOfRange(feature),
  ]);
  const table = formatTable(["feature", "kind", "PSI", "status", "missing", "(train)", "out of range"], rows);
  return `${head}\n${table}\nverdict: ${report.status}`;
}

function formatPsi(psi: number | null): string {
  return psi === null ? "–" : psi.toFixed(4);
}

function outOfRange(feature: FeatureDrift): string {
  const share = formatPercent(feature.outOfRangeShare);
  if (feature.kind === "categorical") {
    const levels = feature.unseenLevels.slice(0, 3).map((entry) => entry.level).join(", ");
    return feature.unseen === 0 ? share : `${share} (unseen: ${levels}${feature.unseenLevels.length > 3 ? ", …" : ""})`;
  }
  const parts = [
    feature.belowMin > 0 ? `${formatNumber(feature.belowMin)} below min` : "",
    feature.aboveMax > 0 ? `${formatNumber(feature.aboveMax)} above max` : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? share : `${share} (${parts.join(", ")})`;
}
