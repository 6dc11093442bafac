import assert from "node:assert/strict";
import { modelFromJSON } from "../../src/models/from_json.ts";
import { LinearModel } from "../../src/models/linear.ts";

Deno.test("modelFromJSON: names the problem in a bad document", () => {
  const good = new LinearModel("logistic", ["a", "b"], 0.1, new Float64Array([1, 2]), {}).toJSON();
  assert.throws(() => modelFromJSON({ kind: "forest" }), /unknown kind forest/);
  assert.throws(() => modelFromJSON(null), /unknown kind \(missing\)/);
  assert.throws(() => modelFromJSON({ ...good, intercept: "x" }), /model JSON \(logistic\):.*intercept/);
  assert.throws(() => modelFromJSON({ ...good, coefficients: [1] }), /1 coefficients for 2 columns/);
  assert.throws(() => modelFromJSON({ kind: "calibrated", version: 1, calibration: {} }), /calibrated/);
});

Deno.test("LinearModel: refuses a matrix with other columns or missing values", () => {
  const model = new LinearModel("logistic", ["a", "b"], 0, new Float64Array([1, 2]), {});
  const X = { rows: 1, cols: 2, names: ["a", "c"], data: new Float64Array([1, 1]) };
  assert.throws(() => model.predictProba(X), /column 1 is "c", the model expects "b"/);
  assert.throws(() => model.predictProba({ ...X, cols: 1, names: ["a"] }), /1 columns, the model expects 2/);
  const missing = { rows: 2, cols: 2, names: ["a", "b"], data: new Float64Array([1, 1, 2, NaN]) };
  assert.throws(() => model.predictProba(missing), /column "b" of row 1 is NaN; impute before scoring/);
  assert.throws(() => model.rowLogOdds([NaN, 1]), /column "a" of row 0 is NaN/);
});
