import assert from "node:assert/strict";
import { Imputer } from "../../src/prep/impute.ts";
import { MISSING_LEVEL } from "../../src/prep/levels.ts";
import { cat, num, roundTrip, table, values } from "./helpers.ts";

const train = table({
  x: num(1, NaN, 3, 10, NaN),
  c: cat("b", "a", null, "b", "a"),
  full: num(1, 2, 3, 4, 5),
});

Deno.test("imputer fills numeric medians and the most frequent level (ties: smallest)", () => {
  const imputer = Imputer.fit(train);
  assert.deepEqual(imputer.entries, [
    { feature: "x", kind: "numeric", value: 3, missing: 2 },
    { feature: "c", kind: "categorical", value: "a", missing: 1 },
    { feature: "full", kind: "numeric", value: 3, missing: 0 },
  ]);
  const out = imputer.transform(train);
  assert.deepEqual(values(out, "x"), [1, 3, 3, 10, 3]);
  assert.deepEqual(values(out, "c"), ["b", "a", "a", "b", "a"]);
  assert.deepEqual(values(train, "x").filter(Number.isNaN).length, 2, "the input is not modified");
});

Deno.test("imputer: explicit missing level and indicators only for features with train gaps", () => {
  const imputer = Imputer.fit(train, { categorical: "missing", indicators: true });
  const out = imputer.transform(train);
  assert.deepEqual(values(out, "c"), ["b", "a", MISSING_LEVEL, "b", "a"]);
  assert.deepEqual(values(out, "x_missing"), [0, 1, 0, 0, 1]);
  assert.deepEqual(values(out, "c_missing"), [0, 0, 1, 0, 0]);
  assert.equal(out.columns.full_missing, undefined);
});

Deno.test("imputer on other data: absent columns are all-missing; the fitted values do not move", () => {
  const imputer = Imputer.fit(train, { indicators: true });
  const before = JSON.stringify(imputer);
  const out = imputer.transform(table({ x: num(NaN, 7) }));
  assert.deepEqual(values(out, "x"), [3, 7]);
  assert.deepEqual(values(out, "c"), ["a", "a"]);
  assert.deepEqual(values(out, "c_missing"), [1, 1]);
  assert.equal(JSON.stringify(imputer), before);
});

Deno.test("imputer: all-missing numeric feature is filled with 0", () => {
  assert.equal(Imputer.fit(table({ x: num(NaN, NaN) })).entries[0].value, 0);
});

Deno.test("imputer JSON round trip gives identical output; wrong tags are rejected", () => {
  const imputer = Imputer.fit(train, { indicators: true });
  const copy = Imputer.fromJSON(roundTrip(imputer));
  const probe = table({ x: num(NaN, 2), c: cat(null, "zz") });
  assert.deepEqual(copy.transform(probe), imputer.transform(probe));
  assert.throws(
    () => Imputer.fromJSON({ type: "scaler", version: 1, entries: [] }),
    /expected a fitted "imputer" step/,
  );
  assert.throws(() => Imputer.fromJSON({ type: "imputer", version: 2, entries: [] }), /version 2 is not supported/);
});
