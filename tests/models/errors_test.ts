import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { rocAuc } from "../../src/evaluate/roc.ts";
import { fitLogistic } from "../../src/models/logistic.ts";
import { pointsScaling } from "../../src/models/points.ts";
import { stratifiedKFold } from "../../src/models/split.ts";

const X = { rows: 4, cols: 1, names: ["x"], data: new Float64Array([0, 1, 2, 3]) };

Deno.test("errors: a bad argument is a RangeError, bad data a DataError", () => {
  assert.throws(() => fitLogistic(X, new Uint8Array([0, 1, 0, 1]), { C: -1 }), RangeError);
  assert.throws(() => pointsScaling({ pdo: 0 }), RangeError);
  assert.throws(() => stratifiedKFold(new Uint8Array([0, 1, 0, 1]), { k: 1, seed: 1 }), RangeError);
  assert.throws(() => stratifiedKFold(new Uint8Array([0, 1, 0, 1]), { k: 3, seed: 1 }), DataError);
  assert.throws(
    () => fitLogistic({ ...X, data: new Float64Array([0, NaN, 2, 3]) }, new Uint8Array([0, 1, 0, 1])),
    DataError,
  );
  assert.throws(() => rocAuc(new Float64Array([0.1, 0.2]), new Uint8Array([1, 1])), DataError);
});
