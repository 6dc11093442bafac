import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { targetRates, targetRateTable } from "../../src/eda/target_rate.ts";

const view = (bins: readonly { label: string; count: number; events: number }[]) =>
  bins.map((bin) => `${bin.label}:${bin.events}/${bin.count}`);

Deno.test("target rate by level: most frequent first, rare labels pooled, missing last", () => {
  const frame = pl.DataFrame({ c: ["a", "b", "a", null, "a", "b", "c", "d", "a", null] });
  const y = new Uint8Array([1, 0, 1, 1, 0, 0, 1, 0, 0, 1]);
  const table = targetRateTable(frame, y, "c", { maxLevels: 2 });
  assert.equal(table.kind, "categorical");
  assert.deepEqual(view(table.bins), ["a:2/4", "b:0/2", "(other):1/2", "(missing):2/2"]);
  assert.equal(table.bins[0].rate, 0.5);
});

Deno.test("target rate by decile: equal-count bins of a numeric column, labelled by their value range", () => {
  const x = Array.from({ length: 20 }, (_, i) => i + 1);
  const y = new Uint8Array(x.map((value) => (value > 15 || value % 5 === 0 ? 1 : 0)));
  const table = targetRateTable(pl.DataFrame({ x }), y, "x", { bins: 4 });
  assert.equal(table.kind, "numeric");
  // Quartile cuts 5.75, 10.5, 15.25: bins 1-5, 6-10, 11-15, 16-20.
  assert.deepEqual(view(table.bins), ["1 – 5:1/5", "6 – 10:1/5", "11 – 15:1/5", "16 – 20:5/5"]);
  assert.deepEqual(table.bins.map((bin) => [bin.lower, bin.upper]), [[1, 5], [6, 10], [11, 15], [16, 20]]);
});

Deno.test("a numeric column with few values gets one bin per value; missing values their own bin", () => {
  const frame = pl.DataFrame({ n: [1, 2, 2, 3, 3, 3, null, 1] });
  const y = new Uint8Array([0, 1, 0, 1, 1, 0, 1, 0]);
  assert.deepEqual(view(targetRateTable(frame, y, "n").bins), ["1:0/2", "2:1/2", "3:2/3", "(missing):1/1"]);
});

Deno.test("targetRates covers numeric and categorical columns, skips dates, and checks lengths", () => {
  const frame = pl.DataFrame({ x: [1, 2], c: ["a", "b"], d: [new Date(0), new Date(1)] });
  assert.deepEqual(targetRates(frame, new Uint8Array([0, 1])).map((table) => table.column), ["x", "c"]);
  assert.throws(() => targetRateTable(frame, new Uint8Array([1]), "x"), /1 target values for 2 rows/);
});
