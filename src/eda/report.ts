/**
 * The EDA report as one self-contained HTML file: inline CSS and inline SVG
 * charts, no script and no network access, so it opens anywhere (a browser,
 * a CI artifact viewer, an e-mail attachment) and prints cleanly.
 *
 * @module
 */
import type { EdaAnalysis } from "./analyze.ts";
import { correlationHeatmap } from "./charts/correlation.ts";
import { histogramChart } from "./charts/histogram.ts";
import { ivChart, type IvEntry } from "./charts/iv.ts";
import { levelsChart } from "./charts/levels.ts";
import { missingnessChart } from "./charts/missingness.ts";
import { targetRateChart } from "./charts/target_rate.ts";
import { strongPairs } from "./correlation.ts";
import { formatNumber, formatPercent } from "./format.ts";
import { type Cell, escapeHtml, htmlTable } from "./html.ts";
import type { ColumnSummary } from "./summary.ts";
import { STYLESHEET } from "../style/stylesheet.ts";

/** Options of {@link renderEdaReport}. */
export interface ReportOptions {
  readonly title?: string;
  /** Where the data came from (a path), shown under the title. */
  readonly source?: string;
  /** Information Values to chart (computed elsewhere, e.g. by the preparation step's binning). */
  readonly iv?: readonly IvEntry[];
  /** How the IVs were computed, shown with the chart. */
  readonly ivMethod?: string;
  /** Shown in the header when given (left out by default so that a report is reproducible byte for byte). */
  readonly generatedAt?: Date;
  /** Pairs with |r| at or above this are listed under the heatmap (default 0.7). */
  readonly correlationThreshold?: number;
}

interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/**
 * Renders an {@link EdaAnalysis} as a complete HTML document.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { analyzeFrame } from "./analyze.ts";
 * const html = renderEdaReport(analyzeFrame(pl.DataFrame({ x: [1, 2, 3] })), { title: "Demo" });
 * html.startsWith("<!doctype html>"); // true
 * ```
 */
export function renderEdaReport(analysis: EdaAnalysis, options: ReportOptions = {}): string {
  const title = options.title ?? "Exploratory data analysis";
  const sections = [
    overviewSection(analysis),
    columnsSection(analysis),
    missingSection(analysis),
    distributionsSection(analysis),
    outliersSection(analysis),
    correlationSection(analysis, options.correlationThreshold ?? 0.7),
    ...(analysis.target === undefined ? [] : [targetSection(analysis)]),
    ...(options.iv === undefined ? [] : [ivSection(options.iv, options.ivMethod)]),
  ];
  const subtitle = [
    options.source === undefined ? "" : `Data: <code>${escapeHtml(options.source)}</code>`,
    options.generatedAt === undefined ? "" : `Generated ${escapeHtml(options.generatedAt.toISOString())}`,
  ].filter((part) => part !== "").join(" · ");
  const toc = sections.map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`).join("");
  const body = sections.map((section) =>
    `<section id="${section.id}">\n<h2>${escapeHtml(section.title)}</h2>\n${section.body}\n</section>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${subtitle === "" ? "" : `<p class="subtitle">${subtitle}</p>`}
<nav>${toc}</nav>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

function overviewSection(analysis: EdaAnalysis): Section {
  const kinds = (kind: ColumnSummary["kind"]) => analysis.columns.filter((column) => column.kind === kind).length;
  const cells = analysis.rows * analysis.columns.length;
  const missing = analysis.columns.reduce((sum, column) => sum + column.missing, 0);
  const facts: [string, string][] = [
    ["rows", formatNumber(analysis.rows)],
    ["columns", `${analysis.columns.length}`],
    ["numeric / categorical / date", `${kinds("numeric")} / ${kinds("categorical")} / ${kinds("datetime")}`],
    ["missing cells", formatPercent(cells === 0 ? 0 : missing / cells)],
    ["duplicate rows", formatNumber(analysis.duplicateRows)],
  ];
  if (analysis.target !== undefined) {
    const { column, positive, rate, events } = analysis.target;
    const label = positive === undefined ? column : `${column} = ${positive}`;
    facts.push([`target rate (${label})`, `${formatPercent(rate)} (${formatNumber(events)})`]);
  }
  const cards = facts.map(([name, value]) =>
    `<div class="card"><div class="value">${escapeHtml(value)}</div><div class="name">${escapeHtml(name)}</div></div>`
  ).join("");
  const notes = [
    analysis.transactionLog
      ? "This table is a transaction log (one row per transaction): the statistics below describe transactions, " +
        "not customers."
      : "",
    analysis.identifiers.length > 0
      ? `Identifier columns (${
        analysis.identifiers.map((name) => `<code>${escapeHtml(name)}</code>`).join(", ")
      }) are summarised but left out of the charts, outliers, correlations and target rates.`
      : "",
  ].filter((note) => note !== "").map((note) => `<p class="note">${note}</p>`).join("\n");
  return { id: "overview", title: "Overview", body: `<div class="cards">${cards}</div>\n${notes}` };
}

function columnsSection(analysis: EdaAnalysis): Section {
  const base = (column: ColumnSummary): Cell[] => [
    column.name,
    column.dtype,
    { number: formatNumber(column.count) },
    { number: formatPercent(column.missingShare) },
    { number: formatNumber(column.distinct) },
  ];
  const numeric = analysis.columns.filter((column) => column.kind === "numeric").map((column) => {
    const s = column.stats!;
    return [...base(column), ...[s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max, s.skew].map(numberCell)];
  });
  const categorical = analysis.columns.filter((column) => column.kind === "categorical").map((column) => [
    ...base(column),
    (column.top ?? []).map((level) => `${level.value} (${formatPercent(level.count / Math.max(1, column.count))})`)
      .join(", "),
  ]);
  const dates = analysis.columns.filter((column) => column.kind === "datetime").map((column) => [
    ...base(column),
    readableInstant(column.range?.min ?? null),
    readableInstant(column.range?.max ?? null),
  ]);
  const head = ["column", "type", "count", "missing", "distinct"];
  const parts = [
    numeric.length === 0
      ? ""
      : `<h3>Numeric</h3>\n${htmlTable([...head, "mean", "std", "min", "25%", "50%", "75%", "max", "skew"], numeric)}`,
    categorical.length === 0 ? "" : `<h3>Categorical</h3>\n${htmlTable([...head, "most frequent"], categorical)}`,
    dates.length === 0 ? "" : `<h3>Dates</h3>\n${htmlTable([...head, "first", "last"], dates)}`,
  ];
  const note = '<p class="note">std is the sample standard deviation, quantiles are linearly interpolated and ' +
    "skew is the bias-corrected sample skewness (pandas' conventions).</p>";
  return { id: "columns", title: "Columns", body: [note, ...parts].filter((part) => part !== "").join("\n") };
}

/** An ISO instant as "YYYY-MM-DD HH:MM:SS" (UTC). */
function readableInstant(iso: string | null): string {
  return iso === null ? "–" : iso.replace("T", " ").replace(/\.000Z$/, "").replace(/Z$/, "");
}

function numberCell(value: number | null): Cell {
  return { number: formatNumber(value) };
}

function missingSection(analysis: EdaAnalysis): Section {
  const incomplete = analysis.columns.filter((column) => column.missing > 0);
  const body = incomplete.length === 0
    ? "<p>No column has missing values.</p>"
    : `<p>${incomplete.length} of ${analysis.columns.length} columns have missing values.</p>\n` +
      figure(missingnessChart(analysis.columns), "Share of missing values per column");
  return { id: "missing", title: "Missing values", body };
}

function distributionsSection(analysis: EdaAnalysis): Section {
  const histograms = analysis.histograms.map((histogram) => {
    const notes = [
      histogram.missing > 0 ? `${formatNumber(histogram.missing)} missing` : "",
      histogram.below + histogram.above > 0
        ? `${formatNumber(histogram.below)} below / ${
          formatNumber(histogram.above)
        } above the 1st–99th percentile range shown`
        : "",
    ].filter((note) => note !== "");
    return figure(histogramChart(histogram), `${histogram.column}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`);
  });
  const levels = analysis.columns
    .filter((column) => column.kind === "categorical" && !analysis.identifiers.includes(column.name))
    .map((column) =>
      figure(
        levelsChart(column.name, column.top ?? []),
        `${column.name}: ${Math.min(column.distinct, column.top?.length ?? 0)} most frequent of ${
          formatNumber(column.distinct)
        } labels`,
      )
    );
  const body = [...histograms, ...levels];
  return {
    id: "distributions",
    title: "Distributions",
    body: body.length === 0 ? "<p>No numeric or categorical columns to chart.</p>" : grid(body),
  };
}

function outliersSection(analysis: EdaAnalysis): Section {
  const rows = analysis.outliers.map((row) => [
    row.column,
    { number: formatNumber(row.count) },
    numberCell(row.lowerFence),
    numberCell(row.upperFence),
    { number: formatNumber(row.belowFence) },
    { number: formatNumber(row.aboveFence) },
    numberCell(row.lowPercentile),
    numberCell(row.highPercentile),
    { number: formatNumber(row.belowPercentile) },
    { number: formatNumber(row.abovePercentile) },
  ]);
  const note = '<p class="note">IQR fences are Q1 − 1.5·IQR and Q3 + 1.5·IQR; the percentile bounds are the ' +
    "1st and 99th percentiles. Counts are values strictly outside each bound.</p>";
  const body = rows.length === 0 ? "<p>No numeric columns.</p>" : `${note}\n${
    htmlTable([
      "column",
      "known",
      "lower fence",
      "upper fence",
      "below fence",
      "above fence",
      "P1",
      "P99",
      "below P1",
      "above P99",
    ], rows)
  }`;
  return { id: "outliers", title: "Outliers", body };
}

function correlationSection(analysis: EdaAnalysis, threshold: number): Section {
  const { correlation } = analysis;
  if (correlation.columns.length < 2) {
    return { id: "correlation", title: "Correlation", body: "<p>Fewer than two numeric columns.</p>" };
  }
  const pairs = strongPairs(correlation, threshold);
  const list = pairs.length === 0
    ? `<p>No pair of columns has |r| ≥ ${threshold}.</p>`
    : `<p>Pairs with |r| ≥ ${threshold}:</p>\n${
      htmlTable(["column", "column", "r"], pairs.map((pair) => [pair.a, pair.b, { number: pair.r.toFixed(3) }]))
    }`;
  const chart = figure(correlationHeatmap(correlation), "Pearson correlation (pairwise complete rows)");
  return { id: "correlation", title: "Correlation", body: `${chart}\n${list}` };
}

function targetSection(analysis: EdaAnalysis): Section {
  const target = analysis.target!;
  const intro =
    `<p>Share of rows with <code>${escapeHtml(target.column)}</code>${
      target.positive === undefined ? "" : ` = <code>${escapeHtml(target.positive)}</code>`
    } per decile of each numeric column (one bar per value when a column has few values) and per label of each ` +
    `categorical column. The dashed line is the overall rate, ${
      formatPercent(target.rate)
    }; n is the rows per bin.</p>`;
  const charts = target.tables.map((table) => figure(targetRateChart(table, target.rate), table.column));
  return { id: "target", title: "Target rate", body: `${intro}\n${grid(charts, "wide")}` };
}

function ivSection(entries: readonly IvEntry[], method: string | undefined): Section {
  const intro =
    `<p>Information Value of each column against the target${
      method === undefined ? "" : ` (${escapeHtml(method)})`
    }. Usual reading: below 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, 0.3–0.5 strong, above 0.5 suspiciously ` +
    "strong (check for leakage).</p>";
  const rows = [...entries].sort((a, b) => b.iv - a.iv).map((entry) => [entry.feature, {
    number: formatNumber(entry.iv, 4),
  }]);
  return {
    id: "iv",
    title: "Information Value",
    body: `${intro}\n${figure(ivChart(entries), "Information Value per column")}\n${htmlTable(["column", "IV"], rows)}`,
  };
}

function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function grid(items: readonly string[], size: "narrow" | "wide" = "narrow"): string {
  return `<div class="grid ${size}">\n${items.join("\n")}\n</div>`;
}
