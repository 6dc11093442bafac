/**
 * `deno task bench models`: fits every model candidate on the reference
 * design matrices of `../shared/data/real` (online shoppers, CDNOW), prints
 * their test metrics beside the scikit-learn / XGBoost references with fit
 * times, then batch-scoring throughput on 1,000,000 rows and the cost of the
 * single-row path the server uses.
 *
 * @module
 */
import type { DesignMatrix } from "../src/data/table.ts";
import { binaryReport } from "../src/evaluate/report.ts";
import { CalibratedModel, priorCorrection, weightedPositiveRate } from "../src/models/calibration.ts";
import type { FittedClassifier } from "../src/models/classifier.ts";
import { fitGradientBoosting } from "../src/models/gradient_boosting.ts";
import { fitLogistic } from "../src/models/logistic.ts";
import { fitMlLogistic } from "../src/models/ml_logistic.ts";
import {
  cdnowDesign,
  onlineShoppersDesign,
  type ReferenceDesign,
  referenceResults,
} from "../tests/models/reference_data.ts";

interface Candidate {
  readonly name: string;
  readonly repeats: number;
  fit(X: DesignMatrix, y: Uint8Array): FittedClassifier;
}

function balancedWeights(y: Uint8Array): Float64Array {
  const positives = y.reduce((a, b) => a + b, 0);
  return Float64Array.from(y, (v) => y.length / (2 * (v ? positives : y.length - positives)));
}

const CANDIDATES: Candidate[] = [
  { name: "ml-logistic-regression (100 steps)", repeats: 2, fit: (X, y) => fitMlLogistic(X, y, { numSteps: 100 }) },
  { name: "logistic (Newton, C=1)", repeats: 5, fit: (X, y) => fitLogistic(X, y) },
  {
    name: "logistic balanced + prior correction",
    repeats: 5,
    fit: (X, y) => {
      const weights = balancedWeights(y);
      const model = fitLogistic(X, y, {}, { weights });
      const rates = { modelRate: weightedPositiveRate(y, weights), trueRate: weightedPositiveRate(y) };
      return new CalibratedModel(model, priorCorrection(rates));
    },
  },
  { name: "gbt (defaults, early stopping)", repeats: 5, fit: (X, y) => fitGradientBoosting(X, y) },
  {
    name: "gbt (XGBoost settings: 300 trees, depth 4)",
    repeats: 5,
    fit: (X, y) => fitGradientBoosting(X, y, { earlyStoppingRounds: 0 }),
  },
];

const f4 = (v: number) => v.toFixed(4);

function measureFit(candidate: Candidate, design: ReferenceDesign): { model: FittedClassifier; times: number[] } {
  const times: number[] = [];
  let model: FittedClassifier | undefined;
  for (let r = 0; r < candidate.repeats; r++) {
    const began = performance.now();
    model = candidate.fit(design.train.X, design.train.y);
    times.push((performance.now() - began) / 1000);
  }
  return { model: model!, times: times.sort((a, b) => a - b) };
}

/** A matrix of `rows` rows cycling through the test rows. */
function tile(X: DesignMatrix, rows: number): DesignMatrix {
  const data = new Float64Array(rows * X.cols);
  for (let filled = 0; filled < data.length; filled += X.data.length) {
    data.set(X.data.subarray(0, Math.min(X.data.length, data.length - filled)), filled);
  }
  return { rows, cols: X.cols, names: X.names, data };
}

const datasets: [string, "online_shoppers" | "cdnow", () => ReferenceDesign][] = [
  ["online shoppers", "online_shoppers", onlineShoppersDesign],
  ["CDNOW", "cdnow", cdnowDesign],
];
const ROWS = 1_000_000;
for (const [label, key, load] of datasets) {
  const design = load();
  const references = referenceResults(key);
  console.log(
    `\n### ${label}: ${design.train.X.rows} train × ${design.train.X.cols} columns, ${design.test.X.rows} test rows`,
  );
  console.log("| model | AUC | log loss | Brier | KS | fit s min / median |");
  console.log("|---|---|---|---|---|---|");
  for (const name of ["LogisticRegression", "LogisticRegression class_weight=balanced", "XGBoost"]) {
    const r = references.get(name)!;
    console.log(
      `| reference: ${name} | ${f4(r.auc)} | ${f4(r.logloss)} | ${f4(r.brier)} | ${f4(r.ks)} | ` +
        `— / ${r.fit_seconds_median.toFixed(3)} |`,
    );
  }
  const fitted: [string, FittedClassifier][] = [];
  for (const candidate of CANDIDATES) {
    const { model, times } = measureFit(candidate, design);
    const report = binaryReport(model.predictProba(design.test.X), design.test.y);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `| ${candidate.name} | ${f4(report.auc)} | ${f4(report.logloss)} | ${f4(report.brier)} | ${f4(report.ks)} | ` +
        `${times[0].toFixed(3)} / ${median.toFixed(3)} |`,
    );
    fitted.push([candidate.name, model]);
  }

  const big = tile(design.test.X, ROWS);
  console.log(`\nScoring ${ROWS.toLocaleString("en-US")} rows × ${big.cols} columns in-process:`);
  console.log("| model | batch predictProba rows/s | single-row rowLogOdds µs/row |");
  console.log("|---|---|---|");
  for (const [name, model] of fitted) {
    model.predictProba(tile(design.test.X, 10_000));
    // Best of three: the machine is shared, and a slow pass measures the neighbours, not the model.
    let best = Infinity;
    for (let pass = 0; pass < 3; pass++) {
      const began = performance.now();
      model.predictProba(big);
      best = Math.min(best, performance.now() - began);
    }
    const batch = ROWS / (best / 1000);
    const singleRows = 200_000;
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < singleRows; i++) {
      sink += model.rowLogOdds(design.test.X.data, (i % design.test.X.rows) * big.cols);
    }
    const perRow = (performance.now() - t0) * 1000 / singleRows;
    if (Number.isNaN(sink)) throw new Error("single-row scores are NaN");
    console.log(`| ${name} | ${Math.round(batch).toLocaleString("en-US")} | ${perRow.toFixed(2)} |`);
  }
}
