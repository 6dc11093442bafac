/**
 * The EDA step of the pipeline: the dataset's features and labels as one
 * self-contained HTML report (summaries, missingness, distributions,
 * outliers, correlations, target rates and Information Values).
 *
 * @module
 */
import pl from "nodejs-polars";
import { frameFromTable } from "../data/frame.ts";
import { analyzeFrame } from "../eda/analyze.ts";
import { renderEdaReport } from "../eda/report.ts";
import { informationValues } from "../prep/information_values.ts";
import type { Dataset } from "./dataset.ts";

/** The target column's name in the report. */
const TARGET = "converted";

/**
 * Renders the EDA report of a dataset.
 *
 * @example
 * ```ts
 * import type { Dataset } from "./dataset.ts";
 * declare const dataset: Dataset;
 * const html = edaReport({ dataset });
 * html.startsWith("<!doctype html>"); // true
 * ```
 */
export function edaReport({ dataset }: { dataset: Dataset }): string {
  const frame = frameFromTable(dataset.table).withColumns(pl.Series(TARGET, dataset.y).cast(pl.Int32));
  const analysis = analyzeFrame(frame, { target: { column: TARGET, y: dataset.y, positive: dataset.positiveLabel } });
  const features = dataset.fields.map((field) => field.name);
  return renderEdaReport(analysis, {
    title: "EDA: customer conversion features",
    source: dataset.description,
    iv: informationValues(dataset.table, dataset.y, { method: "monotonic", features }),
    ivMethod: "monotonic binning (as the scorecard's)",
  });
}
