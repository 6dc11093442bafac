import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { FlowRunError } from "../../src/flow/flow.ts";
import { readRunRecord } from "../../src/flow/record.ts";
import { modelSource } from "../../src/ops/batch.ts";
import { BATCH_EXPERIMENT, scoreBatch } from "../../src/ops/batch_flow.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { opsFixture } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

/** A store with the fixture's bundle registered twice (versions 1 and 2), `@champion` on version 1. */
async function registry(dir: string, bundleText: string) {
  const trackingUri = `file:${dir}/mlruns`;
  const client = new TrackingClient({ trackingUri });
  const { experimentId } = await client.getOrCreateExperiment("training");
  const versions: number[] = [];
  for (let k = 0; k < 2; k++) {
    const run = await client.createRun({ experimentId });
    const model = await client.logModel({
      runId: run.info.runId,
      name: "model",
      bundle: { fileName: "model_bundle.json", content: bundleText },
    });
    await client.setTerminated(run.info.runId, "FINISHED");
    versions.push((await client.registerModel("conv", `models:/${model.modelId}`, run.info.runId)).version);
  }
  await client.setAlias("conv", "champion", versions[0]);
  return { trackingUri, client, versions };
}

Deno.test("a tracked batch flow records the model version, row counts, timing, drift and its files", async () => {
  const fixture = await opsFixture();
  const dir = await makeTestDir({ prefix: "ops-flow-" });
  const { trackingUri, client } = await registry(dir, Deno.readTextFileSync(fixture.bundlePath));
  const flowDirs = { recordsDir: `${dir}/flowruns`, cacheDir: `${dir}/cache` };
  const options = {
    model: "models:/conv@champion",
    trackingUri,
    data: fixture.featuresParquet,
    out: `${dir}/out/scores.parquet`,
    chunkSize: 100,
  };
  const run = await scoreBatch(options, { flow: flowDirs });
  assert.equal(run.model.version, 1);
  assert.equal(run.rowsOut, fixture.features.height);
  assert.equal(pl.readParquet(run.output!).height, run.rowsOut);

  const tracked = await client.getRun(run.runId!);
  assert.equal(tracked.info.status, "FINISHED");
  const experiment = await client.getExperimentByName(BATCH_EXPERIMENT);
  assert.equal(tracked.info.experimentId, experiment!.experimentId);
  assert.equal(tracked.data.params.model_uri, "models:/conv@champion");
  assert.equal(tracked.data.params.model_name, "conv");
  assert.equal(tracked.data.params.model_version, "1");
  assert.equal(tracked.data.metrics.rows_in, fixture.features.height);
  assert.equal(tracked.data.metrics.rows_out, fixture.features.height);
  assert.equal(tracked.data.metrics.rows_rejected, 0);
  assert.ok(tracked.data.metrics.seconds > 0);
  assert.equal(tracked.data.metrics.score_psi, run.drift.score.psi);
  assert.equal(tracked.data.tags.drift_status, run.drift.status);
  assert.equal(tracked.data.tags.flow_run_id, run.flowRunId);
  const artifacts = async (path: string) => (await client.listArtifacts(run.runId!, path)).map((a) => a.path).sort();
  assert.deepEqual(await artifacts("output"), ["output/scores.parquet", "output/scores.rejects.csv"]);
  assert.deepEqual(await artifacts("drift"), ["drift/scores.drift.html", "drift/scores.drift.json"]);

  const record = await readRunRecord(flowDirs.recordsDir, run.flowRunId);
  assert.equal(record.state, "Completed");
  const names = record.taskRuns.map((t) => t.task);
  assert.deepEqual([...new Set(names)], ["load-model", "open-input", "score-chunk", "drift-report"]);
  assert.equal(names.filter((name) => name === "score-chunk").length, Math.ceil(fixture.features.height / 100));

  // The model load is cached by what the alias points to: the same version is a hit, a moved alias a miss.
  const again = await readRunRecord(flowDirs.recordsDir, (await scoreBatch(options, { flow: flowDirs })).flowRunId);
  assert.equal(again.taskRuns.find((t) => t.task === "load-model")!.state, "Cached");
  await client.setAlias("conv", "champion", 2);
  const moved = await scoreBatch(options, { flow: flowDirs });
  assert.equal(moved.model.version, 2);
  const movedRecord = await readRunRecord(flowDirs.recordsDir, moved.flowRunId);
  assert.equal(movedRecord.taskRuns.find((t) => t.task === "load-model")!.state, "Completed");
});

Deno.test("a batch flow that fails leaves a Failed flow record and a FAILED tracking run with the error", async () => {
  const fixture = await opsFixture();
  const dir = await makeTestDir({ prefix: "ops-flow-" });
  const { trackingUri, client } = await registry(dir, Deno.readTextFileSync(fixture.bundlePath));
  const options = {
    model: "models:/conv/1",
    trackingUri,
    data: `${dir}/nowhere.csv`,
    out: `${dir}/out/scores.csv`,
  };
  const error = await scoreBatch(options, { flow: { recordsDir: `${dir}/flowruns`, cacheDir: `${dir}/cache` } })
    .then(() => undefined, (e) => e);
  assert.ok(error instanceof FlowRunError);
  assert.equal(error.record.state, "Failed");
  assert.match(String((error.cause as Error).message), /nowhere\.csv: file not found/);
  const { experimentId } = (await client.getExperimentByName(BATCH_EXPERIMENT))!;
  const runs = (await client.searchRuns({ experimentIds: [experimentId] })).items;
  assert.equal(runs.length, 1);
  assert.equal(runs[0].info.status, "FAILED");
  assert.match(runs[0].data.tags.error, /nowhere\.csv: file not found/);
  assert.equal(runs[0].data.tags.flow_run_id, error.record.id);
  assert.equal(Deno.readDirSync(dir).some((entry) => entry.name === "out"), false);
});

Deno.test("the model cache key follows what a URI resolves to", async () => {
  const fixture = await opsFixture();
  const dir = await makeTestDir({ prefix: "ops-flow-" });
  const { trackingUri, client, versions } = await registry(dir, Deno.readTextFileSync(fixture.bundlePath));
  assert.equal(await modelSource("models:/conv@champion", trackingUri), `models:/conv/${versions[0]}`);
  await client.setAlias("conv", "champion", versions[1]);
  assert.equal(await modelSource("models:/conv@champion", trackingUri), `models:/conv/${versions[1]}`);
  assert.equal(await modelSource("models:/conv/1", trackingUri), "models:/conv/1");
  const path = `${dir}/bundle.json`;
  Deno.writeTextFileSync(path, "{}");
  const before = await modelSource(path);
  assert.match(before, new RegExp(`^${path}:2:\\d+$`));
  Deno.writeTextFileSync(path, "{ }");
  assert.notEqual(await modelSource(path), before);
});
