import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { fitLogistic } from "../../src/models/logistic.ts";
import { checkLabels } from "../../src/prep/labels.ts";
import { WoeEncoder } from "../../src/prep/woe.ts";

Deno.test("labels: one rule for preparation and models, failing with a DataError that names the row and value", () => {
  assert.throws(() => checkLabels(new Uint8Array([0, 1, 3]), 3), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.message, "row 3: labels must be 0 or 1 (value: 3)");
    return true;
  });
  assert.throws(() => checkLabels(new Uint8Array([0, 1]), 3), /the labels have 2 entries but the table has 3 rows/);
  checkLabels(new Uint8Array([1, 1]), 2);
  assert.throws(
    () => checkLabels(new Uint8Array([1, 1]), 2, { bothClasses: true }),
    /single class \(2 positives in 2 rows\)/,
  );
});

Deno.test("labels: a model refuses a single class with the same DataError, a WoE binning accepts it", () => {
  const X = { rows: 3, cols: 1, names: ["x"], data: new Float64Array([1, 2, 3]) };
  assert.throws(() => fitLogistic(X, new Uint8Array([0, 0, 0])), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /single class \(0 positives in 3 rows\)/);
    return true;
  });
  const table = { rows: 3, columns: { x: { kind: "numeric" as const, values: new Float64Array([1, 2, 3]) } } };
  assert.equal(WoeEncoder.fit(table, new Uint8Array([0, 0, 0])).binnings.length, 1);
});
