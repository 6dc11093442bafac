/**
 * Big batches are scored in slices that give the event loop a turn: answers
 * equal one scorer call, and on a real server `/health` is answered while a
 * large `/invocations` batch is being scored (between its slices), not after.
 */
import assert from "node:assert/strict";
import { createApp } from "../../../server/app.ts";
import { scoreInSlices } from "../../../server/model/score_slices.ts";
import { startServer } from "../../../server/server.ts";
import { loadedHolder, SEED_BODY } from "../fixtures.ts";

Deno.test("scoreInSlices answers exactly as one scorer call, in order, across slice boundaries", async () => {
  const holder = await loadedHolder();
  const scorer = holder.current!.scorer;
  const records = Array.from({ length: 23 }, (_, i) => ({ ...SEED_BODY, frequency: i, customer_id: undefined }));
  const calls: number[] = [];
  const spy = Object.create(scorer, {
    scoreRecords: {
      value: (rows: unknown[], options: object) => (calls.push(rows.length), scorer.scoreRecords(rows, options)),
    },
  });
  assert.deepEqual(
    await scoreInSlices(spy, records, { reasons: 2 }, 5),
    scorer.scoreRecords(records, { reasons: 2 }),
  );
  assert.deepEqual(calls, [5, 5, 5, 5, 3]);
});

Deno.test("a large allowed /invocations batch does not hold /health: /health answers arrive between its slices", async () => {
  const rows = 20_000;
  const holder = await loadedHolder({ maxBatch: rows });
  const { app } = createApp({ holder, maxBatch: rows, maxBodyBytes: 16 << 20 });
  const server = await startServer({ fetch: app.fetch, port: 0 });
  // Count the /health answers the client has received at each scorer call of the batch.
  let healthAnswers = 0;
  const seenAtCalls: number[] = [];
  const model = holder.current!;
  const scoreRecords = model.scorer.scoreRecords.bind(model.scorer);
  model.scorer.scoreRecords = (records, options) => {
    seenAtCalls.push(healthAnswers);
    return scoreRecords(records, options);
  };
  let done = false;
  const batch = fetch(`${server.url}/invocations`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ instances: Array.from({ length: rows }, (_, i) => ({ frequency: i % 50 })) }),
  }).then(async (res) => {
    done = true;
    return { status: res.status, predictions: (await res.json()).predictions.length };
  });
  while (!done) {
    const health = await fetch(`${server.url}/health`);
    await health.body?.cancel();
    healthAnswers++;
  }
  const answer = await batch;
  await server.shutdown();
  assert.deepEqual(answer, { status: 200, predictions: rows });
  assert.equal(seenAtCalls.length, rows / 250, "one scorer call per slice of 250 rows");
  assert.ok(
    seenAtCalls.at(-1)! > seenAtCalls[0],
    `/health was answered between the first and the last slice (answers seen at each call: ${seenAtCalls.join(",")})`,
  );
});
