import assert from "node:assert/strict";
import { choleskySolve } from "../../src/models/cholesky.ts";

Deno.test("choleskySolve: solves a 3×3 SPD system and leaves inputs unchanged", () => {
  const A = new Float64Array([4, 12, -16, 12, 37, -43, -16, -43, 98]);
  const x = new Float64Array([1, -2, 0.5]);
  const b = new Float64Array(3).map((_, i) => A[3 * i] * x[0] + A[3 * i + 1] * x[1] + A[3 * i + 2] * x[2]);
  const copy = A.slice();
  const solved = choleskySolve(A, b, 3)!;
  solved.forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1e-12));
  assert.deepEqual(A, copy);
});

Deno.test("choleskySolve: undefined for a matrix that is not positive definite", () => {
  assert.equal(choleskySolve(new Float64Array([1, 2, 2, 1]), new Float64Array([1, 1]), 2), undefined);
  assert.equal(choleskySolve(new Float64Array([1, 1, 1, 1]), new Float64Array([1, 1]), 2), undefined);
});
