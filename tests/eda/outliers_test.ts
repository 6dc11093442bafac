import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { outlierCounts } from "../../src/eda/outliers.ts";

Deno.test("outlier counts at IQR fences and at the 1st/99th percentiles", () => {
  const [x, y] = outlierCounts(pl.DataFrame({ x: [1, 2, 3, 4, 100], y: [-50, 10, 11, 12, null] }));
  // x: Q1 = 2, Q3 = 4, IQR = 2, fences -1 and 7; P1 = 1 + 0.04 * 1 = 1.04, P99 = 4 + 0.96 * 96 = 96.16.
  assert.deepEqual([x.q1, x.q3, x.lowerFence, x.upperFence], [2, 4, -1, 7]);
  assert.deepEqual([x.belowFence, x.aboveFence], [0, 1]);
  assert.ok(Math.abs(x.lowPercentile! - 1.04) < 1e-12 && Math.abs(x.highPercentile! - 96.16) < 1e-12);
  assert.deepEqual([x.belowPercentile, x.abovePercentile], [1, 1]);
  // y (known: -50, 10, 11, 12): Q1 = -5, Q3 = 11.25, IQR = 16.25, fences -29.375 and 35.625.
  assert.equal(y.count, 4);
  assert.deepEqual([y.lowerFence, y.upperFence, y.belowFence, y.aboveFence], [-29.375, 35.625, 1, 0]);
});

Deno.test("outlier options: fence factor, percentile levels, chosen columns", () => {
  const frame = pl.DataFrame({ x: Array.from({ length: 101 }, (_, i) => i), c: Array(101).fill("a") });
  const [x] = outlierCounts(frame, { columns: ["x"], iqrFactor: 0, low: 0.1, high: 0.9 });
  assert.deepEqual([x.lowerFence, x.upperFence, x.belowFence, x.aboveFence], [25, 75, 25, 25]);
  assert.deepEqual([x.lowPercentile, x.highPercentile, x.belowPercentile, x.abovePercentile], [10, 90, 10, 10]);
  assert.deepEqual(outlierCounts(frame.select("c")), []);
});
