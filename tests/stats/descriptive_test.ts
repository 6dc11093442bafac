import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { moments, pearson, quantiles } from "../../src/stats/descriptive.ts";

Deno.test("quantiles interpolate linearly like numpy and skip non-finite values", () => {
  const q = quantiles(Float64Array.from([4, NaN, 1, Infinity, 3, 2]), [0.5, 0.25, 1, 0]);
  assert.equal(q.count, 4);
  assert.deepEqual([...q.values], [2.5, 1.75, 4, 1]);
  assert.deepEqual(quantiles(new Float64Array([NaN]), [0.5]), { count: 0, values: Float64Array.of(NaN) });
  assert.deepEqual([...quantiles(Float64Array.of(1, 2, 3, 100), [0.5], 3).values], [2], "only the first rows");
});

Deno.test("quantiles agree with a full sort on random data with heavy ties", () => {
  const random = createRandom(9);
  const data = Float64Array.from({ length: 5001 }, () => (random.next() < 0.6 ? 0 : Math.round(random.normal() * 50)));
  const copy = data.slice();
  const sorted = data.slice().sort();
  const ps = [0.01, 0.05, 0.2, 0.5, 0.77, 0.99, 1];
  const expected = ps.map((p) => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
  });
  assert.deepEqual([...quantiles(data, ps).values], expected);
  assert.deepEqual(data, copy, "the input is not reordered");
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
