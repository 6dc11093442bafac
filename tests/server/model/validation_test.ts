/**
 * The request schemas, the FastAPI translation of zod's issues, the fast
 * check that must accept exactly what zod accepts, and the JSON reader that
 * lets `NaN` reach validation.
 */
import assert from "node:assert/strict";
import { createRandom } from "../../../src/stats/random.ts";
import type { BundleField } from "../../../src/bundle/bundle.ts";
import { parseJson } from "../../../server/middleware/json_body.ts";
import { issueDetails, requestSchemas } from "../../../server/model/validation.ts";

const FIELDS: BundleField[] = [
  { name: "frequency", kind: "numeric", nonNegative: true, min: 1, max: 90, reference: 5 },
  { name: "monetary", kind: "numeric", min: -100, max: 30000, reference: 240 },
  { name: "preferred_channel", kind: "categorical", levels: ["app", "store", "web"], reference: "web" },
];

Deno.test("requestSchemas: counts non-negative, other numbers any finite value, levels text, ids text or integer", () => {
  const { record } = requestSchemas(FIELDS, { maxBatch: 10 });
  const ok = [
    {},
    { customer_id: "c1", frequency: 0, monetary: -3.5, preferred_channel: "fax" },
    { customer_id: -7, frequency: null, monetary: null, preferred_channel: null },
  ];
  for (const value of ok) assert.ok(record.safeParse(value).success, JSON.stringify(value));
  const bad = [
    { frequency: -0.5 },
    { monetary: "3" },
    { monetary: Number.NaN },
    { preferred_channel: 1 },
    { customer_id: 1.5 },
    { customer_id: "" },
    { customer_id: "x".repeat(257) },
    { other: 1 },
  ];
  for (const value of bad) assert.ok(!record.safeParse(value).success, JSON.stringify(value));
});

Deno.test("issueDetails maps zod issues to pydantic's types and messages, located under the root", () => {
  const { batch } = requestSchemas(FIELDS, { maxBatch: 2 });
  const input = [{ frequency: -1, extra: true }, { monetary: Number.POSITIVE_INFINITY, preferred_channel: ["a"] }];
  const result = batch.safeParse(input);
  assert.ok(!result.success);
  assert.deepEqual(issueDetails(result.error.issues, ["body"], input), [
    {
      loc: ["body", 0, "frequency"],
      msg: "Input should be greater than or equal to 0",
      type: "greater_than_equal",
      ctx: { ge: 0 },
      input: -1,
    },
    { loc: ["body", 0, "extra"], msg: "Extra inputs are not permitted", type: "extra_forbidden", input: true },
    { loc: ["body", 1, "monetary"], msg: "Input should be a finite number", type: "finite_number", input: "Infinity" },
    { loc: ["body", 1, "preferred_channel"], msg: "Input should be a valid string", type: "string_type" },
  ]);
  const long = [...input, {}];
  const tooLong = batch.safeParse(long);
  assert.ok(!tooLong.success);
  assert.deepEqual(issueDetails(tooLong.error.issues, ["body"], long), [{
    loc: ["body"],
    msg: "List should have at most 2 items after validation, not 3",
    type: "too_long",
    ctx: { field_type: "List", max_length: 2, actual_length: 3 },
  }]);
});

Deno.test("the fast check accepts exactly what zod accepts, on thousands of generated records and batches", () => {
  const schemas = requestSchemas(FIELDS, { maxBatch: 3 });
  const random = createRandom(5);
  const pick = <T>(items: readonly T[]): T => items[random.int(items.length)];
  const values = [
    0,
    -0,
    -1,
    2.5,
    -2.5,
    1e300,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 2,
    "",
    "web",
    "5",
    "x".repeat(257),
    null,
    undefined,
    true,
    [],
    {},
  ];
  const keys = ["customer_id", "frequency", "monetary", "preferred_channel", "other", "__proto__"];
  const record = () => {
    if (random.next() < 0.05) return pick([null, [], "x", 3]);
    const value: Record<string, unknown> = {};
    for (let k = random.int(5); k > 0; k--) value[pick(keys)] = pick(values);
    return value;
  };
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const value = record();
    const zod = schemas.record.safeParse(value).success;
    assert.equal(schemas.isRecord(value), zod, JSON.stringify(value));
    if (zod) accepted++;
    const list = Array.from({ length: random.int(5) }, record);
    assert.equal(schemas.isBatch(list), schemas.batch.safeParse(list).success, JSON.stringify(list));
  }
  assert.ok(accepted > 500 && accepted < 4500, `both outcomes exercised (${accepted} accepted)`);
  const parsed = parseJson('{"__proto__": {"frequency": 1}}');
  assert.ok(parsed.ok);
  assert.equal(schemas.isRecord(parsed.value), schemas.record.safeParse(parsed.value).success);
});

Deno.test("parseJson reads NaN and Infinity outside strings as numbers, leaves strings alone, reports where JSON breaks", () => {
  assert.deepEqual(parseJson('{"a": 1, "b": [2]}'), { ok: true, value: { a: 1, b: [2] } });
  const special = parseJson('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN \\" Infinity", "d": -1}');
  assert.ok(special.ok);
  const value = special.value as { a: number; b: number[]; c: string; d: number };
  assert.ok(Number.isNaN(value.a));
  assert.deepEqual(value.b, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  assert.equal(value.c, 'NaN " Infinity');
  assert.equal(value.d, -1);
  const broken = parseJson('{"a": NaN, "b": }');
  assert.ok(!broken.ok);
  assert.match(broken.error, /Unexpected token 'N'/, "the error of the text as sent");
  const located = parseJson('{"a": 1,,}');
  assert.ok(!located.ok);
  assert.equal(located.position, 8);
  const truncated = parseJson('{"a": 1');
  assert.ok(!truncated.ok);
  assert.equal(parseJson("NaNx").ok, false);
});
