import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { correlationMatrix, strongPairs } from "../../src/eda/correlation.ts";

Deno.test("correlation of known series: linear, inverse, uncorrelated, pairwise-complete, constant", () => {
  const frame = pl.DataFrame({
    a: [1, 2, 3, 4, 5],
    up: [3, 5, 7, 9, 11],
    down: [5, 4, 3, 2, 1],
    flat: [1, 0, 1, 0, 1],
    gappy: [2, 4, 7, null, 1],
    constant: [7, 7, 7, 7, 7],
    label: ["p", "q", "r", "s", "t"],
  });
  const matrix = correlationMatrix(frame);
  assert.deepEqual(matrix.columns, ["a", "up", "down", "flat", "gappy", "constant"]);
  const r = (x: string, y: string) => matrix.values[matrix.columns.indexOf(x)][matrix.columns.indexOf(y)];
  assert.ok(Math.abs(r("a", "up")! - 1) < 1e-12);
  assert.ok(Math.abs(r("a", "down")! + 1) < 1e-12);
  // a - 3 = (-2, -1, 0, 1, 2) against flat - 0.6 = (0.4, -0.6, 0.4, -0.6, 0.4): the products sum to 0.
  assert.ok(Math.abs(r("a", "flat")!) < 1e-12);
  // Rows 1-3 and 5 only: a = (1, 2, 3, 5), gappy = (2, 4, 7, 1).
  const [ax, gy] = [[1, 2, 3, 5], [2, 4, 7, 1]];
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mg] = [mean(ax), mean(gy)];
  const cov = ax.reduce((s, x, i) => s + (x - ma) * (gy[i] - mg), 0);
  const sd = (v: number[], m: number) => Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0));
  assert.ok(Math.abs(r("a", "gappy")! - cov / (sd(ax, ma) * sd(gy, mg))) < 1e-12);
  assert.equal(r("gappy", "a"), r("a", "gappy"));
  assert.equal(r("a", "constant"), null);
  assert.equal(r("up", "up"), 1);
  assert.deepEqual(
    strongPairs(matrix, 0.99).map((pair) => `${pair.a}~${pair.b}`),
    ["a~up", "a~down", "up~down"],
  );
});
