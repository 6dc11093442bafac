/**
 * The REST client's HTTP behaviour against a small Deno server that records
 * requests and fails on purpose: auth headers, retries (two 503s then
 * success), no retry on 401, Retry-After honoured, errors that carry MLflow's
 * code and the endpoint but never the credentials, and log-batch splitting.
 */
import assert from "node:assert/strict";
import { RestTracking } from "../../src/tracking/rest/client.ts";
import { BATCH_LIMITS, splitBatch } from "../../src/tracking/rest/client.ts";

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly at: number;
  readonly body: string;
}

/** A server answering each request with the next of `answers` (the last one repeats). */
async function fakeServer(
  answers: (() => Response)[],
  body: (server: { url: string; requests: Recorded[] }) => Promise<void>,
) {
  const requests: Recorded[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      authorization: request.headers.get("authorization"),
      at: performance.now(),
      body: await request.text(),
    });
    return answers[Math.min(requests.length - 1, answers.length - 1)]();
  });
  try {
    await body({ url: `http://127.0.0.1:${server.addr.port}`, requests });
  } finally {
    await server.shutdown();
  }
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });
const RUN = { run: { info: { run_id: "r1", experiment_id: "1", status: "RUNNING", start_time: 5 }, data: {} } };
const fastRetries = (extra: Record<string, string> = {}) => {
  const values: Record<string, string> = {
    MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "0.05",
    MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: "0",
    ...extra,
  };
  return { get: (name: string) => values[name] };
};

Deno.test("REST: Bearer token from MLFLOW_TRACKING_TOKEN; Basic from username/password; none without", async () => {
  await fakeServer([json(200, RUN)], async ({ url, requests }) => {
    await new RestTracking({ trackingUri: url, env: fastRetries({ MLFLOW_TRACKING_TOKEN: "s3cret-token" }) })
      .getRun("r1");
    await new RestTracking({
      trackingUri: url,
      env: fastRetries({ MLFLOW_TRACKING_USERNAME: "ann", MLFLOW_TRACKING_PASSWORD: "pä55" }),
    }).getRun("r1");
    await new RestTracking({ trackingUri: url, env: fastRetries() }).getRun("r1");
    assert.deepEqual(requests.map((request) => request.authorization), [
      "Bearer s3cret-token",
      `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("ann:pä55")))}`,
      null,
    ]);
    assert.equal(requests[0].path, "/api/2.0/mlflow/runs/get?run_id=r1");
  });
});

Deno.test("REST: two 503s then success is retried with growing backoff and succeeds", async () => {
  const unavailable = json(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" });
  await fakeServer([unavailable, unavailable, json(200, RUN)], async ({ url, requests }) => {
    const tracking = new RestTracking({ trackingUri: url, env: fastRetries() });
    const run = await tracking.getRun("r1");
    assert.equal(run.info.runId, "r1");
    assert.equal(requests.length, 3);
    assert.equal(tracking.requestCount, 3, "every attempt is counted");
    const waits = [requests[1].at - requests[0].at, requests[2].at - requests[1].at];
    // factor 0.05 s: waits of 0.05 s then 0.1 s (exponential), no jitter.
    assert.ok(waits[0] >= 45 && waits[0] < 400, `first wait ${waits[0]} ms`);
    assert.ok(waits[1] >= 95 && waits[1] < 500, `second wait ${waits[1]} ms`);
  });
});

Deno.test("REST: a 401 is not retried; the error names endpoint and code but never the credentials", async () => {
  await fakeServer(
    [json(401, { error_code: "UNAUTHENTICATED", message: "bad credentials" })],
    async ({ url, requests }) => {
      const tracking = new RestTracking({
        trackingUri: url.replace("http://", "http://ann:uri-pass@"),
        env: fastRetries({ MLFLOW_TRACKING_TOKEN: "s3cret-token" }),
      });
      const error = await tracking.setTag("r1", "k", "v").then(() => undefined, (caught) => caught as Error);
      assert.ok(error);
      assert.equal(requests.length, 1);
      assert.match(
        error.message,
        /POST \/api\/2\.0\/mlflow\/runs\/set-tag: UNAUTHENTICATED \(HTTP 401\): bad credentials/,
      );
      assert.doesNotMatch(error.message + (error.stack ?? ""), /s3cret|uri-pass/);
      assert.equal(tracking.location, url);
      assert.equal(requests[0].authorization, "Bearer s3cret-token");
    },
  );
});

Deno.test("REST: Retry-After of a 429 is honoured instead of the backoff", async () => {
  await fakeServer(
    [json(429, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" }, { "Retry-After": "1" }), json(200, RUN)],
    async ({ url, requests }) => {
      await new RestTracking({ trackingUri: url, env: fastRetries() }).getRun("r1");
      assert.equal(requests.length, 2);
      const wait = requests[1].at - requests[0].at;
      assert.ok(wait >= 950, `waited ${wait} ms for Retry-After: 1`);
    },
  );
});

Deno.test("REST: retries stop after MLFLOW_HTTP_REQUEST_MAX_RETRIES; a dead server is one UNAVAILABLE error", async () => {
  await fakeServer([json(500, { error_code: "INTERNAL_ERROR", message: "boom" })], async ({ url, requests }) => {
    const tracking = new RestTracking({ trackingUri: url, env: fastRetries({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: "2" }) });
    await assert.rejects(
      tracking.getRun("r1"),
      /GET \/api\/2\.0\/mlflow\/runs\/get: INTERNAL_ERROR \(HTTP 500\): boom \(after 3 attempts\)/,
    );
    assert.equal(requests.length, 3);
  });
  const closed = new RestTracking({
    trackingUri: "http://127.0.0.1:9",
    env: fastRetries({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1" }),
  });
  await assert.rejects(closed.getRun("r1"), (error: Error & { code?: string }) => {
    assert.equal(error.code, "UNAVAILABLE");
    assert.match(
      error.message,
      /^MLflow server GET \/api\/2\.0\/mlflow\/runs\/get: UNAVAILABLE: .*\(after 2 attempts\)/,
    );
    return true;
  });
});

Deno.test("REST: a request that gets no answer within MLFLOW_HTTP_REQUEST_TIMEOUT fails as TIMEOUT", async () => {
  const hang = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    // Answers only after the client gave up (a handler that never answers would stall shutdown()).
    () => new Promise<Response>((resolve) => setTimeout(() => resolve(new Response("late")), 1500)),
  );
  try {
    const tracking = new RestTracking({
      trackingUri: `http://127.0.0.1:${hang.addr.port}`,
      env: fastRetries({ MLFLOW_HTTP_REQUEST_TIMEOUT: "0.3", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" }),
    });
    await assert.rejects(tracking.getRun("r1"), /runs\/get: TIMEOUT: no answer within 0\.3 s/);
  } finally {
    await hang.shutdown();
  }
});

Deno.test('REST: log-batch requests stay within MLflow\'s limits; metrics keep their order; NaN is sent as "NaN"', async () => {
  await fakeServer([json(200, {})], async ({ url, requests }) => {
    const tracking = new RestTracking({ trackingUri: url, env: fastRetries() });
    const metrics = Array.from({ length: 2345 }, (_, step) => ({ key: "loss", value: step === 7 ? NaN : step, step }));
    const params = Array.from({ length: 150 }, (_, index) => ({ key: `p${index}`, value: index }));
    await tracking.logBatch("r1", { metrics, params });
    const bodies = requests.map((request) => JSON.parse(request.body));
    for (const body of bodies) {
      assert.ok(body.metrics.length <= 1000 && body.params.length <= 100);
      assert.ok(body.metrics.length + body.params.length + body.tags.length <= 1000);
    }
    assert.deepEqual(
      bodies.flatMap((body) => body.metrics.map((metric: { step: number }) => metric.step)),
      metrics.map((m) => m.step),
    );
    assert.equal(bodies.flatMap((body) => body.params).length, 150);
    assert.ok(requests.some((request) => request.body.includes('{"key":"loss","value":"NaN","timestamp"')));
  });
  const big = Array.from({ length: 100 }, (_, index) => ({ key: `t${index}`, value: "x".repeat(7000) }));
  const tagParts = [...splitBatch({ metrics: [], params: [], tags: big })];
  assert.ok(tagParts.every((part) => JSON.stringify(part).length < BATCH_LIMITS.bytes));
  assert.equal(tagParts.flatMap((part) => part.tags).length, 100);
});

Deno.test("REST: at most 8 requests are in flight per client, and all of them are answered", async () => {
  let active = 0;
  let most = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    most = Math.max(most, ++active);
    await new Promise((resolve) => setTimeout(resolve, 20));
    active--;
    return json(200, RUN)();
  });
  try {
    const tracking = new RestTracking({ trackingUri: `http://127.0.0.1:${server.addr.port}`, env: fastRetries() });
    const runs = await Promise.all(Array.from({ length: 20 }, () => tracking.getRun("r1")));
    assert.equal(runs.length, 20);
    assert.equal(most, 8);
    assert.equal(tracking.requestCount, 20);
  } finally {
    await server.shutdown();
  }
});

Deno.test("REST: registerModel asks for the version first and creates the registered model only when missing", async () => {
  const VERSION = { model_version: { name: "m", version: "1", status: "READY", creation_timestamp: 1 } };
  await fakeServer([
    json(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Registered Model with name=m not found" }),
    json(200, { registered_model: { name: "m" } }),
    json(200, VERSION),
  ], async ({ url, requests }) => {
    const tracking = new RestTracking({ trackingUri: url, env: fastRetries() });
    assert.equal((await tracking.registerModel("m", "models:/m-0123456789abcdef0123456789abcdef", "r1")).version, 1);
    assert.equal((await tracking.registerModel("m", "models:/m-0123456789abcdef0123456789abcdef", "r1")).version, 1);
    assert.deepEqual(requests.map((request) => `${request.method} ${request.path.replace("/api/2.0/mlflow", "")}`), [
      "POST /model-versions/create",
      "POST /registered-models/create",
      "POST /model-versions/create",
      "POST /model-versions/create",
    ]);
    assert.equal(JSON.parse(requests[3].body).model_id, "m-0123456789abcdef0123456789abcdef");
  });
});
