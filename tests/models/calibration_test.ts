import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { calibrationTable } from "../../src/evaluate/calibration.ts";
import { CalibratedModel, fitPlatt, priorCorrection, weightedPositiveRate } from "../../src/models/calibration.ts";
import { modelFromJSON } from "../../src/models/from_json.ts";
import { sigmoid } from "../../src/models/link.ts";
import { fitLogistic } from "../../src/models/logistic.ts";

/** A correctly specified logistic problem: P(y=1|x) = sigmoid(−2.5 + 1.5x), base rate ≈ 13%. */
function sample(n: number, seed: number) {
  const random = createRandom(seed);
  const data = Float64Array.from({ length: n }, random.normal);
  const y = Uint8Array.from(data, (x) => random.next() < sigmoid(-2.5 + 1.5 * x) ? 1 : 0);
  return { X: { rows: n, cols: 1, names: ["x"], data }, y };
}

const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;

Deno.test("prior correction: class-weighted probabilities return to the base rate, bin by bin", () => {
  const train = sample(20_000, 1), test = sample(20_000, 2);
  const positives = train.y.reduce((a, b) => a + b, 0);
  const weights = Float64Array.from(
    train.y,
    (v) => train.y.length / (2 * (v ? positives : train.y.length - positives)),
  );
  const weighted = fitLogistic(train.X, train.y, {}, { weights });
  const observed = mean(Float64Array.from(test.y));
  assert.ok(mean(weighted.predictProba(test.X)) > observed + 0.2, "weighting inflates the probabilities");

  const correction = priorCorrection({
    modelRate: weightedPositiveRate(train.y, weights),
    trueRate: weightedPositiveRate(train.y),
  });
  assert.ok(
    Math.abs(correction.intercept + Math.log(weights[train.y.indexOf(1)] / weights[train.y.indexOf(0)])) < 1e-9,
  );
  const corrected = new CalibratedModel(weighted, correction).predictProba(test.X);
  assert.ok(Math.abs(mean(corrected) - observed) < 0.005);
  // Each bin's observed rate is within 3.5 binomial standard errors of its mean prediction
  // (before correction, most bins miss by far more).
  const off = (p: Float64Array) =>
    calibrationTable(p, test.y).filter((bin) => {
      const se = Math.sqrt(bin.meanPredicted * (1 - bin.meanPredicted) / bin.count);
      return Math.abs(bin.meanPredicted - bin.observedRate) > 3.5 * se + 1e-3;
    }).length;
  assert.equal(off(corrected), 0);
  assert.ok(off(weighted.predictProba(test.X)) >= 5);
  // And the corrected probabilities are the true ones, up to estimation error.
  test.X.data.forEach((x, i) => assert.ok(Math.abs(corrected[i] - sigmoid(-2.5 + 1.5 * x)) < 0.03));
});

Deno.test("Platt calibration: recovers a known distortion of the log-odds", () => {
  const train = sample(20_000, 3);
  // Scores that are the true log-odds halved and shifted: Platt must find slope 2, intercept −2.5.
  const distorted = Float64Array.from(train.X.data, (x) => (-2.5 + 1.5 * x - 1) / 2);
  const platt = fitPlatt(distorted, train.y);
  assert.ok(Math.abs(platt.slope - 2) < 0.1, `slope ${platt.slope}`);
  assert.ok(Math.abs(platt.intercept - 1) < 0.1, `intercept ${platt.intercept}`);
});

Deno.test("CalibratedModel: JSON round trip and single-row path", () => {
  const { X, y } = sample(500, 4);
  const model = new CalibratedModel(fitLogistic(X, y), { method: "platt", slope: 0.8, intercept: -0.2 });
  const restored = modelFromJSON(JSON.parse(JSON.stringify(model)));
  assert.deepEqual(restored.predictProba(X), model.predictProba(X));
  assert.equal(restored.rowLogOdds(X.data, 3), model.predictLogOdds(X)[3]);
  assert.throws(() => priorCorrection({ modelRate: 0, trueRate: 0.1 }), /modelRate must be in \(0, 1\)/);
});
