import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { schemaOf, tableFromRecords } from "../../src/prep/records.ts";

const schema = { amount: "numeric", channel: "categorical" } as const;

Deno.test("tableFromRecords coerces numbers and levels and marks absent fields missing", () => {
  const t = tableFromRecords(
    [{ amount: "12.5", channel: 3 }, { amount: true }, { amount: null, channel: "web", extra: [1] }, {}],
    schema,
  );
  assert.equal(t.rows, 4);
  assert.deepEqual([...t.columns.amount.values as Float64Array], [12.5, 1, NaN, NaN]);
  assert.deepEqual(t.columns.channel.values, ["3", null, "web", null]);
  assert.deepEqual(Object.keys(t.columns), ["amount", "channel"]);
});

Deno.test("tableFromRecords names the field and the record for a wrong type", () => {
  assert.throws(
    () => tableFromRecords([{ amount: 1 }, { amount: "abc" }], schema),
    (error: unknown) =>
      error instanceof DataError && error.message === 'column "amount", row 2: not a number (value: "abc")',
  );
  assert.throws(
    () => tableFromRecords([{ channel: { a: 1 } }], schema),
    /column "channel", row 1: not a text or number value/,
  );
  assert.throws(() => tableFromRecords([null], schema), /row 1: a record must be a JSON object/);
});

Deno.test("schemaOf reads the kinds", () => {
  const t = tableFromRecords([{ amount: 1, channel: "a" }], schema);
  assert.deepEqual(schemaOf(t), schema);
});
