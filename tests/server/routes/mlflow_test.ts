/**
 * MLflow's scoring protocol: `/invocations` in all four JSON formats and CSV,
 * MLflow's error messages and statuses (400, 413, 415), `/ping`, `/version`.
 */
import assert from "node:assert/strict";
import { Scorer } from "../../../src/bundle/scorer.ts";
import { MLFLOW_PROTOCOL_VERSION } from "../../../server/routes/mlflow.ts";
import { linearReasons, post, SEED_BODY, serverFixture, testApp } from "../fixtures.ts";

const JSON_TYPE = { "Content-Type": "application/json" };
const ROWS = [
  { recency_days: 5, frequency: 30, preferred_channel: "web" },
  { recency_days: 200, frequency: 2, preferred_channel: "store" },
];

async function expected(reasons = 0) {
  return new Scorer((await serverFixture()).bundle).scoreRecords(ROWS, { reasons })
    .map(({ probability, score, baseline_score, decision, reasons: r }) =>
      reasons > 0 ? { probability, score, baseline_score, decision, reasons: r } : { probability, score, decision }
    );
}

async function invoke(body: unknown, headers: Record<string, string> = JSON_TYPE): Promise<Response> {
  const { app } = await testApp();
  return post(app, "/invocations", body, headers);
}

async function mlflowError(res: Response, status: number): Promise<string> {
  assert.equal(res.status, status);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ["error_code", "message"]);
  return body.message;
}

Deno.test("/invocations accepts dataframe_split, dataframe_records, instances and inputs alike", async () => {
  const want = await expected();
  const columns = Object.keys(ROWS[0]);
  const split = { columns, index: [0, 1], data: ROWS.map((row) => columns.map((c) => row[c as keyof typeof row])) };
  const columnar = Object.fromEntries(columns.map((c) => [c, ROWS.map((row) => row[c as keyof typeof row])]));
  for (
    const body of [
      { dataframe_split: split },
      { dataframe_records: ROWS },
      { instances: ROWS },
      { inputs: ROWS },
      { inputs: columnar },
    ]
  ) {
    const res = await invoke(body);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(await res.json(), { predictions: want }, Object.keys(body)[0]);
  }
});

Deno.test("/invocations: positional rows follow the model's input field order; a wrong length is a 400", async () => {
  const { bundle } = await serverFixture();
  const row = bundle.fields.map((field) => ROWS[0][field.name as keyof (typeof ROWS)[0]] ?? null);
  const res = await invoke({ inputs: [row] });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).predictions, [(await expected())[0]]);
  assert.match(await mlflowError(await invoke({ instances: [[1, 2]] }), 400), /positional rows need 16/);
});

Deno.test("/invocations: params.reasons adds reason codes; a bad value is a 400", async () => {
  const res = await invoke({ dataframe_records: ROWS, params: { reasons: 2 } });
  const predictions: { reasons: { feature: string; points: number }[] }[] = (await res.json()).predictions;
  assert.deepEqual(predictions, await expected(2));
  const { bundle } = await serverFixture();
  ROWS.forEach((row, i) => {
    const derived = linearReasons(bundle, row, 2);
    assert.ok(derived.length > 0, `row ${i} has a field below the reference customer`);
    assert.deepEqual(predictions[i].reasons.map((r) => r.feature), derived.map((r) => r.feature));
    predictions[i].reasons.forEach((r, k) => assert.ok(Math.abs(r.points - derived[k].points) <= 1e-9));
  });
  assert.match(await mlflowError(await invoke({ dataframe_records: ROWS, params: { reasons: "x" } }), 400), /reasons/);
  assert.match(await mlflowError(await invoke({ dataframe_records: ROWS, params: [1] }), 400), /params/);
});

Deno.test("/invocations ignores columns the model does not take (MLflow drops extra columns)", async () => {
  const res = await invoke({
    dataframe_records: ROWS.map((row) => ({ ...row, label: 1, first_purchase: "2024-01-01" })),
  });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).predictions, await expected());
});

Deno.test("/invocations reads text/csv with a header row, with or without charset=utf-8", async () => {
  const csv = "customer_id,recency_days,frequency,preferred_channel,label\n1,5,30,web,0\n2,200,2,store,1\n";
  for (const type of ["text/csv", "text/csv; charset=utf-8"]) {
    const res = await invoke(csv, { "Content-Type": type });
    assert.equal(res.status, 200, type);
    assert.deepEqual((await res.json()).predictions, await expected());
  }
  const bad = await invoke('a,b\n1,"x', { "Content-Type": "text/csv" });
  assert.match(await mlflowError(bad, 400), /Failed to parse input as a Pandas DataFrame/);
  const notPath = await invoke("/etc/hostname", { "Content-Type": "text/csv" });
  assert.equal(notPath.status, 200, "a body without a newline is data, never a file to open");
  assert.deepEqual((await notPath.json()).predictions, []);
});

Deno.test("/invocations refuses what MLflow refuses, with its messages", async () => {
  const required = /The input must be a JSON dictionary with exactly one of the input fields/;
  assert.match(await mlflowError(await invoke(ROWS), 400), /Received a list/);
  assert.match(await mlflowError(await invoke({ dataframe_records: ROWS, instances: ROWS }), 400), required);
  assert.match(await mlflowError(await invoke({ columns: ["a"], data: [[1]] }), 400), required);
  assert.match(await mlflowError(await invoke("3"), 400), /unexpected input type 'number'/);
  assert.match(await mlflowError(await invoke('{"inputs": [1,'), 400), /Failed to parse input from JSON/);
  const schema = await mlflowError(await invoke({ dataframe_records: [{ frequency: "x" }, { channels: -1 }] }), 400);
  assert.match(schema, /Failed to enforce schema of data: row 0, column 'frequency': Input should be a valid number/);
  assert.match(schema, /row 1, column 'channels': Input should be greater than or equal to 0/);
  assert.match(await mlflowError(await invoke({ dataframe_split: { columns: ["a"], data: [[1, 2]] } }), 400), /row 0/);
});

Deno.test("/invocations answers 415 for other content types, charsets and parameters, 413 over the size limit", async () => {
  const body = { dataframe_records: ROWS };
  assert.match(await mlflowError(await invoke(body, { "Content-Type": "text/plain" }), 415), /only supports/);
  assert.match(await mlflowError(await invoke(body, {}), 415), /only supports/);
  assert.match(
    await mlflowError(await invoke(body, { "Content-Type": "application/json; charset=latin-1" }), 415),
    /only supports UTF-8/,
  );
  assert.match(
    await mlflowError(await invoke(body, { "Content-Type": "application/json; format=pandas-split" }), 415),
    /Unrecognized content type parameters: format/,
  );
  const { app } = await testApp({ maxBodyBytes: 100 });
  const res = await post(app, "/invocations", { dataframe_records: Array.from({ length: 20 }, () => SEED_BODY) });
  const message = await mlflowError(res, 413);
  assert.match(message, /larger than the limit of 100 bytes/);
});

Deno.test("/ping answers a newline when a model is loaded; /version the MLflow protocol version", async () => {
  const { app } = await testApp();
  const ping = await app.request("/ping");
  assert.equal(ping.status, 200);
  assert.equal(await ping.text(), "\n");
  const version = await app.request("/version");
  assert.equal(await version.text(), MLFLOW_PROTOCOL_VERSION);
});

Deno.test("/invocations caps rows at --max-batch in every format: one more is a 413 in MLflow's shape", async () => {
  const { app } = await testApp({ maxBatch: 50 });
  const many = (n: number) => Array.from({ length: n }, () => ({}));
  const atCap = await post(app, "/invocations", { instances: many(50) }, JSON_TYPE);
  assert.equal(atCap.status, 200);
  assert.equal((await atCap.json()).predictions.length, 50);
  for (
    const [body, type] of [
      [{ instances: many(51) }, "application/json"],
      [{ dataframe_records: many(51) }, "application/json"],
      [{ inputs: { frequency: Array(51).fill(1) } }, "application/json"],
      [`frequency\n${Array(51).fill(1).join("\n")}\n`, "text/csv"],
    ] as const
  ) {
    const res = await post(app, "/invocations", body, { "Content-Type": type });
    assert.equal(res.status, 413, JSON.stringify(body).slice(0, 40));
    assert.deepEqual(await res.json(), {
      error_code: "REQUEST_LIMIT_EXCEEDED",
      message: "The input has 51 rows; this server scores at most 50 per request (--max-batch): send them in " +
        "several requests.",
    });
  }
});
