import assert from "node:assert/strict";
import { binIndex, quantileEdges } from "../../src/stats/bin_edges.ts";

Deno.test("quantileEdges: midpoints between few distinct values, NaN ignored", () => {
  assert.deepEqual(quantileEdges(new Float64Array([3, 1, NaN, 2, 2, 1]), 255), new Float64Array([1.5, 2.5]));
  assert.deepEqual(quantileEdges(new Float64Array([7, 7]), 10), new Float64Array([]));
  assert.deepEqual(quantileEdges(new Float64Array([]), 10), new Float64Array([]));
});

Deno.test("quantileEdges: numpy midpoint percentiles with many distinct values", () => {
  // 0..99 into 4 bins: positions 24.75, 49.5, 74.25 → midpoints of (24,25), (49,50), (74,75).
  const values = Float64Array.from({ length: 100 }, (_, i) => 99 - i);
  assert.deepEqual(quantileEdges(values, 4), new Float64Array([24.5, 49.5, 74.5]));
  // Heavy ties collapse duplicate cuts.
  const tied = Float64Array.from({ length: 100 }, (_, i) => i < 90 ? 0 : i);
  assert.deepEqual(quantileEdges(tied, 4), new Float64Array([0]));
});

Deno.test("binIndex: x <= edge goes to that edge's bin", () => {
  const edges = new Float64Array([1, 2, 3]);
  assert.deepEqual([0.5, 1, 1.5, 3, 3.5].map((x) => binIndex(edges, x)), [0, 0, 1, 2, 3]);
});
