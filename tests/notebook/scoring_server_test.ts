import assert from "node:assert/strict";
import { startScoringServer, withScoringServer } from "../../src/notebook/scoring_server.ts";
import { readBundle } from "../../src/bundle/bundle.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { train } from "../../src/pipeline/train.ts";
import { makeTestDir } from "../temp_dir.ts";

async function trainedBundle(): Promise<{ dir: string; bundle: string }> {
  const dir = await makeTestDir({ prefix: "notebook-server-test-" });
  const summary = await train({
    ...DEFAULT_TRAIN_OPTIONS,
    customers: 300,
    transactions: 2_400,
    seed: 5,
    folds: 3,
    candidates: ["logistic"],
    out: `${dir}/out`,
  }, "plain");
  return { dir, bundle: summary.bundle };
}

async function refused(url: string): Promise<boolean> {
  try {
    await (await fetch(`${url}/health`)).body?.cancel();
    return false;
  } catch {
    return true;
  }
}

Deno.test("the scoring server answers on a free port with the scores the in-process scorer gives, then stops", async () => {
  const { dir, bundle } = await trainedBundle();
  const record = { customer_id: 7, recency_days: 12, frequency: 20, monetary: 250.5 };
  const expected = new Scorer(readBundle(bundle)).scoreRecords([record])[0];
  const server = await startScoringServer({ model: bundle });
  let stopped = false;
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.url, "http://127.0.0.1:0");
    const response = await fetch(`${server.url}/score`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(record),
    });
    assert.equal(response.status, 200);
    const answer = await response.json();
    assert.equal(answer.customer_id, 7);
    assert.equal(answer.probability, expected.probability);
    assert.equal(answer.decision, expected.decision);
    assert.ok(server.logs.some((entry) => entry.msg === "listening" && entry.url === server.url));
    await server.stop();
    stopped = true;
    assert.ok(await refused(server.url), "the port still answers after stop()");
    assert.ok(server.logs.some((entry) => entry.msg === "stopped"), JSON.stringify(server.logs));
  } finally {
    if (!stopped) await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server that cannot load its model rejects with the server's own message", async () => {
  const dir = await makeTestDir({ prefix: "notebook-server-test-" });
  const missing = `${dir}/nothing/model_bundle.json`;
  await assert.rejects(
    () => startScoringServer({ model: missing }),
    (error: Error) => {
      assert.match(error.message, /exited with code 1/);
      assert.match(error.message, /model bundle not found/);
      assert.ok(error.message.includes(missing));
      return true;
    },
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("withScoringServer stops the server when the callback throws", async () => {
  const { dir, bundle } = await trainedBundle();
  let url = "";
  await assert.rejects(
    () =>
      withScoringServer({ model: bundle }, (server) => {
        url = server.url;
        return Promise.reject(new Error("cell failed"));
      }),
    /cell failed/,
  );
  assert.ok(url !== "" && await refused(url), "the server outlived the failed callback");
  await Deno.remove(dir, { recursive: true });
});
