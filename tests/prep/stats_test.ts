import assert from "node:assert/strict";
import { moments, pearson, quantileSorted, sortedFinite } from "../../src/prep/stats.ts";

Deno.test("sortedFinite drops NaN and infinities and sorts numerically", () => {
  assert.deepEqual([...sortedFinite(Float64Array.from([10, NaN, 2, Infinity, -1]))], [-1, 2, 10]);
});

Deno.test("quantileSorted interpolates linearly like numpy", () => {
  const sorted = Float64Array.from([1, 2, 3, 4]);
  assert.equal(quantileSorted(sorted, 0.5), 2.5);
  assert.equal(quantileSorted(sorted, 0.25), 1.75);
  assert.equal(quantileSorted(sorted, 1), 4);
  assert.ok(Number.isNaN(quantileSorted(new Float64Array(), 0.5)));
});

Deno.test("moments: population variance and Fisher-Pearson skewness", () => {
  const m = moments(Float64Array.from([0, 0, 0, 0, 10, NaN]));
  assert.equal(m.count, 5);
  assert.equal(m.mean, 2);
  assert.equal(m.variance, 16);
  assert.equal(m.skewness, 1.5);
  assert.deepEqual(moments(Float64Array.from([1e9, 1e9, 1e9])), { count: 3, mean: 1e9, variance: 0, skewness: 0 });
});

Deno.test("pearson over complete pairs; NaN when a side is constant", () => {
  const a = Float64Array.from([1, 2, 3, NaN]);
  assert.ok(Math.abs(pearson(a, Float64Array.from([2, 4, 6, 100])) - 1) < 1e-12);
  assert.ok(Math.abs(pearson(a, Float64Array.from([3, 2, 1, 0])) + 1) < 1e-12);
  assert.ok(Number.isNaN(pearson(a, Float64Array.from([5, 5, 5, 1]))));
});
