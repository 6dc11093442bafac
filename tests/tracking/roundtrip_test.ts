/**
 * What we write we read back identically, on both backends (`forEachBackend`:
 * the file store and a real MLflow server); and what the file store writes is
 * MLflow's layout, byte for byte (file-store-only tests: they are about the
 * on-disk format, which a server does not have).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseMlModel } from "../../src/tracking/mlmodel.ts";
import { mainScript } from "../../src/tracking/store_context.ts";
import { type Backend, forEachBackend } from "./backends.ts";
import { copyTree, logTextArtifact, temporaryClient, TEST_TIME } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("experiments: created, read back, listed, default experiment 0 created on first run", async () => {
  const { client, root } = await temporaryClient();
  assert.equal(await client.exists(), false);
  assert.deepEqual(await client.listExperiments(), { items: [], problems: [] });
  const id = await client.createExperiment("Scorecard", { tags: { team: "growth" } });
  assert.match(id, /^[1-9]\d{17}$/);
  const expected = {
    experimentId: id,
    name: "Scorecard",
    artifactLocation: `file://${root}/${id}`,
    lifecycleStage: "active",
    creationTime: TEST_TIME,
    lastUpdateTime: TEST_TIME,
    tags: { "mlflow.experimentKind": "custom_model_development", team: "growth" },
  };
  assert.deepEqual(await client.getExperiment(id), expected);
  assert.deepEqual(await client.getExperimentByName("Scorecard"), expected);
  assert.deepEqual(await client.getOrCreateExperiment("Scorecard"), expected);
  assert.equal(
    await Deno.readTextFile(`${root}/${id}/meta.yaml`),
    `artifact_location: file://${root}/${id}\ncreation_time: ${TEST_TIME}\nexperiment_id: '${id}'\n` +
      `last_update_time: ${TEST_TIME}\nlifecycle_stage: active\nname: Scorecard\n`,
  );
  await assert.rejects(client.createExperiment("Scorecard"), /already exists/);
  const run = await client.createRun();
  assert.equal(run.info.experimentId, "0");
  assert.equal((await client.getExperiment("0")).name, "Default");
  for (const folder of [".trash", "models"]) assert.ok((await Deno.stat(`${root}/${folder}`)).isDirectory);
  assert.deepEqual((await client.listExperiments()).items.map((experiment) => experiment.name).sort(), [
    "Default",
    "Scorecard",
  ]);
});

Deno.test("runs: meta.yaml is MLflow's, byte for byte, while running and after termination", async () => {
  const { client, root } = await temporaryClient();
  const id = await client.createExperiment("Scorecard");
  const run = await client.createRun({ experimentId: id, runName: "LogisticRegression" });
  const runId = run.info.runId;
  const dir = `${root}/${id}/${runId}`;
  const head = `artifact_uri: file://${dir}/artifacts\n`;
  const tail = `entry_point_name: ''\nexperiment_id: '${id}'\nlifecycle_stage: active\nrun_id: ${runId}\n` +
    `run_name: LogisticRegression\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${TEST_TIME}\n`;
  assert.equal(
    await Deno.readTextFile(`${dir}/meta.yaml`),
    `${head}deleted_time: null\nend_time: null\n${tail}status: 1\ntags: []\nuser_id: tester\n`,
  );
  await client.setTerminated(runId, "FAILED", TEST_TIME + 5);
  assert.equal(
    await Deno.readTextFile(`${dir}/meta.yaml`),
    `${head}end_time: ${TEST_TIME + 5}\n${tail}status: 4\ntags: []\nuser_id: tester\n`,
  );
  assert.equal(await Deno.readTextFile(`${dir}/tags/mlflow.runName`), "LogisticRegression");
  for (const folder of ["metrics", "params", "artifacts"]) assert.ok((await Deno.stat(`${dir}/${folder}`)).isDirectory);
});

Deno.test("a store copied elsewhere (original deleted) still reads, artifacts and models included", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId });
  await logTextArtifact(client, info.runId, "auc 0.91\n", "reports/summary.txt");
  const model = await client.logModel({ runId: info.runId, name: "model_logistic", bundle: { content: "{}" } });
  const version = await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
  await client.setAlias("scorecard", "champion", version.version);

  const moved = `${await makeTestDir()}/moved-mlruns`;
  await copyTree(root, moved);
  await Deno.remove(root, { recursive: true });
  const { TrackingClient } = await import("../../src/tracking/client.ts");
  const copy = new TrackingClient({ trackingUri: moved });
  assert.equal(await copy.readArtifactText(info.runId, "reports/summary.txt"), "auc 0.91\n");
  assert.equal(
    await copy.resolveLocalPath("models:/scorecard@champion"),
    `${moved}/${experimentId}/models/${model.modelId}/artifacts`,
  );
  // The records keep the original absolute URI, as MLflow would have written it.
  assert.equal(
    (await copy.getRun(info.runId)).info.artifactUri,
    `file://${root}/${experimentId}/${info.runId}/artifacts`,
  );
});

/** The `mlflow.source.name` tag of new runs: the file store's test context sets it; the REST client reports the main script. */
function sourceName({ kind }: Backend): string {
  return kind === "file" ? "./train.ts" : mainScript();
}

forEachBackend("round trip on both backends", {
  "experiments: get-or-create is idempotent and listed; a run without an experiment goes to Default (0)": async (
    backend,
  ) => {
    const { tracking } = backend;
    const name = backend.unique("Scorecard");
    const experiment = await tracking.getOrCreateExperiment(name);
    assert.equal(experiment.name, name);
    assert.equal(experiment.lifecycleStage, "active");
    assert.deepEqual(await tracking.getOrCreateExperiment(name), experiment);
    assert.deepEqual(await tracking.getExperiment(experiment.experimentId), experiment);
    await assert.rejects(tracking.getExperiment("999999999"), { code: "RESOURCE_DOES_NOT_EXIST" });
    const run = await tracking.createRun();
    assert.equal(run.info.experimentId, "0");
    const names = (await tracking.listExperiments()).items.map((listed) => listed.name);
    assert.ok(names.includes(name) && names.includes("Default"), names.join(", "));
    // The file store records where artifacts go as a file URI; the server hands out proxied locations.
    assert.match(
      experiment.artifactLocation,
      backend.kind === "file" ? /^file:\/\/\/.*\/mlruns\/\d{18}$/ : /^mlflow-artifacts:\/\d+$/,
    );
  },

  "runs: params, metric histories, tags and nesting read back exactly as logged": async (backend) => {
    const { tracking, root } = backend;
    const { experimentId } = await tracking.getOrCreateExperiment(backend.unique("Scorecard"));
    const parent = await tracking.createRun({ experimentId, runName: "Manual-Run", userId: "tester" });
    const child = await tracking.createRun({
      experimentId,
      runName: "XGBoost",
      userId: "tester",
      parentRunId: parent.info.runId,
      tags: { "mlflow.note.content": "first try" },
    });
    const runId = child.info.runId;
    await tracking.logParams(runId, {
      model_type: "xgboost",
      max_depth: 3,
      learning_rate: 0.1,
      tol: 1e-5,
      early: false,
    });
    await tracking.logParams(runId, { max_depth: 3 });
    await assert.rejects(tracking.logParams(runId, { max_depth: 4 }), /changing param values is not allowed/i);
    await tracking.logMetric(runId, "auc", 0.9, { step: 0, timestamp: 10 });
    await tracking.logMetric(runId, "auc", 0.95, { step: 2, timestamp: 11 });
    await tracking.logMetric(runId, "auc", 0.99, { step: 1, timestamp: 12 });
    await tracking.logMetric(runId, "val/loss", NaN, { timestamp: 13 });
    await tracking.logMetric(runId, "lift", Infinity, { timestamp: 14 });
    await tracking.logMetric(runId, "tiny", 1e-5, { timestamp: 15 });
    for (const [fold, auc] of [0.91, 0.93, 0.9].entries()) {
      await tracking.logMetrics(runId, { cv_auc: auc, cv_logloss: 1 - auc }, { step: fold, timestamp: 1000 + fold });
    }
    await tracking.logBatch(runId, {
      metrics: [{ key: "precision", value: 0.5, timestamp: 16, step: 0 }, {
        key: "precision",
        value: 0.6,
        timestamp: 17,
      }],
      params: [{ key: "n_estimators", value: 200 }],
      tags: [{ key: "stage", value: "candidate" }, { key: "nested/key", value: "x\ny" }],
    });
    const losses = Array.from(
      { length: 1001 },
      (_, step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: 5 }),
    );
    if (backend.kind === "file") {
      // The file store holds one call to MLflow's log-batch limit; the REST client splits a batch into calls within it.
      await assert.rejects(tracking.logBatch(runId, { metrics: losses }), /at most: 1001 metrics \(max 1000\)/);
      await tracking.logBatch(runId, { metrics: losses.slice(0, 1000) });
      await tracking.logBatch(runId, { metrics: losses.slice(1000) });
    } else {
      await tracking.logBatch(runId, { metrics: losses });
    }
    await tracking.setTag(runId, "mlflow.runName", "XGBoost-200");
    await tracking.setTerminated(runId);
    await tracking.setTerminated(parent.info.runId, "FAILED", TEST_TIME + 5);

    const run = await tracking.getRun(runId);
    const { artifactUri, ...info } = run.info;
    assert.deepEqual(info, {
      runId,
      runName: "XGBoost-200",
      experimentId,
      userId: "tester",
      status: "FINISHED",
      startTime: TEST_TIME,
      endTime: TEST_TIME,
      lifecycleStage: "active",
    });
    assert.equal(
      artifactUri,
      root
        ? `file://${root}/${experimentId}/${runId}/artifacts`
        : `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
    );
    assert.deepEqual(run.data.params, {
      early: "False",
      learning_rate: "0.1",
      max_depth: "3",
      model_type: "xgboost",
      n_estimators: "200",
      tol: "1e-05",
    });
    // Latest = largest (step, timestamp, value): step 2 wins for auc although logged before step 1.
    // MLflow's SQL store keeps +-inf as +-float max (sqlalchemy_store); the file store keeps Infinity.
    const lift = backend.kind === "file" ? Infinity : Number.MAX_VALUE;
    assert.deepEqual(run.data.metrics, {
      auc: 0.95,
      "val/loss": NaN,
      lift,
      tiny: 1e-5,
      precision: 0.6,
      cv_auc: 0.9,
      cv_logloss: 1 - 0.9,
      loss: 1 / 1001,
    });
    assert.deepEqual(run.data.tags, {
      "mlflow.note.content": "first try",
      "mlflow.parentRunId": parent.info.runId,
      "mlflow.runName": "XGBoost-200",
      "mlflow.source.name": sourceName(backend),
      "mlflow.source.type": "LOCAL",
      "mlflow.user": "tester",
      "nested/key": "x\ny",
      stage: "candidate",
    });
    const history = async (key: string) =>
      (await tracking.getMetricHistory(runId, key)).map(({ step, value, timestamp }) => [step, value, timestamp]);
    assert.deepEqual(await history("auc"), [[0, 0.9, 10], [2, 0.95, 11], [1, 0.99, 12]]);
    assert.deepEqual(await history("cv_auc"), [[0, 0.91, 1000], [1, 0.93, 1001], [2, 0.9, 1002]]);
    assert.deepEqual(await history("val/loss"), [[0, NaN, 13]]);
    const loss = await tracking.getMetricHistory(runId, "loss");
    assert.deepEqual(loss.map((point) => point.step).sort((a, b) => a - b), Array.from({ length: 1001 }, (_, i) => i));
    const parentRun = await tracking.getRun(parent.info.runId);
    assert.deepEqual([parentRun.info.status, parentRun.info.endTime], ["FAILED", TEST_TIME + 5]);

    const { items } = await tracking.searchRuns({
      experimentIds: [experimentId],
      filter: "params.model_type = 'xgboost' and metrics.auc > 0.9",
    });
    assert.deepEqual(items.map((found) => found.info.runId), [runId]);
    const trimmed = await tracking.searchRuns({
      experimentIds: [experimentId],
      filter: "params.model_type = 'xgboost' and metrics.auc > 0.9",
      columns: ["metrics.auc", "tags.mlflow.parentRunId"],
    });
    assert.deepEqual(trimmed.items.map((found) => found.data), [{
      metrics: { auc: 0.95 },
      params: {},
      tags: { "mlflow.parentRunId": parent.info.runId },
    }]);
    const ordered = await tracking.searchRuns({ experimentIds: [experimentId], orderBy: ["attributes.status ASC"] });
    assert.deepEqual(ordered.items.map((found) => found.info.status), ["FAILED", "FINISHED"]);

    if (root) {
      const dir = `${root}/${experimentId}/${runId}`;
      assert.equal(await Deno.readTextFile(`${dir}/metrics/auc`), "10 0.9 0\n11 0.95 2\n12 0.99 1\n");
      assert.equal(await Deno.readTextFile(`${dir}/metrics/val/loss`), "13 nan 0\n");
      assert.equal(await Deno.readTextFile(`${dir}/params/tol`), "1e-05");
      assert.equal(await Deno.readTextFile(`${dir}/params/early`), "False");
    }
  },

  "logged models: MLmodel, signature, input example, run link and metrics read back": async (backend) => {
    const { tracking, root } = backend;
    const { experimentId } = await tracking.getOrCreateExperiment(backend.unique("Scorecard"));
    const { info } = await tracking.createRun({ experimentId, runName: "LogisticRegression" });
    const bundle = JSON.stringify({ kind: "logistic", coefficients: [0.5, -1.25], intercept: 0.1, note: "ünïcode" });
    const model = await tracking.logModel({
      runId: info.runId,
      name: "model_logistic",
      bundle: { content: bundle },
      flavorConfig: { model_kind: "logistic", bundle_version: 1 },
      signature: {
        inputs: [{ name: "recency", type: "double" }, { name: "segment", type: "string", required: false }],
        outputs: [{ type: "double" }],
      },
      inputExample: { columns: ["recency", "segment"], data: [[12.5, "a"], [3, null]] },
      params: { C: 1, model_type: "logistic" },
      modelType: "classifier",
    });
    await tracking.logMetric(info.runId, "auc", 0.91, { timestamp: 20, modelId: model.modelId });
    const read = await tracking.getLoggedModel(model.modelId);
    const { artifactLocation, creationTimestamp, lastUpdatedTimestamp, tags, ...rest } = read;
    assert.deepEqual(rest, {
      modelId: model.modelId,
      experimentId,
      name: "model_logistic",
      modelType: "classifier",
      sourceRunId: info.runId,
      status: "READY",
      statusMessage: null,
      lifecycleStage: "active",
      params: { C: "1", model_type: "logistic" },
      metrics: [{ key: "auc", value: 0.91, timestamp: 20, step: 0, runId: info.runId }],
    });
    if (root) {
      // The file store stamps with its own clock and tags the model with the run's source, as MLflow's fluent API.
      assert.equal(artifactLocation, `file://${root}/${experimentId}/models/${model.modelId}/artifacts`);
      assert.deepEqual([creationTimestamp, lastUpdatedTimestamp], [TEST_TIME, TEST_TIME]);
      assert.deepEqual(tags, {
        "mlflow.source.name": "./train.ts",
        "mlflow.source.type": "LOCAL",
        "mlflow.user": "tester",
      });
    } else {
      // The server stamps with its clock and records no source tags on logged models created over REST.
      assert.equal(artifactLocation, `mlflow-artifacts:/${experimentId}/models/${model.modelId}/artifacts`);
      assert.ok(lastUpdatedTimestamp! >= creationTimestamp && creationTimestamp > TEST_TIME);
      assert.deepEqual(tags, {});
    }
    assert.deepEqual((await tracking.getRun(info.runId)).outputs.modelOutputs, [{ modelId: model.modelId, step: 0 }]);

    const folder = await tracking.resolveLocalPath(`runs:/${info.runId}/model_logistic`);
    if (root) assert.equal(folder, `${root}/${experimentId}/models/${model.modelId}/artifacts`);
    assert.equal(await Deno.readTextFile(join(folder, "model.json")), bundle);
    const mlmodel = parseMlModel(await Deno.readTextFile(join(folder, "MLmodel")), "MLmodel");
    assert.deepEqual(mlmodel.flavors, {
      ts_json_bundle: { data: "model.json", format: "json", model_kind: "logistic", bundle_version: 1 },
    });
    assert.equal(mlmodel.modelId, model.modelId);
    assert.equal(mlmodel.raw.model_uuid, model.modelId);
    assert.equal(mlmodel.raw.artifact_path, artifactLocation);
    // MLflow writes the logged model's creation time (the file store's fixed clock, the server's own).
    assert.equal(
      mlmodel.raw.utc_time_created,
      new Date(creationTimestamp).toISOString().replace("T", " ").replace("Z", "000"),
    );
    if (root) assert.equal(mlmodel.raw.utc_time_created, "2023-11-14 22:13:20.000000");
    assert.deepEqual(mlmodel.signature, {
      inputs: [
        { type: "double", name: "recency", required: true },
        { type: "string", name: "segment", required: false },
      ],
      outputs: [{ type: "double", required: true }],
    });
    assert.equal(
      await Deno.readTextFile(join(folder, "input_example.json")),
      '{"columns": ["recency", "segment"], "data": [[12.5, "a"], [3, null]]}',
    );
    const payload = JSON.parse(await Deno.readTextFile(join(folder, "serving_input_payload.json")));
    assert.deepEqual(payload, { dataframe_split: { columns: ["recency", "segment"], data: [[12.5, "a"], [3, null]] } });
    let sizes = 0;
    for await (const entry of Deno.readDir(folder)) {
      if (entry.name !== "MLmodel") sizes += (await Deno.stat(join(folder, entry.name))).size;
    }
    assert.equal(mlmodel.raw.model_size_bytes, sizes);
    if (root) {
      const dir = `${root}/${experimentId}/models/${model.modelId}`;
      assert.equal(await Deno.readTextFile(`${dir}/metrics/auc`), `20 0.91 0 ${info.runId}\n`);
      assert.doesNotMatch(await Deno.readTextFile(`${dir}/meta.yaml`), /lifecycle_stage/);
    }
  },

  "a batch with a conflicting or duplicate param writes nothing": async ({ tracking }) => {
    const { info } = await tracking.createRun();
    await tracking.logParams(info.runId, { C: 1 });
    await assert.rejects(
      tracking.logBatch(info.runId, { params: [{ key: "alpha", value: 0.5 }, { key: "C", value: 2 }] }),
      /changing param values is not allowed/i,
    );
    await assert.rejects(
      tracking.logBatch(info.runId, { params: [{ key: "a", value: 1 }, { key: "a", value: 1 }] }),
      /duplicate/i,
    );
    assert.deepEqual((await tracking.getRun(info.runId)).data.params, { C: "1" });
  },
});
