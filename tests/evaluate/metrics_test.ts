import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { averagePrecision } from "../../src/evaluate/average_precision.ts";
import { brierScore } from "../../src/evaluate/brier.ts";
import { confusionMatrix, thresholdMetrics } from "../../src/evaluate/confusion.ts";
import { scoreCurve } from "../../src/evaluate/curve.ts";
import { ksStatistic } from "../../src/evaluate/ks.ts";
import { logLoss } from "../../src/evaluate/log_loss.ts";
import { binaryReport } from "../../src/evaluate/report.ts";
import { gini, rocAuc, rocCurve } from "../../src/evaluate/roc.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

Deno.test("rocAuc: ties count one half (hand-computed)", () => {
  // Positives 0.8, 0.5, 0.5; negatives 0.5, 0.3. Pairs (pos, neg):
  // 0.8>0.5 1, 0.8>0.3 1, 0.5=0.5 ½, 0.5>0.3 1, 0.5=0.5 ½, 0.5>0.3 1 → 5 of 6.
  const scores = new Float64Array([0.8, 0.5, 0.5, 0.5, 0.3]);
  const labels = new Uint8Array([1, 1, 1, 0, 0]);
  close(rocAuc(scores, labels), 5 / 6);
  close(gini(5 / 6), 2 / 3);
  assert.equal(rocAuc(new Float64Array([0.4, 0.4]), new Uint8Array([0, 1])), 0.5);
  assert.equal(rocAuc(new Float64Array([0.9, 0.1]), new Uint8Array([0, 1])), 0);
});

Deno.test("rocAuc: equals the pairwise (Mann-Whitney) count on random tied scores", () => {
  const random = createRandom(8);
  const n = 400;
  const scores = Float64Array.from({ length: n }, () => random.int(20));
  const labels = Uint8Array.from(scores, (s) => random.next() < s / 25 ? 1 : 0);
  let wins = 0, pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
  }
  close(rocAuc(scores, labels), wins / pairs);
});

Deno.test("rocCurve / scoreCurve: one point per distinct score, from (0,0)", () => {
  const scores = new Float64Array([0.8, 0.5, 0.5, 0.5, 0.3]);
  const labels = new Uint8Array([1, 1, 1, 0, 0]);
  const curve = scoreCurve(scores, labels);
  assert.deepEqual(curve.thresholds, new Float64Array([0.8, 0.5, 0.3]));
  assert.deepEqual(curve.tp, new Float64Array([1, 3, 3]));
  assert.deepEqual(curve.fp, new Float64Array([0, 1, 2]));
  const roc = rocCurve(scores, labels);
  assert.deepEqual(roc.fpr, new Float64Array([0, 0, 0.5, 1]));
  assert.deepEqual(roc.tpr, new Float64Array([0, 1 / 3, 1, 1]));
  assert.equal(roc.thresholds[0], Infinity);
});

Deno.test("ksStatistic: max TPR − FPR by hand", () => {
  // At t = 0.5: TPR 3/3, FPR 1/2 → 0.5; at 0.8: 1/3 − 0 → 0.33.
  const ks = ksStatistic(new Float64Array([0.8, 0.5, 0.5, 0.5, 0.3]), new Uint8Array([1, 1, 1, 0, 0]));
  assert.deepEqual(ks, { ks: 0.5, threshold: 0.5 });
  assert.equal(ksStatistic(new Float64Array([0.9, 0.1]), new Uint8Array([0, 1])).ks, 0);
});

Deno.test("logLoss and brierScore by hand, with float64-epsilon clipping", () => {
  const p = new Float64Array([0.9, 0.2, 0.6]), y = new Uint8Array([1, 0, 0]);
  close(logLoss(p, y), -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3);
  close(brierScore(p, y), (0.01 + 0.04 + 0.36) / 3);
  close(logLoss(new Float64Array([0]), new Uint8Array([1])), -Math.log(2.220446049250313e-16));
  assert.throws(() => logLoss(new Float64Array([1.2]), new Uint8Array([1])), /row 0 is 1.2/);
  assert.throws(() => logLoss(new Float64Array([NaN]), new Uint8Array([1])), /score of row 0 is NaN/);
  assert.throws(() => brierScore(new Float64Array([0.5]), new Uint8Array([1, 0])), /1 scores but 2 labels/);
});

Deno.test("averagePrecision: step sum over distinct scores by hand", () => {
  // Descending: 0.8 (P=1, R=1/3), 0.5 (P=3/4, R=1), 0.3: AP = 1/3·1 + 2/3·3/4 = 5/6.
  close(averagePrecision(new Float64Array([0.8, 0.5, 0.5, 0.5, 0.3]), new Uint8Array([1, 1, 1, 0, 0])), 5 / 6);
});

Deno.test("confusion matrix and rates at a threshold (score >= threshold is positive)", () => {
  const cm = confusionMatrix(new Float64Array([0.9, 0.5, 0.4, 0.5, 0.1]), new Uint8Array([1, 1, 1, 0, 0]), 0.5);
  assert.deepEqual(cm, { threshold: 0.5, tp: 2, fp: 1, tn: 1, fn: 1 });
  const m = thresholdMetrics(cm);
  close(m.precision, 2 / 3);
  close(m.recall, 2 / 3);
  close(m.f1, 2 / 3);
  close(m.accuracy, 3 / 5);
  close(m.specificity, 1 / 2);
  assert.equal(thresholdMetrics({ threshold: 1, tp: 0, fp: 0, tn: 3, fn: 2 }).precision, 0);
});

Deno.test("binaryReport: every metric from one call agrees with the single metrics", () => {
  const random = createRandom(4);
  const p = Float64Array.from({ length: 500 }, () => random.next());
  const y = Uint8Array.from(p, (v) => random.next() < v ? 1 : 0);
  const r = binaryReport(p, y, 0.5);
  assert.equal(r.auc, rocAuc(p, y));
  assert.equal(r.ks, ksStatistic(p, y).ks);
  assert.equal(r.logloss, logLoss(p, y));
  assert.equal(r.averagePrecision, averagePrecision(p, y));
  assert.deepEqual(r.atThreshold, thresholdMetrics(confusionMatrix(p, y, 0.5)));
  assert.equal(r.positives, y.reduce((a, b) => a + b, 0));
  assert.throws(() => binaryReport(p, new Uint8Array(500)), /needs both classes/);
});
