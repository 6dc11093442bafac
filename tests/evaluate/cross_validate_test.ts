import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { crossValidate, selectBest } from "../../src/evaluate/cross_validate.ts";
import { logLoss } from "../../src/evaluate/log_loss.ts";
import { rocAuc } from "../../src/evaluate/roc.ts";
import type { Classifier } from "../../src/models/classifier.ts";
import { logisticRegression } from "../../src/models/logistic.ts";
import { takeValues } from "../../src/data/table.ts";
import { stratifiedKFold } from "../../src/models/split.ts";

function data(n: number) {
  const random = createRandom(6);
  const X = { rows: n, cols: 2, names: ["a", "b"], data: Float64Array.from({ length: 2 * n }, random.normal) };
  const y = Uint8Array.from({ length: n }, (_, i) => X.data[2 * i] - 0.5 * X.data[2 * i + 1] > random.normal() ? 1 : 0);
  return { X, y };
}

Deno.test("crossValidate: per-fold figures are those of the out-of-fold predictions", () => {
  const { X, y } = data(300);
  let clock = 0;
  const cv = crossValidate(logisticRegression(), X, y, 5, { seed: 3, now: () => (clock += 250) });
  assert.equal(cv.name, "logistic");
  assert.equal(cv.folds.length, 5);
  assert.ok(cv.oof.every((p) => p > 0 && p < 1));
  stratifiedKFold(y, { k: 5, seed: 3 }).forEach(({ test }, k) => {
    const p = takeValues(cv.oof, test), labels = takeValues(y, test);
    assert.equal(cv.folds[k].auc, rocAuc(p, labels));
    assert.equal(cv.folds[k].logloss, logLoss(p, labels));
    assert.equal(cv.folds[k].fitSeconds, 0.25);
  });
  assert.ok(Math.abs(cv.meanAuc - cv.folds.reduce((s, f) => s + f.auc, 0) / 5) < 1e-15);
  assert.ok(cv.meanAuc > 0.7);
});

Deno.test("crossValidate: passes each fold its rows' weights", () => {
  const { X, y } = data(100);
  const seen: number[] = [];
  const probe: Classifier = {
    name: "probe",
    fit: (train, labels, options) => {
      seen.push(options!.weights!.reduce((a, b) => a + b, 0));
      return logisticRegression().fit(train, labels);
    },
  };
  const weights = Float64Array.from(y, (_, i) => i);
  const folds = stratifiedKFold(y, { k: 4 });
  crossValidate(probe, X, y, folds, { weights });
  assert.deepEqual(seen, folds.map((f) => f.train.reduce((s, i) => s + i, 0)));
});

Deno.test("selectBest: highest mean AUC, ties by lower log loss", () => {
  const a = { name: "a", meanAuc: 0.81, meanLogloss: 0.5 };
  const b = { name: "b", meanAuc: 0.80, meanLogloss: 0.3 };
  const c = { name: "c", meanAuc: 0.81, meanLogloss: 0.4 };
  assert.equal(selectBest([a, b, c]).name, "c");
  assert.equal(selectBest([b, a]).name, "a");
  assert.equal(selectBest([a, b], 0.02).name, "b");
  assert.throws(() => selectBest([]), /no candidates/);
});
