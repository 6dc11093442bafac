import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { histogram } from "../../src/eda/histogram.ts";

Deno.test("histogram: equal-width bins from min to max, left-closed, the maximum in the last bin", () => {
  const h = histogram(pl.DataFrame({ x: [0, 1, 2.5, 5, 7.5, 10, null] }), "x", 4);
  assert.deepEqual(h.bins.map((bin) => [bin.x0, bin.x1, bin.count]), [[0, 2.5, 2], [2.5, 5, 1], [5, 7.5, 1], [
    7.5,
    10,
    2,
  ]]);
  assert.deepEqual([h.missing, h.below, h.above, h.discrete], [1, 0, 0, false]);
});

Deno.test("histogram: an integer column with few values gets one bar per value", () => {
  const frame = pl.DataFrame({ n: [1, 3, 3, 3] }).withColumns(pl.col("n").cast(pl.Int64));
  const h = histogram(frame, "n");
  assert.equal(h.discrete, true);
  assert.deepEqual(h.bins.map((bin) => [bin.x0, bin.count]), [[0.5, 1], [1.5, 0], [2.5, 3]]);
});

Deno.test("histogram: a long tail trims the range to the 1st-99th percentiles and counts what is outside", () => {
  const values = [...Array.from({ length: 98 }, (_, i) => i / 10), -1000, 5000];
  const h = histogram(pl.DataFrame({ x: values }), "x", 10);
  assert.deepEqual([h.below, h.above], [1, 1]);
  assert.equal(h.bins.reduce((sum, bin) => sum + bin.count, 0), 98);
  assert.ok(h.bins[0].x0 > -1000 && h.bins[h.bins.length - 1].x1 < 5000);
});
