import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ChunkValidator } from "../../src/ops/validate_chunk.ts";

const FIELDS = [
  { name: "frequency", kind: "numeric" as const, nonNegative: true },
  { name: "monetary", kind: "numeric" as const },
  { name: "channel", kind: "categorical" as const },
  { name: "extra", kind: "numeric" as const, monitorOnly: true },
];

Deno.test("text chunks: numbers parse, blanks are missing, anything else rejects the row with its reason", () => {
  const chunk = pl.DataFrame({
    id: ["c1", "c2", "c3", "  ", "c5", "c6"],
    frequency: [" 3 ", "", "-2", "4", "5", "6"],
    monetary: ["10.5", "1e3", "12", "7", "NaN", "abc"],
    channel: ["web", null, "app", "web", "store", "web"],
    extra: ["1", "oops", "2", "3", "4", "5"],
  });
  const validator = new ChunkValidator(FIELDS, "id");
  const { table, ids, rows, rejects } = validator.validate(chunk, 100);
  assert.deepEqual(ids.toArray(), ["c1", "c2"]);
  assert.deepEqual(Array.from(rows), [101, 102]);
  const column = (name: string) => table.columns[name];
  assert.deepEqual(Array.from(column("frequency").values as Float64Array), [3, NaN]);
  assert.deepEqual(Array.from(column("monetary").values as Float64Array), [10.5, 1000]);
  assert.deepEqual(column("channel").values, ["web", null]);
  // A field only the drift report reads never rejects a row: "oops" is just missing.
  assert.deepEqual(Array.from(column("extra").values as Float64Array), [1, NaN]);
  assert.deepEqual(rejects.getColumn("row").toArray().map(Number), [103, 104, 105, 106]);
  assert.deepEqual(rejects.getColumn("id").toArray(), ["c3", "  ", "c5", "c6"]);
  assert.deepEqual(rejects.getColumn("reason").toArray(), [
    'column "frequency": a count cannot be negative (value: "-2")',
    'column "id": missing id (value: "  ")',
    'column "monetary": not a number (value: "NaN")',
    'column "monetary": not a number (value: "abc")',
  ]);
});

Deno.test("typed chunks: NaN is missing, infinities reject; no id column numbers the rows", () => {
  const chunk = pl.DataFrame({
    frequency: [1, 2, 3],
    monetary: [5.5, Number.NaN, Number.POSITIVE_INFINITY],
    channel: ["web", "app", "web"],
    extra: [1, 2, 3],
  });
  const { table, ids, rejects } = new ChunkValidator(FIELDS).validate(chunk, 0);
  assert.equal(ids.name, "row");
  assert.deepEqual(ids.toArray().map(Number), [1, 2]);
  assert.deepEqual(Array.from(table.columns.monetary.values as Float64Array), [5.5, NaN]);
  assert.deepEqual(rejects.getColumn("reason").toArray(), ['column "monetary": not a number (value: "Infinity")']);
  assert.equal(new ChunkValidator(FIELDS).validate(chunk.head(2), 0).rejects.height, 0);
});

Deno.test("text values reach the scorer unchanged: every level, null and ordering case, in row order", () => {
  // Levels that sort differently by case, accent and length, repeated and interleaved with nulls.
  const channel = ["web", null, "Web", "é", "app", "web", "a", null, "ab", "Web", "e", "app"];
  const chunk = pl.DataFrame({ id: channel.map((_, i) => `c${i}`), channel });
  const { table } = new ChunkValidator([{ name: "channel", kind: "categorical" }], "id").validate(chunk, 0);
  assert.deepEqual(table.columns.channel.values, channel);
});
