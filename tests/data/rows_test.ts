import assert from "node:assert/strict";
import { takeRows, takeValues } from "../../src/data/table.ts";

Deno.test("takeRows / takeValues: rows in the given order, repeats allowed", () => {
  const X = { rows: 3, cols: 2, names: ["a", "b"], data: new Float64Array([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(takeRows(X, [2, 0, 2]).data, new Float64Array([5, 6, 1, 2, 5, 6]));
  assert.deepEqual(takeValues(new Float64Array([0.1, 0.2, 0.3]), [1, 1]), new Float64Array([0.2, 0.2]));
  assert.throws(() => takeRows(X, [3]), { name: "RangeError", message: /row index 3 is outside 0..2/ });
});
