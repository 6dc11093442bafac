import assert from "node:assert/strict";
import { psi } from "../../src/evaluate/psi.ts";

Deno.test("psi: hand-computed two-band shift", () => {
  // Expected 1..8 → one cut at 4.5 (4 and 4). Actual: 6 below, 2 above.
  const result = psi(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), new Float64Array([1, 1, 2, 2, 3, 3, 7, 8]), {
    bins: 2,
  });
  const expected = (0.75 - 0.5) * Math.log(0.75 / 0.5) + (0.25 - 0.5) * Math.log(0.25 / 0.5);
  assert.ok(Math.abs(result.psi - expected) < 1e-12);
  assert.deepEqual(result.bins.map((b) => [b.lower, b.upper, b.expected, b.actual]), [
    [-Infinity, 4.5, 0.5, 0.75],
    [4.5, Infinity, 0.5, 0.25],
  ]);
});

Deno.test("psi: an empty band uses epsilon instead of an infinite log", () => {
  const result = psi(new Float64Array([1, 2, 3, 4]), new Float64Array([1, 1, 2, 2]), { bins: 2, epsilon: 1e-4 });
  const expected = (1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5);
  assert.ok(Math.abs(result.psi - expected) < 1e-12);
  assert.equal(psi(new Float64Array([1, 2, 3]), new Float64Array([3, 2, 1])).psi, 0);
  assert.throws(() => psi(new Float64Array([]), new Float64Array([1])), /expected sample is empty/);
  assert.throws(() => psi(new Float64Array([1]), new Float64Array([NaN])), /actual score of row 0 is NaN/);
});
