import assert from "node:assert/strict";
import { OTHER_LEVEL } from "../../src/prep/levels.ts";
import { OneHotEncoder } from "../../src/prep/onehot.ts";
import { cat, num, roundTrip, table, values } from "./helpers.ts";

const train = table({
  x: num(1, 2, 3, 4, 5, 6),
  c: cat("web", "app", "web", "store", "app", null),
});

Deno.test("one-hot: sorted train levels, rare levels pooled, unknown and missing all zeros", () => {
  const encoder = OneHotEncoder.fit(train, { minCount: 2 });
  assert.deepEqual(encoder.entries, [{ feature: "c", columns: ["app", "web", OTHER_LEVEL], rare: ["store"] }]);
  const out = encoder.transform(table({ x: num(0, 0, 0, 0), c: cat("web", "store", "tv", null) }));
  assert.deepEqual(Object.keys(out.columns), ["x", "c=app", "c=web", "c=(other)"]);
  assert.deepEqual(values(out, "c=app"), [0, 0, 0, 0]);
  assert.deepEqual(values(out, "c=web"), [1, 0, 0, 0]);
  assert.deepEqual(values(out, "c=(other)"), [0, 1, 0, 0]);
});

Deno.test("one-hot with minCount 1 keeps every level; an absent column encodes as zeros", () => {
  const encoder = OneHotEncoder.fit(train, { minCount: 1 });
  assert.deepEqual(encoder.levelBlock("c")?.names, ["c=app", "c=store", "c=web"]);
  const out = encoder.transform(table({ x: num(1) }));
  assert.deepEqual([values(out, "c=app"), values(out, "c=store"), values(out, "c=web")], [[0], [0], [0]]);
});

Deno.test("one-hot JSON round trip gives identical output", () => {
  const encoder = OneHotEncoder.fit(train, { minCount: 2 });
  const copy = OneHotEncoder.fromJSON(roundTrip(encoder));
  assert.deepEqual(copy.transform(train), encoder.transform(train));
});
