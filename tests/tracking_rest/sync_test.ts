/**
 * `tracking:sync`: file store -> real MLflow server -> another file store
 * keeps runs, times, params, metric histories, tags and artifacts; a second
 * sync copies nothing. The server is started for this file and always stopped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openTracking } from "../../src/tracking/open.ts";
import { type Run } from "../../src/tracking/entities.ts";
import { type Tracking } from "../../src/tracking/tracking.ts";
import { SOURCE_RUN_TAG, syncTracking } from "../../src/tracking/sync.ts";
import { startMlflowServer } from "./mlflow_server.ts";

async function seedStore(uri: string): Promise<Tracking> {
  const tracking = openTracking(uri);
  const { experimentId } = await tracking.getOrCreateExperiment("Synced");
  const parent = await tracking.createRun({ experimentId, runName: "train-1", startTime: 1_000 });
  const child = await tracking.createRun({
    experimentId,
    runName: "gbt",
    parentRunId: parent.info.runId,
    startTime: 2_000,
  });
  await tracking.logParams(child.info.runId, { depth: 4, rate: 0.1 });
  const points = Array.from(
    { length: 1500 },
    (_, step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: 3_000 + step }),
  );
  // The file store takes at most 1000 metrics per batch, as MLflow's log-batch.
  await tracking.logBatch(child.info.runId, { metrics: points.slice(0, 1000) });
  await tracking.logBatch(child.info.runId, { metrics: points.slice(1000) });
  await tracking.setTag(child.info.runId, "candidate", "gbt");
  const folder = await Deno.makeTempDir();
  await Deno.writeTextFile(join(folder, "roc.svg"), "<svg>roc</svg>");
  await tracking.logArtifact(child.info.runId, join(folder, "roc.svg"), "report/charts");
  await tracking.setTerminated(child.info.runId, "FINISHED", 9_000);
  await tracking.setTerminated(parent.info.runId, "FAILED", 9_500);
  return tracking;
}

/** A store's runs of experiment "Synced" as comparable facts, by run name. */
async function facts(tracking: Tracking) {
  const experiment = (await tracking.listExperiments()).items.find((item) => item.name === "Synced")!;
  const { items } = await tracking.searchRuns({ experimentIds: [experiment.experimentId] });
  const names = new Map(items.map((run) => [run.info.runId, run.info.runName]));
  const byName = async (run: Run) => {
    const { [SOURCE_RUN_TAG]: _source, "mlflow.parentRunId": parent, ...tags } = run.data.tags;
    const loss = await tracking.getMetricHistory(run.info.runId, "loss");
    const artifacts = (await tracking.listArtifacts(run.info.runId, "report/charts")).map((file) => file.path);
    return [run.info.runName, {
      times: [run.info.startTime, run.info.endTime, run.info.status],
      params: run.data.params,
      tags: Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith("mlflow.source"))),
      parent: parent === undefined ? null : names.get(parent),
      loss: loss.map((point) => [point.step, point.value, point.timestamp]).sort((a, b) => a[0] - b[0]),
      artifacts,
      roc: artifacts.length ? await tracking.readArtifactText(run.info.runId, artifacts[0]) : null,
    }] as const;
  };
  return Object.fromEntries(await Promise.all(items.map(byName)));
}

Deno.test("tracking:sync file -> server -> file keeps everything; a second sync copies nothing", async () => {
  const server = await startMlflowServer();
  try {
    const work = await Deno.makeTempDir({ prefix: "sync-test-" });
    const source = await seedStore(`file:${work}/a/mlruns`);
    const expected = await facts(source);
    assert.equal(expected.gbt.loss.length, 1500);
    assert.deepEqual(expected.gbt.times, [2_000, 9_000, "FINISHED"]);

    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["task", "tracking:sync", "--from", `file:${work}/a/mlruns`, "--to", server.url],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(cli.stdout);
    assert.equal(cli.code, 0, new TextDecoder().decode(cli.stderr));
    assert.match(stdout, /copied 2 runs \(1500 metric points, 1 artifacts\) .*; 0 already there/);
    assert.deepEqual(await facts(openTracking(server.url)), expected);

    const again = await syncTracking(source, openTracking(server.url));
    assert.deepEqual([again.runsCopied, again.runsSkipped], [0, 2]);

    const back = openTracking(`file:${work}/b/mlruns`);
    const report = await syncTracking(openTracking(server.url), back);
    assert.equal(report.runsCopied, 2);
    assert.deepEqual(await facts(back), expected);
    const copied = (await back.searchRuns()).items[0];
    assert.match(
      copied.info.artifactUri,
      new RegExp(`^file://${work}/b/mlruns/`),
      "the target records its own location",
    );
  } finally {
    await server.stop();
  }
});
