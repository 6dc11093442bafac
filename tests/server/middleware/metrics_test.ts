/** The Prometheus text: counters, cumulative buckets, label escaping. */
import assert from "node:assert/strict";
import { LATENCY_BUCKETS, Metrics } from "../../../server/middleware/metrics.ts";

Deno.test("Metrics renders counters, cumulative histogram buckets with +Inf, sum and count", () => {
  const metrics = new Metrics();
  metrics.observe("POST", "/score", 200, 0.0003);
  metrics.observe("POST", "/score", 200, 0.002);
  metrics.observe("POST", "/score", 422, 7);
  metrics.countScored(2);
  const text = metrics.render({ loads: { success: 2, failure: 1, refused: 3 } });
  assert.match(text, /^http_requests_total\{method="POST",route="\/score",status="200"\} 2$/m);
  assert.match(text, /^http_requests_total\{method="POST",route="\/score",status="422"\} 1$/m);
  assert.match(text, /^http_request_errors_total\{method="POST",route="\/score",class="4xx"\} 1$/m);
  assert.doesNotMatch(text, /class="5xx"/);
  const bucket = (le: number | string) => Number(new RegExp(`le="${le}"\\} (\\d+)$`, "m").exec(text)?.[1]);
  assert.equal(bucket(0.00025), 0);
  assert.equal(bucket(0.0005), 1);
  assert.equal(bucket(0.0025), 2);
  assert.equal(bucket(LATENCY_BUCKETS.at(-1)!), 2, "7 s is above every finite bucket");
  assert.equal(bucket("\\+Inf"), 3);
  assert.match(text, /^http_request_duration_seconds_sum\{method="POST",route="\/score"\} 7\.0023/m);
  assert.match(text, /^http_request_duration_seconds_count\{method="POST",route="\/score"\} 3$/m);
  assert.match(text, /^scoring_records_total 2$/m);
  assert.match(text, /^model_loads_total\{result="failure"\} 1$/m);
  assert.match(text, /^model_loads_total\{result="refused"\} 3$/m);
  assert.match(text, /^model_loaded 0$/m);
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.ok(text.endsWith("\n"));
});

Deno.test("Metrics escapes label values and labels the serving model", () => {
  const text = new Metrics().render({
    model: { name: 'odd "name"\\x', version: 3, alias: "champion", runId: "r1", candidate: "gbt" },
    loads: { success: 1, failure: 0, refused: 0 },
  });
  assert.match(
    text,
    /^model_info\{name="odd \\"name\\"\\\\x",version="3",alias="champion",run_id="r1",candidate="gbt"\} 1$/m,
  );
  assert.match(text, /^model_loaded 1$/m);
});
