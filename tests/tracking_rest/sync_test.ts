/**
 * `tracking:sync`: file store -> real MLflow server -> another file store
 * keeps runs, times, params, metric histories, tags and artifacts, logged
 * models (bundles byte for byte), versions and aliases; a second sync copies
 * nothing; a target's own registered model is not clobbered. A server is
 * started per test and always stopped.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { withLocalCopy } from "../../src/tracking/local_copy.ts";
import { openTracking } from "../../src/tracking/open.ts";
import { type Run } from "../../src/tracking/entities.ts";
import { type Tracking } from "../../src/tracking/tracking.ts";
import { SOURCE_MODEL_TAG, SOURCE_RUN_TAG, SOURCE_VERSION_TAG, syncTracking } from "../../src/tracking/sync.ts";
import { LEASE_TAG } from "../../src/tracking/promotion_lease.ts";
import { loadModel } from "../../src/bundle/load_model.ts";
import { startMlflowServer } from "./mlflow_server.ts";
import { makeTestDir } from "../temp_dir.ts";

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
  const model = await tracking.logModel({
    runId: child.info.runId,
    name: "model",
    bundle: { fileName: "model_bundle.json", content: '{"kind": "test"}' },
    params: { depth: 4 },
    tags: { family: "gbt" },
  });
  // A value logged against a logged model is in the run's history too: the copy must keep it once in each.
  await tracking.logMetric(child.info.runId, "auc", 0.91, { step: 2, timestamp: 4_000, modelId: model.modelId });
  const folder = await makeTestDir();
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
    const auc = await tracking.getMetricHistory(run.info.runId, "auc");
    const models = await Promise.all(run.outputs.modelOutputs.map(async ({ modelId }) => {
      const model = await tracking.getLoggedModel(modelId);
      return {
        name: model.name,
        params: model.params,
        metrics: model.metrics.map((
          point,
        ) => [point.key, point.value, point.step, point.timestamp, names.get(point.runId)]),
      };
    }));
    return [run.info.runName, {
      times: [run.info.startTime, run.info.endTime, run.info.status],
      params: run.data.params,
      tags: Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith("mlflow.source"))),
      parent: parent === undefined ? null : names.get(parent),
      loss: loss.map((point) => [point.step, point.value, point.timestamp]).sort((a, b) => a[0] - b[0]),
      artifacts,
      auc: auc.map((point) => [point.step, point.value, point.timestamp]),
      models,
      roc: artifacts.length ? await tracking.readArtifactText(run.info.runId, artifacts[0]) : null,
    }] as const;
  };
  return Object.fromEntries(await Promise.all(items.map(byName)));
}

Deno.test("tracking:sync file -> server -> file keeps everything; a second sync copies nothing", async () => {
  const server = await startMlflowServer();
  try {
    const work = await makeTestDir({ prefix: "sync-test-" });
    const source = await seedStore(`file:${work}/a/mlruns`);
    const expected = await facts(source);
    assert.equal(expected.gbt.loss.length, 1500);
    assert.deepEqual(expected.gbt.times, [2_000, 9_000, "FINISHED"]);
    assert.deepEqual(expected.gbt.auc, [[2, 0.91, 4_000]]);
    assert.deepEqual(expected.gbt.models, [
      { name: "model", params: { depth: "4" }, metrics: [["auc", 0.91, 2, 4_000, "gbt"]] },
    ]);

    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["task", "tracking:sync", "--from", `file:${work}/a/mlruns`, "--to", server.url],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(cli.stdout);
    assert.equal(cli.code, 0, new TextDecoder().decode(cli.stderr));
    assert.match(
      stdout,
      /copied 2 runs \(1501 metric points, 1 artifacts\), 1 logged models, .*; 0 runs already there/,
    );
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

const MODEL = "customer_conversion_model";

/** This process's download folders in the temp folder. */
async function ownDownloads(): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(tmpdir())) {
    if (entry.name.startsWith(`mlflow-download-${Deno.pid}-`)) names.push(entry.name);
  }
  return names.sort();
}

/** Trains a small model into `uri` (tracked mode: runs, logged models, a version, an alias). */
async function trainInto(uri: string, out: string, candidate: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "src/cli/train.ts",
      "--mode",
      "tracked",
      "--tracking-uri",
      uri,
      "--out",
      out,
      "--candidates",
      candidate,
      "--customers",
      "300",
      "--transactions",
      "2400",
      "--folds",
      "3",
      "--no-cache",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The registry of `MODEL` as comparable facts: the model's tags, description
 * and aliases; per version its tags, description, aliases, the name of the
 * run it came from, its logged model's name, params and tags, and the SHA-256
 * of its bundle. Also checks that every link points inside `tracking`.
 */
async function registryFacts(tracking: Tracking) {
  const model = await tracking.getRegisteredModel(MODEL);
  const versions = [];
  for (const version of (await tracking.listModelVersions(MODEL)).items) {
    const { [SOURCE_VERSION_TAG]: _source, ...tags } = version.tags;
    const logged = await tracking.getLoggedModel(version.modelId!);
    assert.equal(version.source, `models:/${logged.modelId}`, "the source names the target's own logged model");
    assert.equal(logged.sourceRunId, version.runId, "the logged model belongs to the version's run");
    const run = await tracking.getRun(version.runId!);
    assert.ok(run.outputs.modelOutputs.some((output) => output.modelId === logged.modelId));
    // The server lists a logged model's versions in a tag of its own; the file store does not.
    const { [SOURCE_MODEL_TAG]: _model, "mlflow.modelVersions": _versions, ...loggedTags } = logged.tags;
    const files = await withLocalCopy(tracking, `models:/${MODEL}/${version.version}`, async (folder) => ({
      bundle: await sha256(join(folder, "model_bundle.json")),
      mlmodelNames: (await Deno.readTextFile(join(folder, "MLmodel"))).includes(`model_id: ${logged.modelId}`),
    }));
    versions.push({
      version: version.version,
      tags,
      description: version.description,
      aliases: [...version.aliases].sort(),
      run: run.info.runName,
      logged: { name: logged.name, params: logged.params, tags: loggedTags, type: logged.modelType },
      ...files,
    });
  }
  const { [LEASE_TAG]: _lease, ...tags } = model.tags;
  return { tags, description: model.description, aliases: model.aliases, versions };
}

Deno.test("tracking:sync copies logged models, versions and aliases file -> server -> file; serve loads the champion", async () => {
  const server = await startMlflowServer();
  try {
    const work = await makeTestDir({ prefix: "sync-registry-test-" });
    const sourceUri = `file:${work}/a/mlruns`;
    await trainInto(sourceUri, join(work, "out1"), "logistic");
    await trainInto(sourceUri, join(work, "out2"), "ml-logistic-regression");
    const source = openTracking(sourceUri);
    await source.setRegisteredModelTag(MODEL, "team", "growth");
    await source.setModelVersionTag(MODEL, 1, "reviewed", "yes");
    const expected = await registryFacts(source);
    assert.equal(expected.versions.length, 2);
    assert.deepEqual(Object.keys(expected.aliases).sort(), ["challenger", "champion"]);
    assert.ok(expected.versions.every((version) => version.mlmodelNames));

    const toServer = await syncTracking(source, openTracking(server.url));
    assert.deepEqual(
      [toServer.loggedModelsCopied, toServer.registeredModelsCreated, toServer.versionsCopied, toServer.aliasesSet],
      [2, 1, 2, 2],
    );
    assert.deepEqual(await registryFacts(openTracking(server.url)), expected);

    const backUri = `file:${work}/b/mlruns`;
    const back = openTracking(backUri);
    await syncTracking(openTracking(server.url), back);
    assert.deepEqual(await registryFacts(back), expected);
    for (const version of (await back.listModelVersions(MODEL)).items) {
      assert.match(version.storageLocation!, new RegExp(`^file://${work}/b/mlruns/`), "the target's own location");
    }

    const fromSource = await loadModel(`models:/${MODEL}@champion`, sourceUri);
    const downloadsBefore = await ownDownloads();
    for (const uri of [server.url, backUri]) {
      const loaded = await loadModel(`models:/${MODEL}@champion`, uri);
      assert.deepEqual(loaded.bundle, fromSource.bundle);
      assert.equal(loaded.source.version, fromSource.source.version);
    }
    assert.deepEqual(await ownDownloads(), downloadsBefore, "loading from the server leaves no download behind");

    const again = await syncTracking(source, openTracking(server.url));
    assert.deepEqual(
      [
        again.runsCopied,
        again.loggedModelsCopied,
        again.registeredModelsCreated,
        again.versionsCopied,
        again.aliasesSet,
        again.tagsUpdated,
      ],
      [0, 0, 0, 0, 0, 0],
    );

    // A promotion and a review at the source after a sync: the next sync moves the alias and sets the tags, only that.
    const champion = expected.aliases.champion;
    await source.setAlias(MODEL, "champion", 3 - champion);
    await source.setModelVersionTag(MODEL, 1, "reviewed_by", "risk team");
    await source.setRegisteredModelTag(MODEL, "owner", "scoring");
    await back.setModelVersionTag(MODEL, 1, "target_only", "kept");
    const moved = await syncTracking(source, back);
    assert.deepEqual([moved.versionsCopied, moved.aliasesSet, moved.tagsUpdated], [0, 1, 2]);
    assert.equal((await back.getRegisteredModel(MODEL)).aliases.champion, 3 - champion);
    assert.equal((await back.getRegisteredModel(MODEL)).tags.owner, "scoring");
    const reviewed = (await back.getModelVersion(MODEL, 1)).tags;
    assert.deepEqual([reviewed.reviewed_by, reviewed.target_only], ["risk team", "kept"]);
    assert.equal((await syncTracking(source, back)).tagsUpdated, 0, "nothing left to update");
  } finally {
    await server.stop();
  }
});

Deno.test("tracking:sync refuses a registered model the target already has with versions of its own", async () => {
  const work = await makeTestDir({ prefix: "sync-conflict-test-" });
  const source = await seedStore(`file:${work}/a/mlruns`);
  const [run] = (await source.searchRuns({ filter: "tags.candidate = 'gbt'" })).items;
  const logged = await source.logModel({ runId: run.info.runId, name: "model", bundle: { content: "{}" } });
  await source.registerModel(MODEL, `models:/${logged.modelId}`, run.info.runId);
  await source.setAlias(MODEL, "champion", 1);

  const target = openTracking(`file:${work}/b/mlruns`);
  const { experimentId } = await target.getOrCreateExperiment("Other");
  const own = await target.createRun({ experimentId });
  const ownModel = await target.logModel({ runId: own.info.runId, name: "model", bundle: { content: "[]" } });
  await target.registerModel(MODEL, `models:/${ownModel.modelId}`, own.info.runId);
  await target.setAlias(MODEL, "champion", 1);

  await assert.rejects(
    syncTracking(source, target),
    new RegExp(`registered model "${MODEL}" already exists in .* with version\\(s\\) 1 not copied from`),
  );
  const versions = (await target.listModelVersions(MODEL)).items;
  assert.deepEqual(versions.map((version) => [version.version, version.modelId]), [[1, ownModel.modelId]]);
  assert.equal((await target.getRegisteredModel(MODEL)).aliases.champion, 1);
});

Deno.test("tracking:sync --experiment skips versions from other experiments and says how the others are numbered", async () => {
  const work = await makeTestDir({ prefix: "sync-experiment-test-" });
  const source = openTracking(`file:${work}/a/mlruns`);
  for (const name of ["First", "Second"]) {
    const { experimentId } = await source.getOrCreateExperiment(name);
    const run = await source.createRun({ experimentId, runName: name });
    const logged = await source.logModel({ runId: run.info.runId, name: "model", bundle: { content: `"${name}"` } });
    await source.registerModel(MODEL, `models:/${logged.modelId}`, run.info.runId);
  }
  await source.setAlias(MODEL, "champion", 1);
  await source.setAlias(MODEL, "challenger", 2);

  const target = openTracking(`file:${work}/b/mlruns`);
  const lines: string[] = [];
  const report = await syncTracking(source, target, { experiment: "Second", log: (line) => lines.push(line) });
  assert.deepEqual([report.runsCopied, report.versionsCopied, report.aliasesSet], [1, 1, 1]);
  assert.ok(lines.includes(`model "${MODEL}" version 1: its run or logged model is not part of this sync; skipped`));
  assert.ok(lines.includes(`model "${MODEL}" version 2 is version 1 in ${target.location}`), lines.join("\n"));
  const [version] = (await target.listModelVersions(MODEL)).items;
  assert.deepEqual([version.version, version.tags[SOURCE_VERSION_TAG]], [1, "2"]);
  assert.deepEqual((await target.getRegisteredModel(MODEL)).aliases, { challenger: 1 });
  const folder = await target.resolveLocalPath(`models:/${MODEL}@challenger`);
  assert.equal(await Deno.readTextFile(join(folder, "model.json")), '"Second"');
});
