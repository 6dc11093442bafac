import assert from "node:assert/strict";
import {
  parsePythonFloat,
  parsePythonInt,
  pythonFloatRepr,
  pythonJsonDumps,
} from "../../src/tracking/python_format.ts";

Deno.test("pythonFloatRepr matches Python's repr(float)", () => {
  // Expected strings are what CPython 3 prints for repr() of these floats.
  const cases: [number, string][] = [
    [1, "1.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.9651336898395722, "0.9651336898395722"],
    [0.1, "0.1"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [123456.789, "123456.789"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.2345678901234567e20, "1.2345678901234567e+20"],
    [-2.5, "-2.5"],
    [1e300, "1e+300"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ];
  for (const [value, expected] of cases) assert.equal(pythonFloatRepr(value), expected, `repr(${value})`);
});

Deno.test("pythonFloatRepr round-trips through parsePythonFloat", () => {
  for (const value of [Math.PI, 1 / 3, 2 ** -30, 6.02214076e23, -1e-310, 0.30000000000000004]) {
    assert.equal(parsePythonFloat(pythonFloatRepr(value)), value);
  }
});

Deno.test("parsePythonFloat accepts what Python's float() accepts and nothing else", () => {
  assert.equal(parsePythonFloat("1e-05"), 0.00001);
  assert.equal(parsePythonFloat("1_000.5"), 1000.5);
  assert.equal(parsePythonFloat(".5"), 0.5);
  assert.equal(parsePythonFloat("5."), 5);
  assert.equal(parsePythonFloat("Infinity"), Infinity);
  assert.equal(parsePythonFloat("-inf"), -Infinity);
  assert.ok(Number.isNaN(parsePythonFloat("NaN")));
  for (const bad of ["", "abc", "1e", "1__0", "_1", "0x10", "1,5"]) {
    assert.equal(parsePythonFloat(bad), undefined, bad);
  }
});

Deno.test("parsePythonInt rejects decimals, as Python's int() does", () => {
  assert.equal(parsePythonInt("1765941699288"), 1765941699288);
  assert.equal(parsePythonInt("-3"), -3);
  assert.equal(parsePythonInt("1.0"), undefined);
  assert.equal(parsePythonInt("1e3"), undefined);
});

Deno.test("pythonJsonDumps matches json.dumps separators, escaping and indent", () => {
  assert.equal(
    pythonJsonDumps({ a: [1, 0.5, null, true], b: "é\n" }),
    '{"a": [1, 0.5, null, true], "b": "\\u00e9\\n"}',
  );
  assert.equal(pythonJsonDumps([]), "[]");
  assert.equal(pythonJsonDumps({ x: 1e-7 }), '{"x": 1e-07}');
  assert.equal(pythonJsonDumps({ k: [1, 2] }, 2), '{\n  "k": [\n    1,\n    2\n  ]\n}');
  assert.equal(pythonJsonDumps("😀"), '"\\ud83d\\ude00"');
});
