/**
 * Writes a run's outputs, all or nothing (see {@link stageOutput}): the model
 * bundle, a metrics JSON document, and a report folder with the EDA report,
 * the charts as SVG files and an `index.html` that shows the comparison,
 * the selected model's figures and every chart in one self-contained page.
 *
 * @module
 */
import { join } from "node:path";
import type { ModelBundle } from "../bundle/bundle.ts";
import type { Dataset } from "./dataset.ts";
import type { RunEvaluation } from "./evaluate_run.ts";
import { stageOutput } from "../fs/stage.ts";
import type { RunSplit } from "./split.ts";
import type { CandidateResult } from "./train_candidate.ts";
import { escapeHtml } from "../eda/html.ts";
import { STYLESHEET } from "../style/stylesheet.ts";

/** The file name of the bundle inside a run's output folder. */
const BUNDLE_FILE = "model_bundle.json";

/** Where a run's files landed. */
export interface RunReport {
  readonly bundlePath: string;
  readonly metricsPath: string;
  readonly files: readonly string[];
}

/**
 * The metrics document of a run: the comparison table, the selected model's
 * figures, threshold, calibration and stability, and the data notices.
 *
 * @example
 * ```ts
 * import type { Dataset } from "./dataset.ts";
 * import type { RunEvaluation } from "./evaluate_run.ts";
 * import type { RunSplit } from "./split.ts";
 * declare const dataset: Dataset;
 * declare const split: RunSplit;
 * declare const evaluation: RunEvaluation;
 * const metrics = runMetrics(dataset, split, evaluation);
 * metrics.selected;
 * ```
 */
export function runMetrics(dataset: Dataset, split: RunSplit, evaluation: RunEvaluation) {
  const { testProbabilities: _test, trainProbabilities: _train, ...figures } = evaluation;
  return {
    data: { description: dataset.description, rows: dataset.table.rows, fingerprint: dataset.fingerprint },
    split: { train: split.train.length, test: split.test.length, fixed: split.fixed },
    notices: dataset.notices,
    ...figures,
  };
}

/** What {@link writeRunReport} needs. */
export interface ReportInput {
  readonly dataset: Dataset;
  readonly split: RunSplit;
  readonly results: readonly CandidateResult[];
  readonly evaluation: RunEvaluation;
  readonly bundle: ModelBundle;
  /** The EDA report (HTML). */
  readonly eda: string;
  /** Chart file name -> SVG markup. */
  readonly charts: Readonly<Record<string, string>>;
  readonly out: string;
}

/**
 * Writes the bundle and reports into `out`.
 *
 * @example
 * ```ts
 * declare const input: ReportInput;
 * const report = writeRunReport({ ...input, out: "data/artifacts" });
 * report.bundlePath; // "data/artifacts/model_bundle.json"
 * ```
 */
export function writeRunReport(input: ReportInput): RunReport {
  const { dataset, split, evaluation, bundle, out } = input;
  const stage = stageOutput(out);
  try {
    stage.write(BUNDLE_FILE, JSON.stringify(bundle));
    stage.write("metrics.json", JSON.stringify(runMetrics(dataset, split, evaluation), null, 2));
    stage.write("report/eda.html", input.eda);
    for (const [name, svg] of Object.entries(input.charts)) stage.write(`report/charts/${name}`, svg);
    stage.write("report/index.html", indexPage(input));
    const files = stage.commit();
    return { bundlePath: join(out, BUNDLE_FILE), metricsPath: join(out, "metrics.json"), files };
  } catch (error) {
    stage.abort();
    throw error;
  }
}

function table(header: readonly string[], rows: readonly (readonly string[])[], selectedRow = -1): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((row, i) =>
    `<tr${i === selectedRow ? ' class="selected"' : ""}>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`
  ).join("");
  return `<table>${head}${body}</table>`;
}

function indexPage({ dataset, split, evaluation, bundle, charts }: ReportInput): string {
  const f = (x: number, digits = 4) => Number.isFinite(x) ? x.toFixed(digits) : "–";
  const candidates = table(
    ["candidate", "CV AUC", "± std", "CV log loss", "test AUC", "test log loss", "test Brier", "test KS", "fit s"],
    evaluation.candidates.map((c) => [
      c.name,
      f(c.cvAuc),
      f(c.cvAucStd),
      f(c.cvLogloss),
      f(c.test.auc),
      f(c.test.logloss),
      f(c.test.brier),
      f(c.test.ks),
      f(c.fitSeconds, 3),
    ]),
    evaluation.candidates.findIndex((c) => c.name === evaluation.selected),
  );
  const at = evaluation.test.atThreshold!;
  const selected = table(["metric", "test"], [
    ["ROC AUC", f(evaluation.test.auc)],
    ["Gini", f(evaluation.test.gini)],
    ["KS", f(evaluation.test.ks)],
    ["log loss", f(evaluation.test.logloss)],
    ["Brier", f(evaluation.test.brier)],
    ["average precision", f(evaluation.test.averagePrecision)],
    [`threshold (max F1 on train, out-of-fold)`, f(evaluation.threshold.threshold)],
    ["precision / recall / F1 at threshold", `${f(at.precision, 3)} / ${f(at.recall, 3)} / ${f(at.f1, 3)}`],
    ["confusion (tn fp / fn tp)", `${at.tn} ${at.fp} / ${at.fn} ${at.tp}`],
    [
      "mean predicted vs observed rate",
      `${f(evaluation.test.meanPredicted)} vs ${f(evaluation.test.positives / evaluation.test.rows)}`,
    ],
    ["PSI train → test scores", f(evaluation.psi.psi)],
  ]);
  const calibration = table(
    ["predicted bin", "rows", "mean predicted", "observed rate"],
    evaluation.calibration.filter((bin) => bin.count > 0).map((bin) => [
      `${f(bin.lower, 2)}–${f(bin.upper, 2)}`,
      String(bin.count),
      f(bin.meanPredicted),
      f(bin.observedRate),
    ]),
  );
  const points = bundle.pointsTable
    ? `<h2>Scorecard points</h2>${
      table(
        ["feature", "bin", "WoE", "points"],
        bundle.pointsTable.map((r) => [r.feature, r.bin, f(r.woe), f(r.points, 1)]),
      )
    }`
    : "";
  const chartBlocks = Object.entries(charts).map(([name, svg]) =>
    `<div class="chart"><h3>${escapeHtml(name.replace(".svg", "").replaceAll("_", " "))}</h3>${svg}</div>`
  ).join("");
  const notes = dataset.notices.length > 0
    ? `<ul class="notes">${dataset.notices.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Training report</title>
<style>${STYLESHEET}</style></head><body class="training">
<h1>Customer conversion model: training report</h1>
<p>${
    escapeHtml(dataset.description)
  }. ${dataset.table.rows} rows (${split.train.length} train, ${split.test.length} test${
    split.fixed ? ", fixed split" : ""
  }), ${dataset.fields.length} features. Selected: <b>${
    escapeHtml(evaluation.selected)
  }</b>. <a href="eda.html">EDA report</a></p>
${notes}<h2>Candidates (selected by mean cross-validated AUC)</h2>${candidates}
<h2>Selected model on the test rows</h2>${selected}
<h2>Calibration (test)</h2>${calibration}${points}
<h2>Charts</h2><div class="charts">${chartBlocks}</div></body></html>`;
}
