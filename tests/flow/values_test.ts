import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { decodeValue, encodeValue, packEncoded, unpackEncoded } from "../../src/flow/codec.ts";
import { hashValue } from "../../src/flow/hash.ts";
import { UnsupportedValueError } from "../../src/flow/errors.ts";
import { summarize } from "../../src/flow/values.ts";

function roundTrip<T>(value: T): Promise<T> {
  return decodeValue(unpackEncoded(packEncoded(encodeValue(value))));
}

Deno.test("hash: plain objects ignore key order and undefined members", () => {
  assert.equal(hashValue({ a: 1, b: { c: [1, 2] } }), hashValue({ b: { c: [1, 2] }, a: 1 }));
  assert.equal(hashValue({ a: 1, skip: undefined }), hashValue({ a: 1 }));
  assert.notEqual(hashValue({ a: 1 }), hashValue({ a: "1" }));
  assert.notEqual(hashValue([1, 2]), hashValue([2, 1]));
  assert.notEqual(hashValue({ ab: "c" }), hashValue({ a: "bc" }));
});

Deno.test("hash: Maps and Sets are unordered, typed arrays keep their type", () => {
  assert.equal(hashValue(new Map([[1, "a"], [2, "b"]])), hashValue(new Map([[2, "b"], [1, "a"]])));
  assert.notEqual(hashValue(new Map([[1, "a"], [2, "b"]])), hashValue(new Map([[1, "b"], [2, "a"]])));
  assert.equal(hashValue(new Set(["x", "y"])), hashValue(new Set(["y", "x"])));
  assert.notEqual(hashValue(new Float64Array([1, 2])), hashValue(new Float32Array([1, 2])));
  assert.notEqual(hashValue(new Float64Array([1, 2])), hashValue([1, 2]));
  assert.equal(hashValue(new Float64Array([1, NaN])), hashValue(new Float64Array([1, NaN])));
  assert.notEqual(hashValue(new Date(0)), hashValue(new Date(1)));
  assert.notEqual(hashValue(new Date(0)), hashValue(0));
});

Deno.test("hash: DataFrames hash by schema and content, not by chunking", () => {
  const whole = pl.DataFrame({ id: [1, 2, 3], name: ["a", null, "c"] });
  const chunked = pl.concat([whole.slice(0, 1), whole.slice(1, 2)]);
  assert.equal(hashValue(chunked), hashValue(whole));
  assert.notEqual(hashValue(whole.withColumns(pl.col("id").cast(pl.Int32))), hashValue(whole));
  assert.notEqual(hashValue(whole.rename({ name: "label" })), hashValue(whole));
  assert.notEqual(hashValue(whole.slice(0, 2)), hashValue(whole));
  assert.notEqual(hashValue(whole.sort("id", true)), hashValue(whole));
  assert.equal(hashValue(whole.getColumn("id")), hashValue(pl.Series("id", [1, 2, 3])));
});

Deno.test("hash: unhashable parts are named by path", () => {
  class Session {}
  const cases: [unknown, RegExp][] = [
    [{ items: [1, 2, { fit() {} }] }, /input\.items\[2\]\.fit: function fit/],
    [{ client: new Session() }, /input\.client: instance of Session/],
    [{ "odd key": Symbol("s") }, /input\["odd key"\]: symbol Symbol\(s\)/],
    [new Map([["k", () => 1]]), /input\.get\("k"\): function/],
  ];
  for (const [value, pattern] of cases) {
    assert.throws(
      () => hashValue(value),
      (e: unknown) => e instanceof UnsupportedValueError && pattern.test(e.message),
    );
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(() => hashValue(cyclic), /input\.self: a cycle/);
});

Deno.test("codec: round-trips JSON-hostile values", async () => {
  const value = {
    n: -0,
    specials: [NaN, Infinity, -Infinity, undefined, null],
    big: 12345678901234567890n,
    when: new Date(Date.UTC(2024, 1, 29, 12)),
    invalid: new Date(NaN),
    map: new Map<unknown, unknown>([[{ k: 1 }, "object key"], [2, new Set([1, "a"])]]),
    ints: new Int32Array([-1, 2, 3]),
    bytes: new Uint8Array([0, 255]),
    buffer: new Uint8Array([9, 8]).buffer,
    tagLike: { $t: "Date", v: 3 },
  };
  const back = await roundTrip(value);
  assert.ok(Object.is(back.n, -0));
  assert.ok(Number.isNaN(back.specials[0]));
  assert.deepEqual(back.specials.slice(1), [Infinity, -Infinity, undefined, null]);
  assert.equal(back.big, value.big);
  assert.equal(back.when.toISOString(), "2024-02-29T12:00:00.000Z");
  assert.ok(Number.isNaN(back.invalid.getTime()));
  assert.deepEqual([...back.map.keys()][0], { k: 1 });
  assert.deepEqual(back.map.get(2), new Set([1, "a"]));
  assert.deepEqual(back.ints, value.ints);
  assert.deepEqual(back.bytes, value.bytes);
  assert.deepEqual(new Uint8Array(back.buffer), new Uint8Array([9, 8]));
  assert.deepEqual(back.tagLike, { $t: "Date", v: 3 });
});

Deno.test("codec: DataFrames and Series travel as Arrow IPC", async () => {
  const frame = pl.DataFrame({ x: [1.5, null, 3], s: ["a", "b", null], b: [true, false, true] });
  const back = await roundTrip({ frame, series: frame.getColumn("s") });
  assert.ok(back.frame.frameEqual(frame, true));
  assert.deepEqual(back.frame.dtypes.map(String), frame.dtypes.map(String));
  assert.deepEqual(back.series.toArray(), ["a", "b", null]);
  assert.equal(encodeValue({ frame }).blobs.length, 1);
});

Deno.test("codec: unstorable parts are named by path, bad bytes are rejected", () => {
  assert.throws(
    () => encodeValue({ model: { predict: () => 1 } }),
    /cannot store result\.model\.predict: function predict/,
  );
  assert.throws(() => unpackEncoded(new TextEncoder().encode("nope, not packed")), /not a packed value/);
  const packed = packEncoded(encodeValue(new Float64Array(8)));
  assert.throws(() => unpackEncoded(packed.subarray(0, packed.length - 4)), /truncated/);
});

Deno.test("summarize: records stay small", () => {
  const summary = summarize({
    frame: pl.DataFrame({ a: [1, 2] }),
    xs: new Float64Array(1e6),
    list: Array.from({ length: 30 }, (_, i) => i),
    nan: NaN,
  }) as Record<string, unknown>;
  assert.deepEqual(summary.frame, { type: "DataFrame", rows: 2, columns: ["a"] });
  assert.deepEqual(summary.xs, { type: "Float64Array", length: 1e6 });
  assert.equal((summary.list as unknown[]).length, 21);
  assert.equal(summary.nan, "NaN");
});
