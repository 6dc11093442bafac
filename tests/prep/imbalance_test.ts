import assert from "node:assert/strict";
import { balancedClassWeights, resampleIndices, sampleWeights } from "../../src/prep/imbalance.ts";
import { takeRows } from "../../src/data/table.ts";

const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1]);

Deno.test("balanced class weights are n / (2 n_class): each class carries half the weight", () => {
  const weights = balancedClassWeights(y);
  assert.deepEqual(weights, { negative: 8 / 12, positive: 2 });
  const w = sampleWeights(y, weights);
  assert.ok(Math.abs(w.slice(0, 6).reduce((a, b) => a + b, 0) - 4) < 1e-12);
  assert.equal(w.slice(6).reduce((a, b) => a + b, 0), 4);
  assert.throws(() => balancedClassWeights(Uint8Array.of(1, 1)), /both classes/);
});

Deno.test("random oversampling duplicates minority rows up to balance, reproducibly", () => {
  const indices = resampleIndices(y, { method: "over", seed: 7 });
  assert.equal(indices.length, 12);
  const sampled = Array.from(indices, (i) => y[i]);
  assert.equal(sampled.filter((v) => v === 1).length, 6);
  assert.deepEqual([...indices.subarray(0, 6)], [0, 1, 2, 3, 4, 5], "every original row is kept");
  assert.deepEqual(resampleIndices(y, { method: "over", seed: 7 }), indices);
  const half = resampleIndices(y, { method: "over", seed: 7, ratio: 0.5 });
  assert.equal(Array.from(half, (i) => y[i]).filter((v) => v === 1).length, 3);
});

Deno.test("random undersampling keeps a seeded subset of the majority", () => {
  const indices = resampleIndices(y, { method: "under", seed: 3 });
  assert.equal(indices.length, 4);
  assert.deepEqual([...indices.subarray(2)], [6, 7], "every minority row is kept");
  assert.equal(new Set(indices).size, 4, "without replacement");
  const other = resampleIndices(y, { method: "under", seed: 4 });
  const seeds = [3, 4, 5, 6, 7, 8].map((seed) => resampleIndices(y, { method: "under", seed }).join());
  assert.ok(new Set(seeds).size > 1, "the seed changes the draw");
  assert.deepEqual(resampleIndices(y, { method: "under", seed: 4 }), other);
});

Deno.test("takeRows copies rows in index order", () => {
  const m = { rows: 3, cols: 2, names: ["a", "b"], data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual([...takeRows(m, Uint32Array.of(2, 0, 2)).data], [5, 6, 1, 2, 5, 6]);
});
