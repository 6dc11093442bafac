/**
 * The resilient client: retry counts against a server that fails on purpose
 * (5xx twice then OK: 3 attempts; 4xx: 1; down: a clear error), backoff with
 * jitter, chunked batches, readable errors, and `deno task score` as a process.
 */
import assert from "node:assert/strict";
import {
  ConnectionError,
  fetchWithRetry,
  type RetryOptions,
  ScoreClient,
  ScoreError,
} from "../../../server/client/score_client.ts";
import { startServer } from "../../../server/server.ts";
import { SEED_BODY, testApp } from "../fixtures.ts";

/** A server answering the given statuses in turn (then 200), counting requests; waits are recorded, not slept. */
async function scriptedServer(statuses: readonly number[]) {
  let requests = 0;
  const server = await startServer({
    port: 0,
    fetch: () => {
      const status = statuses[requests++] ?? 200;
      return Response.json(status === 200 ? { ok: true } : { detail: `failing on purpose (${status})` }, { status });
    },
  });
  return { server, requests: () => requests };
}

function recording(): RetryOptions & { waits: number[]; retried: string[] } {
  const waits: number[] = [];
  const retried: string[] = [];
  return {
    waits,
    retried,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    onRetry: ({ reason }) => retried.push(reason),
  };
}

Deno.test("fetchWithRetry: 5xx twice then OK takes 3 attempts, waiting with growing backoff", async () => {
  const { server, requests } = await scriptedServer([503, 500]);
  const options = recording();
  const { response, attempts } = await fetchWithRetry(`${server.url}/score`, { method: "POST" }, options);
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.equal(attempts, 3);
  assert.equal(requests(), 3);
  assert.deepEqual(options.waits, [100, 200]);
  assert.deepEqual(options.retried, ["503 Service Unavailable", "500 Internal Server Error"]);
  await server.shutdown();
});

Deno.test("fetchWithRetry: a 5xx with Retry-After waits what the server asked, not the backoff", async () => {
  let requests = 0;
  const server = await startServer({
    port: 0,
    fetch: () =>
      ++requests === 1
        ? Response.json({ detail: "reloading" }, { status: 503, headers: { "Retry-After": "2" } })
        : Response.json({ ok: true }),
  });
  const options = recording();
  const { response, attempts } = await fetchWithRetry(server.url, {}, options);
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.equal(attempts, 2);
  assert.deepEqual(options.waits, [2000]);
  await server.shutdown();
});

Deno.test("fetchWithRetry: a 4xx is never retried; a 5xx that persists is returned after retries + 1 attempts", async () => {
  const { server, requests } = await scriptedServer([422, 500, 500, 500]);
  const options = recording();
  const first = await fetchWithRetry(server.url, {}, options);
  assert.equal(first.response.status, 422);
  assert.equal(first.attempts, 1);
  await first.response.body?.cancel();
  assert.deepEqual(options.waits, []);
  const persistent = await fetchWithRetry(server.url, {}, { ...options, retries: 2 });
  assert.equal(persistent.response.status, 500);
  assert.equal(persistent.attempts, 3);
  await persistent.response.body?.cancel();
  assert.equal(requests(), 4);
  await server.shutdown();
});

Deno.test("fetchWithRetry: a server that is down is a ConnectionError after every attempt", async () => {
  const { server } = await scriptedServer([]);
  await server.shutdown();
  const options = recording();
  const error = await fetchWithRetry(`${server.url}/score`, {}, options).then(
    () => assert.fail("expected a connection error"),
    (e) => e,
  );
  assert.ok(error instanceof ConnectionError);
  assert.equal(error.attempts, 4);
  assert.equal(error.message, `cannot reach ${server.url}/score (connection refused) after 4 attempts`);
  assert.deepEqual(options.retried, ["connection refused", "connection refused", "connection refused"]);
});

Deno.test("fetchWithRetry: an attempt that times out is retried like a lost connection", async () => {
  let release!: () => void;
  const never = new Promise<void>((resolve) => release = resolve);
  let requests = 0;
  const server = await startServer({
    port: 0,
    fetch: async () => {
      requests++;
      await never;
      return new Response("late");
    },
  });
  const error = await fetchWithRetry(server.url, {}, { ...recording(), retries: 1, timeoutMs: 20 }).catch((e) => e);
  assert.ok(error instanceof ConnectionError);
  assert.match(error.message, /\(timed out\) after 2 attempts/);
  assert.equal(requests, 2);
  release();
  await server.shutdown();
});

Deno.test("ScoreClient.scoreBatch sends chunks in order and numbers a bad record by its row in the whole input", async () => {
  const { app } = await testApp();
  const sizes: number[] = [];
  const server = await startServer({
    port: 0,
    fetch: async (request) => {
      if (new URL(request.url).pathname !== "/score/batch") return app.fetch(request);
      const body = await request.text();
      sizes.push(JSON.parse(body).length);
      return app.fetch(new Request(request.url, { method: "POST", body, headers: request.headers }));
    },
  });
  const client = new ScoreClient(`${server.url}/`, recording());
  const records = Array.from({ length: 7 }, (_, i) => ({ ...SEED_BODY, customer_id: i, recency_days: 10 * i }));
  const chunked = await client.scoreBatch(records, { batchSize: 3 });
  assert.deepEqual(sizes, [3, 3, 1]);
  assert.deepEqual(chunked.results.map((r) => r.customer_id), [0, 1, 2, 3, 4, 5, 6]);
  const whole = await (await app.request("/score/batch", { method: "POST", body: JSON.stringify(records) })).json();
  assert.deepEqual(chunked.results, whole.results);
  const one = await client.score(SEED_BODY);
  const direct = await (await app.request("/score", { method: "POST", body: JSON.stringify(SEED_BODY) })).json();
  assert.deepEqual(one, direct);

  records[4] = { ...records[4], frequency: -3 };
  const error = await client.scoreBatch(records, { batchSize: 3 }).catch((e) => e);
  assert.ok(error instanceof ScoreError);
  assert.equal(error.status, 422);
  assert.equal(
    error.message,
    `POST ${server.url}/score/batch answered 422 Unprocessable Entity: row 5, frequency: ` +
      "Input should be greater than or equal to 0 (got -3)",
  );
  await server.shutdown();
});

/** Runs `deno task score` (server/client/client.ts) with `args`. */
async function scoreCommand(args: readonly string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/client/client.ts", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

Deno.test("deno task score: a file in chunks prints a table; --json-out prints the answers", async () => {
  const { app } = await testApp();
  const server = await startServer({ port: 0, fetch: app.fetch });
  const file = "../shared/data/seed/features.csv";
  const table = await scoreCommand(["--url", server.url, "--file", file, "--batch-size", "400"]);
  assert.equal(table.code, 0, table.err);
  assert.match(table.err, /not sent \(the model does not take them\): first_purchase, label/);
  assert.match(table.err, /scored 400 of 1000/);
  const lines = table.out.trim().split("\n");
  assert.match(lines[0], /^customer_id\s+probability\s+score\s+decision\s+top reasons/);
  assert.match(lines.at(-1)!, /^1000 scored by model_bundle; \d+ convert$/);
  const single = await scoreCommand(["--url", server.url, "--json", JSON.stringify(SEED_BODY), "--json-out"]);
  assert.equal(single.code, 0, single.err);
  const answer = JSON.parse(single.out);
  const direct = await (await app.request("/score", { method: "POST", body: JSON.stringify(SEED_BODY) })).json();
  assert.equal(answer.probability, direct.probability);
  await server.shutdown();
});

Deno.test("deno task score: a 4xx answer and a server that is down end with one clear line and exit 1", async () => {
  const { app } = await testApp();
  const server = await startServer({ port: 0, fetch: app.fetch });
  const invalid = await scoreCommand(["--url", server.url, "--json", '{"customer_id": 1, "frequency": "many"}']);
  assert.equal(invalid.code, 1);
  assert.equal(
    invalid.err.trim(),
    `error: POST ${server.url}/score answered 422 Unprocessable Entity: frequency: Input should be a valid number (got "many")`,
  );
  await server.shutdown();
  const down = await scoreCommand(["--url", server.url, "--json", "{}", "--retries", "0"]);
  assert.equal(down.code, 1);
  assert.equal(down.err.trim(), `error: cannot reach ${server.url}/score (connection refused) after 1 attempt`);
  const usage = await scoreCommand(["--url", server.url]);
  assert.equal(usage.code, 1);
  assert.match(usage.err, /^error: give either --json/);
});
