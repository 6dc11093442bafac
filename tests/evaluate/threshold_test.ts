import assert from "node:assert/strict";
import { chooseThreshold } from "../../src/evaluate/threshold.ts";

const scores = new Float64Array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]);
const labels = new Uint8Array([1, 1, 0, 1, 1, 0, 0, 0]);

Deno.test("chooseThreshold: maximum F1 (hand-computed)", () => {
  // F1 = 2tp/(tp+fp+P) with P = 4: t=0.9 → 4/6, t=0.7 → 6/8, t=0.6 → 8/9, t=0.5 → 8/10.
  const choice = chooseThreshold(scores, labels, { by: "f1" });
  assert.equal(choice.threshold, 0.6);
  assert.ok(Math.abs(choice.f1 - 8 / 9) < 1e-12);
  assert.deepEqual([choice.precision, choice.recall, choice.met], [0.8, 1, true]);
});

Deno.test("chooseThreshold: lowest threshold reaching a target precision", () => {
  assert.equal(chooseThreshold(scores, labels, { by: "precision", target: 1 }).threshold, 0.9);
  const choice = chooseThreshold(scores, labels, { by: "precision", target: 0.75 });
  assert.deepEqual([choice.threshold, choice.precision, choice.recall], [0.6, 0.8, 1]);
  const unmet = chooseThreshold(new Float64Array([0.9, 0.8]), new Uint8Array([0, 1]), { by: "precision", target: 0.9 });
  assert.deepEqual([unmet.met, unmet.threshold, unmet.precision], [false, 0.8, 0.5]);
  assert.throws(() => chooseThreshold(scores, labels, { by: "precision", target: 1.5 }), /target precision/);
});
