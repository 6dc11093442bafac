import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { rocAuc } from "../../src/evaluate/roc.ts";
import { binaryReport } from "../../src/evaluate/report.ts";
import { modelFromJSON } from "../../src/models/from_json.ts";
import { fitGradientBoosting } from "../../src/models/gradient_boosting.ts";
import { logit, sigmoid } from "../../src/models/link.ts";
import { onlineShoppersDesign } from "./reference_data.ts";

const column = (values: number[]) => ({
  rows: values.length,
  cols: 1,
  names: ["x"],
  data: Float64Array.from(values),
});

Deno.test("gbt: a single split picks the right threshold and leaf values −G/(H+λ)·lr", () => {
  // x = 0..9, positives at x >= 6 except one noisy row at x = 2.
  const X = column([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const y = new Uint8Array([0, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  const lr = 0.3, lambda = 1;
  const model = fitGradientBoosting(X, y, {
    nEstimators: 1,
    maxDepth: 1,
    learningRate: lr,
    lambda,
    minChildWeight: 0,
    earlyStoppingRounds: 0,
  });
  const base = logit(0.5);
  const p0 = sigmoid(base);
  const leaf = (rows: number[]) => {
    const G = rows.reduce((s, i) => s + p0 - y[i], 0), H = rows.length * p0 * (1 - p0);
    return -G / (H + lambda) * lr;
  };
  assert.equal(model.trees.feature[0], 0);
  assert.equal(model.trees.threshold[0], 5.5);
  const z = model.predictLogOdds(X);
  for (let i = 0; i < 10; i++) {
    const expected = base + (i <= 5 ? leaf([0, 1, 2, 3, 4, 5]) : leaf([6, 7, 8, 9]));
    assert.ok(Math.abs(z[i] - expected) < 1e-12, `row ${i}`);
  }
});

Deno.test("gbt: a step function is learned exactly", () => {
  const xs = Array.from({ length: 200 }, (_, i) => i / 2);
  const y = Uint8Array.from(xs, (x) => x >= 60 ? 1 : 0);
  const model = fitGradientBoosting(column(xs), y, { nEstimators: 50, earlyStoppingRounds: 0 });
  const p = model.predictProba(column(xs));
  xs.forEach((x, i) => assert.equal(p[i] > 0.5, x >= 60, `x = ${x}`));
  assert.equal(model.trees.threshold[model.trees.roots[0]], 59.75);
  // Unseen values between the training points follow the same cut.
  const between = model.predictProba(column([59.6, 59.8, 75.1]));
  assert.deepEqual(Array.from(between, (v) => v > 0.5), [false, true, true]);
});

Deno.test("gbt: monotone separable data gets AUC 1", () => {
  const random = createRandom(3);
  const xs = Array.from({ length: 500 }, () => random.normal());
  const y = Uint8Array.from(xs, (x) => x > 0.3 ? 1 : 0);
  const model = fitGradientBoosting(column(xs), y, { nEstimators: 30 });
  const test = Array.from({ length: 300 }, () => random.normal());
  assert.equal(rocAuc(model.predictProba(column(test)), Uint8Array.from(test, (x) => x > 0.3 ? 1 : 0)), 1);
});

Deno.test("gbt: missing values get their own learned direction", () => {
  // Missing x marks positives; present x carries no signal.
  const random = createRandom(5);
  const rows = 400;
  const missing = Array.from({ length: rows }, (_, i) => i % 4 === 0);
  const X = { rows, cols: 2, names: ["x", "noise"], data: new Float64Array(rows * 2) };
  missing.forEach((m, i) => {
    X.data[2 * i] = m ? NaN : random.next();
    X.data[2 * i + 1] = random.next();
  });
  const y = Uint8Array.from(missing, (m) => m ? 1 : 0);
  const model = fitGradientBoosting(X, y, { nEstimators: 20, earlyStoppingRounds: 0 });
  const p = model.predictProba(X);
  missing.forEach((m, i) => assert.equal(p[i] > 0.5, m, `row ${i}`));
  // The root splits on x and sends missing values to the positive side.
  const root = model.trees.roots[0];
  assert.equal(model.trees.feature[root], 0);
  assert.equal(model.rowLogOdds([NaN, 0.5]) > 0, true);
});

Deno.test("gbt: an integer weight equals repeating the row", () => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8], labels = [0, 1, 0, 1, 1, 0, 1, 1];
  const weights = new Float64Array([2, 1, 3, 1, 1, 2, 1, 1]);
  const params = { nEstimators: 5, maxDepth: 2, minChildWeight: 0, earlyStoppingRounds: 0 };
  const weighted = fitGradientBoosting(column(xs), new Uint8Array(labels), params, { weights });
  const rows = xs.flatMap((_, i) => Array(weights[i]).fill(i));
  const repeated = fitGradientBoosting(
    column(rows.map((i) => xs[i])),
    Uint8Array.from(rows, (i) => labels[i]),
    params,
  );
  const a = weighted.predictLogOdds(column(xs)), b = repeated.predictLogOdds(column(xs));
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12));
});

Deno.test("gbt: early stopping keeps the best round and reports its validation loss", () => {
  const random = createRandom(11);
  const make = (n: number) => {
    const xs = Array.from({ length: n }, () => random.normal());
    // Noisy labels: boosting past a few dozen rounds only fits noise.
    return { X: column(xs), y: Uint8Array.from(xs, (x) => random.next() < sigmoid(x) ? 1 : 0) };
  };
  const train = make(400), validation = make(400);
  const model = fitGradientBoosting(train.X, train.y, { nEstimators: 500, earlyStoppingRounds: 10, maxDepth: 3 }, {
    validation,
  });
  assert.ok(model.fit.earlyStopped && model.fit.trees < 500);
  const p = model.predictProba(validation.X);
  let loss = 0;
  validation.y.forEach((v, i) => loss -= v ? Math.log(p[i]) : Math.log(1 - p[i]));
  assert.ok(Math.abs(loss / 400 - model.fit.validationLoss!) < 1e-12);
  // Without a validation set it holds out 10% of the rows itself.
  assert.equal(fitGradientBoosting(train.X, train.y, { nEstimators: 5 }).fit.validationRows, 40);
});

Deno.test("gbt: the same seed gives the same model, another seed another one", () => {
  const random = createRandom(2);
  const rows = 300;
  const X = { rows, cols: 3, names: ["a", "b", "c"], data: Float64Array.from({ length: rows * 3 }, random.normal) };
  const y = Uint8Array.from({ length: rows }, (_, i) => X.data[3 * i] + X.data[3 * i + 1] > random.normal() ? 1 : 0);
  const params = { nEstimators: 20, subsample: 0.7, seed: 1 };
  const a = JSON.stringify(fitGradientBoosting(X, y, params));
  assert.equal(JSON.stringify(fitGradientBoosting(X, y, params)), a);
  assert.notEqual(JSON.stringify(fitGradientBoosting(X, y, { ...params, seed: 2 })), a);
});

Deno.test("gbt: JSON round trip predicts identically, missing values included", () => {
  const { train, test } = onlineShoppersDesign();
  const model = fitGradientBoosting(train.X, train.y, { nEstimators: 40, earlyStoppingRounds: 0 });
  const restored = modelFromJSON(JSON.parse(JSON.stringify(model)));
  const withMissing = { ...test.X, data: test.X.data.map((v, k) => k % 7 === 0 ? NaN : v) };
  assert.deepEqual(restored.predictProba(withMissing), model.predictProba(withMissing));
  assert.deepEqual(restored.predictProba(test.X), model.predictProba(test.X));
});

Deno.test("gbt: online shoppers test AUC reaches the XGBoost reference band", () => {
  const { train, test } = onlineShoppersDesign();
  const model = fitGradientBoosting(train.X, train.y);
  const report = binaryReport(model.predictProba(test.X), test.y);
  assert.ok(report.auc >= 0.918, `AUC ${report.auc}`);
  assert.ok(report.logloss <= 0.25, `log loss ${report.logloss}`);
  const importance = model.importance();
  assert.equal(model.names[importance.indexOf(Math.max(...importance))], "num__PageValues");
});

Deno.test("gbt: rejects bad parameters and corrupted trees", () => {
  const X = column([1, 2, 3, 4]), y = new Uint8Array([0, 1, 0, 1]);
  assert.throws(() => fitGradientBoosting(X, y, { learningRate: 0 }), /learningRate must be > 0/);
  assert.throws(() => fitGradientBoosting(X, y, { maxBins: 300 }), { name: "RangeError", message: /maxBins/ });
  assert.throws(() => fitGradientBoosting(column([1, Infinity, 3, 4]), y), /row 1 is Infinity/);
  const json = fitGradientBoosting(X, y, { nEstimators: 2, minChildWeight: 0, earlyStoppingRounds: 0 }).toJSON();
  assert.throws(() => modelFromJSON({ ...json, left: json.left.map((l) => l >= 0 ? 0 : l) }), {
    name: "ModelError",
    message: /children/,
  });
  assert.throws(() => modelFromJSON({ ...json, feature: json.feature.map((f) => f >= 0 ? 3 : f) }), {
    name: "ModelError",
    message: /feature 3/,
  });
  assert.throws(() => modelFromJSON({ ...json, value: "x" }), /value/);
});
