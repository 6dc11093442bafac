import assert from "node:assert/strict";
import { Scaler } from "../../src/prep/scale.ts";
import { cat, num, roundTrip, table, values } from "./helpers.ts";

Deno.test("standard scaling uses the mean and the population standard deviation (ddof = 0)", () => {
  const scaler = Scaler.fit(table({ x: num(1, 2, 3, 4), c: cat("a", "b", "a", "b") }));
  assert.equal(scaler.entries.length, 1);
  assert.equal(scaler.entries[0].shift, 2.5);
  assert.equal(scaler.entries[0].scale, 1.118033988749895);
  const out = values(scaler.transform(table({ x: num(2.5, 1, NaN) })), "x") as number[];
  assert.equal(out[0], 0);
  assert.ok(Math.abs(out[1] - -1.3416407864998738) < 1e-15);
  assert.ok(Number.isNaN(out[2]));
});

Deno.test("min-max scaling maps the train range to [0, 1]", () => {
  const scaler = Scaler.fit(table({ x: num(2, 4, 10, NaN) }), { method: "minmax" });
  assert.deepEqual(scaler.entries, [{ feature: "x", shift: 2, scale: 8 }]);
  assert.deepEqual(values(scaler.transform(table({ x: num(2, 6, 10, 18) })), "x"), [0, 0.5, 1, 2]);
});

Deno.test("constant features get scale 1 (no division by zero)", () => {
  const standard = Scaler.fit(table({ x: num(3, 3, 3) }));
  const minmax = Scaler.fit(table({ x: num(3, 3, 3) }), { method: "minmax" });
  assert.deepEqual(standard.entries[0], { feature: "x", shift: 3, scale: 1 });
  assert.deepEqual(values(minmax.transform(table({ x: num(3, 4) })), "x"), [0, 1]);
});

Deno.test("scaler JSON round trip gives identical output", () => {
  const scaler = Scaler.fit(table({ x: num(0.1, 0.7, 3.3) }));
  const probe = table({ x: num(0.3, 12) });
  assert.deepEqual(Scaler.fromJSON(roundTrip(scaler)).transform(probe), scaler.transform(probe));
});
