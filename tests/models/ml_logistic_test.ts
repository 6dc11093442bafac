import assert from "node:assert/strict";
import { modelFromJSON } from "../../src/models/from_json.ts";
import { fitMlLogistic } from "../../src/models/ml_logistic.ts";
import { binaryReport } from "../../src/evaluate/report.ts";
import { cdnowDesign } from "./reference_data.ts";

Deno.test("ml-logistic: one step from zero is stepSize/n · X̃ᵀ(y − ½), bias column included", () => {
  const X = { rows: 4, cols: 2, names: ["a", "b"], data: new Float64Array([1, 0, 2, 1, -1, 3, 0, -2]) };
  const y = new Uint8Array([1, 1, 0, 0]);
  const model = fitMlLogistic(X, y, { numSteps: 1, stepSize: 2 });
  const residual = [0.5, 0.5, -0.5, -0.5];
  const expected = [
    residual.reduce((s, r) => s + r, 0),
    residual.reduce((s, r, i) => s + r * X.data[2 * i], 0),
    residual.reduce((s, r, i) => s + r * X.data[2 * i + 1], 0),
  ].map((g) => 2 / 4 * g);
  assert.ok(Math.abs(model.intercept - expected[0]) < 1e-15);
  assert.ok(Math.abs(model.coefficients[0] - expected[1]) < 1e-15);
  assert.ok(Math.abs(model.coefficients[1] - expected[2]) < 1e-15);
});

Deno.test("ml-logistic: the bias column lets it fit an offset class boundary", () => {
  const data = Float64Array.from({ length: 40 }, (_, i) => 5 + i / 4);
  const y = Uint8Array.from(data, (x) => x > 10 ? 1 : 0);
  const X = { rows: 40, cols: 1, names: ["x"], data };
  const model = fitMlLogistic(X, y, { numSteps: 3000, stepSize: 1 });
  const p = model.predictProba(X);
  assert.equal(p.filter((v, i) => (v > 0.5 ? 1 : 0) !== y[i]).length, 0);
  assert.ok(model.intercept < -1, `intercept ${model.intercept}`);
});

Deno.test("ml-logistic: comes close to the logistic reference on CDNOW within 30 steps", () => {
  const { train, test } = cdnowDesign();
  const model = fitMlLogistic(train.X, train.y, { numSteps: 30 });
  const report = binaryReport(model.predictProba(test.X), test.y);
  assert.ok(report.auc > 0.755, `AUC ${report.auc}`);
  const restored = modelFromJSON(JSON.parse(JSON.stringify(model)));
  assert.equal(restored.kind, "ml-logistic");
  assert.deepEqual(restored.predictProba(test.X), model.predictProba(test.X));
});

Deno.test("ml-logistic: refuses what the library cannot do", () => {
  const X = { rows: 2, cols: 1, names: ["x"], data: new Float64Array([0, 1]) };
  const y = new Uint8Array([0, 1]);
  assert.throws(() => fitMlLogistic(X, y, {}, { weights: new Float64Array([1, 2]) }), /no sample weights/);
  assert.throws(() => fitMlLogistic(X, y, { numSteps: 0 }), /numSteps/);
  assert.throws(() => fitMlLogistic({ ...X, data: new Float64Array([0, NaN]) }, y), /column "x" row 1 is NaN/);
});

Deno.test("ml-logistic: maxRows trains on a seeded stratified sample of that size", () => {
  const { train } = cdnowDesign();
  const sampled = fitMlLogistic(train.X, train.y, { numSteps: 5, maxRows: 2000, seed: 3 });
  assert.ok(Math.abs(sampled.fit.rows - 2000) <= 1, `${sampled.fit.rows} rows`);
  const again = fitMlLogistic(train.X, train.y, { numSteps: 5, maxRows: 2000, seed: 3 });
  assert.deepEqual(again.coefficients, sampled.coefficients);
  assert.notDeepEqual(fitMlLogistic(train.X, train.y, { numSteps: 5 }).coefficients, sampled.coefficients);
});
