/**
 * Operations and documentation routes, unknown routes, the server without a
 * model, and the promise that no input ever produces a 5xx.
 */
import assert from "node:assert/strict";
import { createRandom } from "../../../src/stats/random.ts";
import { createApp } from "../../../server/app.ts";
import { ModelHolder } from "../../../server/model/holder.ts";
import { post, SEED_BODY, serverFixture, testApp } from "../fixtures.ts";

Deno.test("/health is alive; /ready names the model", async () => {
  const { app } = await testApp();
  const health = await app.request("/health");
  assert.equal(health.status, 200);
  assert.equal((await health.json()).status, "ok");
  const ready = await app.request("/ready");
  assert.deepEqual(await ready.json(), { status: "ready", model_name: "model_bundle", model_version: null });
});

Deno.test("/model gives identity, input schema, training metrics and limits", async () => {
  const { bundle } = await serverFixture();
  const { app } = await testApp();
  const model = await (await app.request("/model")).json();
  assert.equal(model.uri, "model_bundle.json", "no absolute server path");
  assert.equal(model.candidate, bundle.candidate);
  assert.equal(model.threshold, bundle.threshold.probability);
  assert.deepEqual(model.metrics, bundle.metrics);
  assert.deepEqual(model.input_schema.map((f: { name: string }) => f.name), [
    "customer_id",
    ...bundle.fields.map((f) => f.name),
  ]);
  const frequency = model.input_schema.find((f: { name: string }) => f.name === "frequency");
  assert.equal(frequency.type, "double");
  assert.equal(frequency.non_negative, true);
  assert.deepEqual(model.limits, { max_batch: 50, max_body_bytes: 65536 });
  assert.equal(model.last_load_error, null);
});

Deno.test("/metrics counts requests by route and status, errors by class, latency, scored records, the model", async () => {
  const { app } = await testApp();
  await post(app, "/score", SEED_BODY);
  await post(app, "/score", SEED_BODY);
  await post(app, "/score", { frequency: -1 });
  await post(app, "/score/batch", [SEED_BODY, SEED_BODY, SEED_BODY]);
  await app.request("/nowhere");
  const res = await app.request("/metrics");
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const value = (series: string) =>
    Number(new RegExp(`^${series.replace(/[{}+.\\/]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
  assert.equal(value('http_requests_total{method="POST",route="/score",status="200"}'), 2);
  assert.equal(value('http_requests_total{method="POST",route="/score",status="422"}'), 1);
  assert.equal(value('http_requests_total{method="GET",route="unmatched",status="404"}'), 1);
  assert.equal(value('http_request_errors_total{method="POST",route="/score",class="4xx"}'), 1);
  assert.equal(value('http_request_duration_seconds_count{method="POST",route="/score"}'), 3);
  assert.equal(value('http_request_duration_seconds_bucket{method="POST",route="/score",le="+Inf"}'), 3);
  assert.equal(value("scoring_records_total"), 5);
  assert.equal(value("model_loaded"), 1);
  assert.equal(value('model_loads_total{result="success"}'), 1);
  assert.match(text, /^model_info\{name="model_bundle",version="",alias="",run_id="",candidate="logistic"\} 1$/m);
  const buckets = [
    ...text.matchAll(/^http_request_duration_seconds_bucket\{method="POST",route="\/score",le="[^"]+"\} (\d+)$/gm),
  ]
    .map((m) => Number(m[1]));
  assert.deepEqual(buckets, [...buckets].sort((a, b) => a - b), "buckets are cumulative");
});

Deno.test("/openapi.json describes the loaded model's fields; /docs renders it without any network resource", async () => {
  const { bundle } = await serverFixture();
  const { app } = await testApp();
  const doc = await (await app.request("/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  for (const path of ["/score", "/score/batch", "/invocations", "/model", "/metrics", "/docs", "/ping", "/version"]) {
    assert.ok(doc.paths[path], path);
  }
  const record = doc.components.schemas.CustomerRecord;
  assert.equal(record.additionalProperties, false);
  assert.deepEqual(Object.keys(record.properties), ["customer_id", ...bundle.fields.map((f) => f.name)]);
  assert.equal(doc.components.schemas.CustomerBatch.maxItems, 50);
  const page = await app.request("/docs");
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  const html = await page.text();
  for (const field of bundle.fields) assert.ok(html.includes(`<code>${field.name}</code>`), field.name);
  assert.doesNotMatch(html, /<script|<link|src="http|href="http/);
  const root = await app.request("/");
  assert.equal(root.status, 302);
  assert.equal(root.headers.get("location"), "/docs");
});

Deno.test("unknown routes are a JSON 404, known routes with another method a 405 with Allow", async () => {
  const { app } = await testApp();
  const missing = await app.request("/scores");
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { detail: "Not Found" });
  assert.ok(missing.headers.get("x-request-id"));
  const wrong = await app.request("/score");
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST");
  assert.deepEqual(await wrong.json(), { detail: "Method Not Allowed" });
});

Deno.test("without a model (--allow-no-model): alive, not ready, scoring 503 with the reason, /ping 404", async () => {
  const holder = new ModelHolder({ uri: "/nonexistent/model_bundle.json", maxBatch: 50 });
  await assert.rejects(holder.load(), /cannot load model \/nonexistent\/model_bundle\.json/);
  const { app } = createApp({ holder });
  assert.equal((await app.request("/health")).status, 200);
  const ready = await app.request("/ready");
  assert.equal(ready.status, 503);
  assert.match(
    (await ready.json()).detail,
    /^No model is loaded \(model_bundle\.json: model_bundle\.json: model bundle not found\)$/,
  );
  assert.equal((await post(app, "/score", SEED_BODY)).status, 503);
  assert.equal((await post(app, "/score/batch", [SEED_BODY])).status, 503);
  assert.equal((await app.request("/model")).status, 503);
  assert.equal((await app.request("/ping")).status, 404);
  const invocations = await post(app, "/invocations", { inputs: [SEED_BODY] });
  assert.equal(invocations.status, 503);
  assert.equal((await invocations.json()).error_code, "TEMPORARILY_UNAVAILABLE");
  assert.equal((await app.request("/openapi.json")).status, 200);
  assert.match(await (await app.request("/metrics")).text(), /^model_loaded 0$/m);
});

Deno.test("no input produces a 5xx: random JSON values, broken text and odd content types on every POST route", async () => {
  const { app } = await testApp();
  const random = createRandom(11);
  const pick = <T>(items: readonly T[]): T => items[random.int(items.length)];
  const scalars = [null, true, -1, 0, 1.5, 1e308, "", "x", "NaN", "12", "\u0000", "é"];
  const keys = ["customer_id", "frequency", "preferred_channel", "monetary", "__proto__", "constructor", "x"];
  const value = (depth: number): unknown => {
    const kind = random.int(depth > 2 ? 1 : 4);
    if (kind === 0) return pick(scalars);
    if (kind === 1) return Array.from({ length: random.int(4) }, () => value(depth + 1));
    if (kind === 2) {
      return Object.fromEntries(Array.from({ length: random.int(5) }, () => [pick(keys), value(depth + 1)]));
    }
    return { [pick(["dataframe_split", "dataframe_records", "instances", "inputs"])]: value(depth + 1) };
  };
  const texts = ["{", "[1,", "NaN", "-Infinity", '{"a": NaNx}', "\u00ff\u00fe", "null", "[]", "{}", '"str"'];
  for (let i = 0; i < 400; i++) {
    const body = i % 4 === 0 ? pick(texts) : JSON.stringify(value(0));
    const path = pick(["/score", "/score/batch", "/invocations", "/admin/reload", "/score?reasons=2"]);
    const type = pick(["application/json", "text/csv", "text/plain", "application/json; charset=utf-16"]);
    const res = await post(app, path, body, { "Content-Type": type });
    const answer = await res.text();
    assert.ok(res.status < 500, `${path} ${type} ${body} -> ${res.status}: ${answer}`);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  }
});
