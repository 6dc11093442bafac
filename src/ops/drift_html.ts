/**
 * The drift report as one self-contained HTML page: inline CSS and SVG
 * charts, no script, no network access.
 *
 * @module
 */
import { formatNumber, formatPercent } from "../eda/format.ts";
import { type Cell, escapeHtml, htmlTable } from "../eda/html.ts";
import type { DriftBand, DriftReport, DriftStatus, FeatureDrift } from "./drift.ts";
import { bandsChart, DRIFT_COLORS, missingChart, psiChart } from "./drift_charts.ts";
import { STYLESHEET } from "../style/stylesheet.ts";

/** At most this many per-feature band charts (the highest PSI first). */
const FEATURE_CHARTS = 6;

/**
 * Renders a drift report as a complete HTML document.
 *
 * @example
 * ```ts
 * import type { DriftReport } from "./drift.ts";
 * declare const report: DriftReport;
 * const html = driftHtml(report, { generatedAt: new Date() });
 * html.startsWith("<!doctype html>"); // true
 * ```
 */
export function driftHtml(report: DriftReport, options: { generatedAt?: Date } = {}): string {
  const model = [
    report.model.name === undefined ? report.model.uri : `${report.model.name} v${report.model.version}`,
    `candidate ${report.model.candidate}`,
  ].join(", ");
  const subtitle = [
    `Model: <code>${escapeHtml(model)}</code>`,
    `Data: <code>${escapeHtml(report.data)}</code>`,
    options.generatedAt === undefined ? "" : `Generated ${escapeHtml(options.generatedAt.toISOString())}`,
  ].filter((part) => part !== "").join(" · ");
  const watched = report.features
    .filter((f) => f.psi !== null)
    .sort((a, b) => b.psi! - a.psi!)
    .slice(0, FEATURE_CHARTS);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Drift and stability report</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header>
<h1>Drift and stability report ${badge(report.status)}</h1>
<p class="subtitle">${subtitle}</p>
</header>
<main>
<div class="cards">
${card(formatNumber(report.rows), "rows compared")}
${card(report.score.psi === null ? "–" : report.score.psi.toFixed(4), "score PSI")}
${card(String(count(report, "warning")), `features above ${report.bands.warning}`)}
${card(String(count(report, "alert")), `features above ${report.bands.alert}`)}
</div>
<p class="note">PSI = Σ (batch − training) · ln(batch / training) over bands; below ${report.bands.warning}
stable, ${report.bands.warning}–${report.bands.alert} worth a look, above ${report.bands.alert} the population has
shifted.</p>
<section>
<h2>Score distribution ${badge(report.score.status)}</h2>
<figure>${bandsChart(report.score.bands, { width: 900 })}</figure>
${bandsTable(report.score.bands)}
</section>
<section>
<h2>Features</h2>
<figure>${psiChart(report)}</figure>
${featuresTable(report.features)}
<h3>Missing values</h3>
<figure>${missingChart(report)}</figure>
</section>
<section>
<h2>Bands of the least stable features</h2>
<div class="grid">
${watched.map((f) => featureFigure(f)).join("\n")}
</div>
</section>
</main>
</body>
</html>
`;
}

function featureFigure(feature: FeatureDrift): string {
  const title = `${escapeHtml(feature.name)}: PSI ${feature.psi!.toFixed(4)} ${badge(feature.status)}`;
  return `<figure><h3>${title}</h3>${bandsChart(feature.bands, { width: 460 })}</figure>`;
}

function count(report: DriftReport, status: DriftStatus): number {
  return report.features.filter((f) => f.status === status).length;
}

function badge(status: DriftStatus): string {
  return `<span class="badge" style="background:${DRIFT_COLORS[status]}">${status}</span>`;
}

function card(value: string, name: string): string {
  return `<div class="card"><div class="value">${escapeHtml(value)}</div><div class="name">${
    escapeHtml(name)
  }</div></div>`;
}

function bandsTable(bands: readonly DriftBand[]): string {
  return htmlTable(
    ["band", "training", "batch", "PSI term"],
    bands.map((band) => [
      band.label,
      { number: formatPercent(band.expected) },
      { number: formatPercent(band.actual) },
      { number: band.contribution.toFixed(4) },
    ]),
  );
}

function featuresTable(features: readonly FeatureDrift[]): string {
  const rows: Cell[][] = features.map((f) => [
    f.name,
    f.kind,
    { number: f.psi === null ? "–" : f.psi.toFixed(4) },
    { html: badge(f.status) },
    { number: formatPercent(f.missingShare) },
    { number: formatPercent(f.trainMissingShare) },
    { number: formatPercent(f.outOfRangeShare) },
    f.kind === "numeric"
      ? `${formatNumber(f.belowMin)} below min, ${formatNumber(f.aboveMax)} above max`
      : f.unseenLevels.map((entry) => `${entry.level} (${formatNumber(entry.count)})`).join(", "),
  ]);
  return htmlTable(
    ["feature", "kind", "PSI", "status", "missing", "train missing", "out of range", "details"],
    rows,
  );
}
