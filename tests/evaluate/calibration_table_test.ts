import assert from "node:assert/strict";
import { calibrationTable } from "../../src/evaluate/calibration.ts";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

Deno.test("calibrationTable: uniform bins by hand, empty bins skipped", () => {
  const p = new Float64Array([0.05, 0.1, 0.15, 0.55, 0.6, 0.95]);
  const y = new Uint8Array([0, 0, 1, 1, 0, 1]);
  const table = calibrationTable(p, y, { bins: 4 });
  // Bins (0,.25], (.25,.5] (empty), (.5,.75], (.75,1]; x <= edge stays in the lower bin.
  assert.deepEqual(table.map((b) => [b.lower, b.upper, b.count]), [[0, 0.25, 3], [0.5, 0.75, 2], [0.75, 1, 1]]);
  close(table[0].meanPredicted, 0.1);
  close(table[0].observedRate, 1 / 3);
  close(table[1].meanPredicted, 0.575);
  close(table[1].observedRate, 0.5);
});

Deno.test("calibrationTable: quantile bins hold equal counts", () => {
  const p = Float64Array.from({ length: 100 }, (_, i) => i / 100);
  const y = Uint8Array.from(p, (v) => v > 0.5 ? 1 : 0);
  const table = calibrationTable(p, y, { bins: 5, strategy: "quantile" });
  assert.deepEqual(table.map((b) => b.count), [20, 20, 20, 20, 20]);
  assert.throws(() => calibrationTable(p, y, { bins: 0 }), /bins must be an integer >= 1/);
});
