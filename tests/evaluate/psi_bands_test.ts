import assert from "node:assert/strict";
import { countBands, PSI_EPSILON, stability, toShares } from "../../src/evaluate/psi.ts";

const close = (actual: number, expected: number, tolerance = 1e-7) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

Deno.test("PSI of known distributions matches the hand computation", () => {
  // 0.2·ln(0.7/0.5) + (−0.2)·ln(0.3/0.5) = 0.2·0.33647224 + 0.2·0.51082562
  close(stability([0.5, 0.5], [0.7, 0.3]).psi, 0.16945957);
  // Ten even deciles against a batch that moved one tenth from the first to the last decile.
  const even = new Array(10).fill(0.1);
  const moved = [0, ...new Array(8).fill(0.1), 0.2];
  // (ε − 0.1)·ln(ε/0.1) + 0.1·ln(2), ε = 1e-4: 0.0999·6.90775528 + 0.06931472
  close(stability(even, moved).psi, 0.0999 * Math.log(1000) + 0.1 * Math.log(2));
  close(stability(even, moved).psi, 0.75939947);
  assert.equal(stability(even, even).psi, 0);
});

Deno.test("an empty band counts as epsilon, so PSI stays finite", () => {
  const { psi, contributions } = stability([0.5, 0.5], [1, 0]);
  // 0.5·ln 2 + (1e-4 − 0.5)·ln(1e-4 / 0.5) = 0.34657359 + 4.25774488
  close(psi, 4.60431847);
  close(contributions[1], (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5));
  assert.throws(() => stability([1], [0.5, 0.5]), /1 expected shares but 2 actual shares/);
});

Deno.test("bands are upper-inclusive, as the score reference's edges, and missing values are not counted", () => {
  const counts = new Float64Array(3);
  const counted = countBands(
    new Float64Array([0.5, 1.5]),
    new Float64Array([0.5, 0.50001, 1.5, 9, NaN, -Infinity]),
    counts,
  );
  assert.equal(counted, 4);
  assert.deepEqual(Array.from(counts), [1, 2, 1]);
  assert.deepEqual(Array.from(toShares(counts)), [0.25, 0.5, 0.25]);
  assert.deepEqual(Array.from(toShares(new Float64Array(2))), [0, 0]);
});
