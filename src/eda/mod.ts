/**
 * Exploratory data analysis of a polars frame: per-column summaries, target
 * rates, correlations, outliers, histograms, Observable Plot charts, and a
 * self-contained HTML report.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { analyzeFrame, renderEdaReport } from "./mod.ts";
 * const html = renderEdaReport(analyzeFrame(pl.DataFrame({ x: [1, 2, 3] })), { title: "Demo" });
 * ```
 *
 * @module
 */
export * from "./analyze.ts";
export * from "./summary.ts";
export * from "./target_rate.ts";
export * from "./correlation.ts";
export * from "./outliers.ts";
export * from "./histogram.ts";
export * from "./report.ts";
export { type ColumnKind, columnKind, parseDateColumns } from "./columns.ts";
export { correlationHeatmap } from "./charts/correlation.ts";
export { histogramChart } from "./charts/histogram.ts";
export { ivBandLabel, ivChart, type IvEntry } from "./charts/iv.ts";
export { levelsChart } from "./charts/levels.ts";
export { missingnessChart } from "./charts/missingness.ts";
export { targetRateChart } from "./charts/target_rate.ts";
