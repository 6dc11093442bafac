import assert from "node:assert/strict";
import { featureReferenceOf } from "../../src/bundle/feature_reference.ts";

Deno.test("feature references: numeric quantile bands and categorical level bands with training shares", () => {
  const table = {
    rows: 6,
    columns: {
      x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3, 4, NaN, NaN]) },
      c: { kind: "categorical" as const, values: ["a", "b", "a", null, "a", "c"] },
    },
  };
  const [x, c] = featureReferenceOf(table, ["x", "c"]);
  assert.equal(x.kind, "numeric");
  if (x.kind !== "numeric") return;
  assert.deepEqual(x.edges, [1.5, 2.5, 3.5]);
  assert.deepEqual(x.shares, [1 / 6, 1 / 6, 1 / 6, 1 / 6]);
  assert.equal(x.missing, 2 / 6);
  assert.equal(c.kind, "categorical");
  if (c.kind !== "categorical") return;
  assert.deepEqual(c.groups, [["a"], ["b"], ["c"]]);
  assert.deepEqual(c.shares, [3 / 6, 1 / 6, 1 / 6]);
  assert.equal(c.missing, 1 / 6);
  assert.equal(c.otherGroup, undefined);
});

Deno.test("feature references: levels beyond the twenty most frequent share one band", () => {
  const values = Array.from({ length: 30 }, (_, i) => `level${String(i).padStart(2, "0")}`);
  const [c] = featureReferenceOf({ rows: 30, columns: { c: { kind: "categorical", values } } }, ["c"]);
  if (c.kind !== "categorical") throw new Error("categorical expected");
  assert.equal(c.groups.length, 21);
  assert.equal(c.otherGroup, 20);
  assert.equal(c.groups[20].length, 10);
  assert.ok(Math.abs(c.shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});
