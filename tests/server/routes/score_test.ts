/**
 * `POST /score` and `POST /score/batch` through `app.request()`: answers equal
 * the scorer's, and every kind of bad input gets FastAPI's error shape with
 * its field path, never a 5xx.
 */
import assert from "node:assert/strict";
import { Scorer } from "../../../src/bundle/scorer.ts";
import { linearReasons, post, SEED_BODY, serverFixture, testApp } from "../fixtures.ts";

async function scorer(): Promise<Scorer> {
  return new Scorer((await serverFixture()).bundle);
}

/** Reasons as served against reasons derived independently: same fields in the same order, points to 1e-9. */
function assertReasons(
  served: readonly { feature: string; points: number }[],
  derived: readonly { feature: string; points: number }[],
): void {
  assert.deepEqual(served.map((r) => r.feature), derived.map((r) => r.feature));
  served.forEach((r, i) => assert.ok(Math.abs(r.points - derived[i].points) <= 1e-9, `${r.feature}: ${r.points}`));
}

async function detail(res: Response): Promise<{ loc: unknown[]; msg: string; type: string; input?: unknown }[]> {
  const body = await res.json();
  assert.ok(Array.isArray(body.detail), JSON.stringify(body));
  return body.detail;
}

Deno.test("POST /score answers the seed client's body with the scorer's figures, the model and a request id", async () => {
  const { app } = await testApp();
  const res = await post(app, "/score", SEED_BODY);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f]{8}-[0-9a-z]+$/);
  const body = await res.json();
  const { customer_id: _, ...fields } = SEED_BODY;
  const expected = (await scorer()).scoreRecords([fields], { reasons: 3 })[0];
  assert.equal(body.customer_id, 999999);
  assert.equal(body.probability, expected.probability);
  assert.equal(body.score, expected.score);
  assert.equal(body.decision, expected.decision);
  assert.equal(body.baseline_score, expected.baseline_score);
  assertReasons(body.reasons, linearReasons((await serverFixture()).bundle, fields, 3));
  assert.equal(body.model_name, "model_bundle");
  assert.equal(body.model_version, null);
  const threshold = (await serverFixture()).bundle.threshold.probability;
  assert.equal(body.decision, body.probability >= threshold ? "convert" : "no_convert");
});

Deno.test("POST /score imputes missing fields: an empty record scores like the scorer's all-missing row", async () => {
  const { app } = await testApp();
  const res = await post(app, "/score", { customer_id: "c-1", recency_days: null });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.customer_id, "c-1");
  assert.equal(body.probability, (await scorer()).scoreRecords([{}])[0].probability);
});

Deno.test("POST /score keeps a valid client request id and replaces an unsafe one", async () => {
  const { app } = await testApp();
  const kept = await post(app, "/score", SEED_BODY, { "X-Request-Id": "abc-123" });
  assert.equal(kept.headers.get("x-request-id"), "abc-123");
  const replaced = await post(app, "/score", SEED_BODY, { "X-Request-Id": "bad id;" });
  assert.notEqual(replaced.headers.get("x-request-id"), "bad id;");
  assert.ok(replaced.headers.get("x-request-id"));
});

Deno.test("POST /score?reasons=N sets the number of reason codes; a bad N is a 422 on the query", async () => {
  const { app } = await testApp();
  const none = await (await post(app, "/score?reasons=0", SEED_BODY)).json();
  assert.deepEqual(none.reasons, []);
  const one = await (await post(app, "/score?reasons=1", SEED_BODY)).json();
  const { customer_id: _, ...fields } = SEED_BODY;
  const [top] = linearReasons((await serverFixture()).bundle, fields, 1);
  assert.ok(top, "the seed body has a field below the reference customer");
  assertReasons(one.reasons, [top]);
  for (const bad of ["abc", "-1", "2.5", "999"]) {
    const res = await post(app, `/score?reasons=${bad}`, SEED_BODY);
    assert.equal(res.status, 422, bad);
    assert.deepEqual((await detail(res))[0].loc, ["query", "reasons"]);
  }
});

Deno.test("POST /score?reasons=all: every field, summing to score − baseline_score; reason_method is checked", async () => {
  const { app } = await testApp();
  const all = await (await post(app, "/score?reasons=all", SEED_BODY)).json();
  const fields = (await scorer()).features;
  assert.deepEqual(all.reasons.map((r: { feature: string }) => r.feature).sort(), [...fields].sort());
  const sum = all.reasons.reduce((total: number, r: { points: number }) => total + r.points, 0);
  assert.ok(Math.abs(sum - (all.score - all.baseline_score)) <= 1e-6, `${sum} vs ${all.score - all.baseline_score}`);
  const explicit = await (await post(app, "/score?reasons=2&reason_method=reference", SEED_BODY)).json();
  assert.deepEqual(explicit.reasons, all.reasons.slice(0, 2));
  // The fixture is a logistic model on one-hot columns: max_points is for WoE scorecards only.
  for (const bad of ["max_points", "best"]) {
    const res = await post(app, `/score?reason_method=${bad}`, SEED_BODY);
    assert.equal(res.status, 422, bad);
    assert.deepEqual((await detail(res))[0].loc, ["query", "reason_method"]);
  }
});

Deno.test("POST /score: each bad field is one 422 entry with its path, pydantic's type and the input", async () => {
  const { app } = await testApp();
  const res = await post(app, "/score", {
    customer_id: 1.5,
    recency_days: "12",
    frequency: -1,
    monetary: -5,
    preferred_channel: 3,
    recency: 4,
  });
  assert.equal(res.status, 422);
  const entries = await detail(res);
  const byField = Object.fromEntries(entries.map((e) => [e.loc.join("."), e]));
  assert.deepEqual(Object.keys(byField).sort(), [
    "body.customer_id",
    "body.frequency",
    "body.preferred_channel",
    "body.recency",
    "body.recency_days",
  ]);
  assert.equal(byField["body.customer_id"].type, "union_type");
  assert.equal(byField["body.recency_days"].type, "float_type");
  assert.equal(byField["body.recency_days"].input, "12");
  assert.equal(byField["body.frequency"].type, "greater_than_equal");
  assert.equal(byField["body.frequency"].msg, "Input should be greater than or equal to 0");
  assert.equal(byField["body.preferred_channel"].type, "string_type");
  assert.equal(byField["body.recency"].type, "extra_forbidden");
  assert.equal(byField["body.recency"].msg, "Extra inputs are not permitted");
});

Deno.test("POST /score: NaN, Infinity, -Infinity and 1e999 are 422 finite_number at their field, not malformed JSON", async () => {
  const { app } = await testApp();
  const res = await post(
    app,
    "/score",
    '{"recency_days": NaN, "frequency": Infinity, "monetary": -Infinity, "avg_amount": 1e999, "preferred_channel": "NaN"}',
  );
  assert.equal(res.status, 422);
  const entries = await detail(res);
  assert.deepEqual(entries.map((e) => [e.loc[1], e.type, e.input]), [
    ["recency_days", "finite_number", "NaN"],
    ["frequency", "finite_number", "Infinity"],
    ["monetary", "finite_number", "-Infinity"],
    ["avg_amount", "finite_number", "Infinity"],
  ]);
});

Deno.test("POST /score: a categorical level never seen in training is scored, not refused", async () => {
  const { app } = await testApp();
  const res = await post(app, "/score", { ...SEED_BODY, preferred_channel: "carrier-pigeon" });
  assert.equal(res.status, 200);
});

Deno.test("POST /score: a body that is not an object, not JSON, or empty", async () => {
  const { app } = await testApp();
  const list = await post(app, "/score", [SEED_BODY]);
  assert.equal(list.status, 422);
  assert.deepEqual((await detail(list))[0], {
    loc: ["body"],
    msg: "Input should be a valid dictionary or object to extract fields from",
    type: "model_attributes_type",
  });
  const malformed = await post(app, "/score", '{"frequency": 3,,}');
  assert.equal(malformed.status, 400);
  const [entry] = await detail(malformed);
  assert.equal(entry.type, "json_invalid");
  assert.deepEqual(entry.loc, ["body", 16]);
  const empty = await post(app, "/score", "");
  assert.equal(empty.status, 422);
  assert.equal((await detail(empty))[0].type, "missing");
});

Deno.test("POST /score: a body over the limit is 413, with or without a declared length", async () => {
  const { app } = await testApp({ maxBodyBytes: 1000 });
  const big = JSON.stringify({ ...SEED_BODY, customer_id: "x".repeat(2000) });
  const declared = await post(app, "/score", big, { "Content-Length": String(big.length) });
  assert.equal(declared.status, 413);
  assert.match((await declared.json()).detail, /larger than the limit of 1000 bytes/);
  const chunked = await app.request("/score", {
    method: "POST",
    body: new Blob([big]).stream(),
  });
  assert.equal(chunked.status, 413);
  assert.ok(chunked.headers.get("x-request-id"));
  const small = await post(app, "/score", SEED_BODY, { "Content-Length": String(JSON.stringify(SEED_BODY).length) });
  assert.equal(small.status, 200);
  const smallChunked = await app.request("/score", {
    method: "POST",
    body: new Blob([JSON.stringify(SEED_BODY)]).stream(),
  });
  assert.equal(smallChunked.status, 200);
  assert.equal((await smallChunked.json()).customer_id, SEED_BODY.customer_id);
});

Deno.test("POST /score/batch answers in order, each record as the scorer scores it alone", async () => {
  const { app } = await testApp();
  const records = [
    { customer_id: 1, recency_days: 3, frequency: 40 },
    { customer_id: "two", recency_days: 300, frequency: 1 },
    { customer_id: 3 },
  ];
  const res = await post(app, "/score/batch?reasons=2", records);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.count, 3);
  assert.equal(body.model_name, "model_bundle");
  const s = await scorer();
  body.results.forEach((result: { customer_id: unknown; probability: number; reasons: unknown[] }, i: number) => {
    const { customer_id, ...fields } = records[i];
    assert.equal(result.customer_id, customer_id);
    const alone = s.scoreRecords([fields], { reasons: 2 })[0];
    assert.equal(result.probability, alone.probability);
    assert.deepEqual(result.reasons, alone.reasons);
    assertReasons(result.reasons, linearReasons(s.bundle, fields, 2));
  });
});

Deno.test("POST /score/batch: empty, too many, not a list, and bad records located by index", async () => {
  const { app } = await testApp();
  const empty = await post(app, "/score/batch", []);
  assert.equal(empty.status, 422);
  assert.deepEqual(await detail(empty), [{
    loc: ["body"],
    msg: "List should have at least 1 item after validation, not 0",
    type: "too_short",
    ctx: { field_type: "List", min_length: 1, actual_length: 0 },
  }]);
  const many = await post(app, "/score/batch", Array.from({ length: 51 }, () => SEED_BODY));
  assert.equal(many.status, 422);
  const [tooLong] = await detail(many);
  assert.equal(tooLong.type, "too_long");
  assert.equal(tooLong.msg, "List should have at most 50 items after validation, not 51");
  const object = await post(app, "/score/batch", SEED_BODY);
  assert.equal((await detail(object))[0].type, "list_type");
  const bad = await post(app, "/score/batch", [SEED_BODY, { frequency: "many" }, SEED_BODY, { channels: -2, x: 1 }]);
  assert.equal(bad.status, 422);
  assert.deepEqual((await detail(bad)).map((e) => e.loc), [
    ["body", 1, "frequency"],
    ["body", 3, "channels"],
    ["body", 3, "x"],
  ]);
});

Deno.test("POST /score: an id beyond a safe integer is told to be a string or a safe integer", async () => {
  const { app } = await testApp();
  const res = await post(app, "/score", '{"customer_id": 99999999999999999999, "frequency": 3}');
  assert.equal(res.status, 422);
  assert.deepEqual((await res.json()).detail, [{
    loc: ["body", "customer_id"],
    msg:
      "Input should be a string or a safe integer (at most 9007199254740991 in magnitude): send a longer id as a string",
    type: "union_type",
    input: 100000000000000000000,
  }]);
  assert.equal((await post(app, "/score", '{"customer_id": "99999999999999999999"}')).status, 200);
});
