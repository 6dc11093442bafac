/** What the client writes, it reads back identically; and what it writes is MLflow's layout, byte for byte. */
import assert from "node:assert/strict";
import { parseMlModel } from "../../src/tracking/mlmodel.ts";
import { copyTree, temporaryClient, TEST_TIME } from "./helpers.ts";

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

Deno.test("runs: params, metric histories, tags and nesting read back exactly as logged", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const parent = await client.createRun({ experimentId, runName: "Manual-Run" });
  const child = await client.createRun({
    experimentId,
    runName: "XGBoost",
    parentRunId: parent.info.runId,
    tags: { "mlflow.note.content": "first try" },
  });
  const runId = child.info.runId;
  await client.logParams(runId, { model_type: "xgboost", max_depth: 3, learning_rate: 0.1, tol: 1e-5, early: false });
  await client.logParam(runId, "max_depth", 3);
  await assert.rejects(client.logParam(runId, "max_depth", 4), /changing param values is not allowed/);
  await client.logMetric(runId, "auc", 0.9, { step: 0, timestamp: 10 });
  await client.logMetric(runId, "auc", 0.95, { step: 2, timestamp: 11 });
  await client.logMetric(runId, "auc", 0.99, { step: 1, timestamp: 12 });
  await client.logMetric(runId, "val/loss", NaN, { timestamp: 13 });
  await client.logMetric(runId, "lift", Infinity, { timestamp: 14 });
  await client.logMetric(runId, "tiny", 1e-5, { timestamp: 15 });
  await client.logBatch(runId, {
    metrics: [{ key: "precision", value: 0.5, timestamp: 16, step: 0 }, {
      key: "precision",
      value: 0.6,
      timestamp: 17,
    }],
    params: [{ key: "n_estimators", value: 200 }],
    tags: [{ key: "stage", value: "candidate" }, { key: "nested/key", value: "x\ny" }],
  });
  await client.setTag(runId, "mlflow.runName", "XGBoost-200");
  await client.setTerminated(runId);

  assert.equal(
    await Deno.readTextFile(`${root}/${experimentId}/${runId}/metrics/auc`),
    "10 0.9 0\n11 0.95 2\n12 0.99 1\n",
  );
  assert.equal(await Deno.readTextFile(`${root}/${experimentId}/${runId}/metrics/val/loss`), "13 nan 0\n");
  assert.equal(await Deno.readTextFile(`${root}/${experimentId}/${runId}/params/tol`), "1e-05");
  assert.equal(await Deno.readTextFile(`${root}/${experimentId}/${runId}/params/early`), "False");

  const run = await client.getRun(runId);
  assert.deepEqual(run.info, {
    runId,
    runName: "XGBoost-200",
    experimentId,
    userId: "tester",
    status: "FINISHED",
    startTime: TEST_TIME,
    endTime: TEST_TIME,
    artifactUri: `file://${root}/${experimentId}/${runId}/artifacts`,
    lifecycleStage: "active",
  });
  assert.deepEqual(run.data.params, {
    early: "False",
    learning_rate: "0.1",
    max_depth: "3",
    model_type: "xgboost",
    n_estimators: "200",
    tol: "1e-05",
  });
  // Latest = largest (step, timestamp, value): step 2 wins for auc although logged before step 1.
  assert.deepEqual(run.data.metrics, { auc: 0.95, "val/loss": NaN, lift: Infinity, tiny: 1e-5, precision: 0.6 });
  assert.deepEqual(run.data.tags, {
    "mlflow.note.content": "first try",
    "mlflow.parentRunId": parent.info.runId,
    "mlflow.runName": "XGBoost-200",
    "mlflow.source.name": "./train.ts",
    "mlflow.source.type": "LOCAL",
    "mlflow.user": "tester",
    "nested/key": "x\ny",
    stage: "candidate",
  });
  assert.deepEqual((await client.getMetricHistory(runId, "auc")).map((metric) => [metric.step, metric.value]), [
    [0, 0.9],
    [2, 0.95],
    [1, 0.99],
  ]);
  assert.deepEqual((await client.getRun(parent.info.runId)).info.status, "RUNNING");
});

Deno.test("logged models: MLmodel, signature, input example, run link and metrics read back", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId, runName: "LogisticRegression" });
  const bundle = JSON.stringify({ kind: "logistic", coefficients: [0.5, -1.25], intercept: 0.1 });
  const model = await client.logModel({
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
  await client.logMetric(info.runId, "auc", 0.91, { timestamp: 20, modelId: model.modelId });
  const dir = `${root}/${experimentId}/models/${model.modelId}`;
  const read = await client.getLoggedModel(model.modelId);
  assert.deepEqual(read, {
    modelId: model.modelId,
    experimentId,
    name: "model_logistic",
    artifactLocation: `file://${dir}/artifacts`,
    creationTimestamp: TEST_TIME,
    lastUpdatedTimestamp: TEST_TIME,
    modelType: "classifier",
    sourceRunId: info.runId,
    status: "READY",
    statusMessage: null,
    lifecycleStage: "active",
    params: { C: "1", model_type: "logistic" },
    tags: { "mlflow.source.name": "./train.ts", "mlflow.source.type": "LOCAL", "mlflow.user": "tester" },
    metrics: [{ key: "auc", value: 0.91, timestamp: 20, step: 0, runId: info.runId }],
  });
  assert.equal(await Deno.readTextFile(`${dir}/metrics/auc`), `20 0.91 0 ${info.runId}\n`);
  assert.doesNotMatch(await Deno.readTextFile(`${dir}/meta.yaml`), /lifecycle_stage/);
  assert.deepEqual((await client.getRun(info.runId)).outputs.modelOutputs, [{ modelId: model.modelId, step: 0 }]);

  const folder = await client.resolveLocalPath(`runs:/${info.runId}/model_logistic`);
  assert.equal(folder, `${dir}/artifacts`);
  assert.equal(await Deno.readTextFile(`${folder}/model.json`), bundle);
  const mlmodel = parseMlModel(await Deno.readTextFile(`${folder}/MLmodel`), "MLmodel");
  assert.deepEqual(mlmodel.flavors, {
    ts_json_bundle: { data: "model.json", format: "json", model_kind: "logistic", bundle_version: 1 },
  });
  assert.equal(mlmodel.modelId, model.modelId);
  assert.equal(mlmodel.raw.model_uuid, model.modelId);
  assert.equal(mlmodel.raw.artifact_path, `file://${dir}/artifacts`);
  assert.equal(mlmodel.raw.utc_time_created, "2023-11-14 22:13:20.000000");
  assert.deepEqual(mlmodel.signature, {
    inputs: [
      { type: "double", name: "recency", required: true },
      { type: "string", name: "segment", required: false },
    ],
    outputs: [{ type: "double", required: true }],
  });
  assert.equal(
    await Deno.readTextFile(`${folder}/input_example.json`),
    '{"columns": ["recency", "segment"], "data": [[12.5, "a"], [3, null]]}',
  );
  const payload = JSON.parse(await Deno.readTextFile(`${folder}/serving_input_payload.json`));
  assert.deepEqual(payload, { dataframe_split: { columns: ["recency", "segment"], data: [[12.5, "a"], [3, null]] } });
  const sizes = (await client.listLoggedModelArtifacts(model.modelId))
    .filter((artifact) => artifact.path !== "MLmodel")
    .reduce((total, artifact) => total + (artifact.fileSize ?? 0), 0);
  assert.equal(mlmodel.raw.model_size_bytes, sizes);
});

Deno.test("a store copied elsewhere (original deleted) still reads, artifacts and models included", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId });
  await client.logText(info.runId, "auc 0.91\n", "reports/summary.txt");
  const model = await client.logModel({ runId: info.runId, name: "model_logistic", bundle: { content: "{}" } });
  const version = await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
  await client.setAlias("scorecard", "champion", version.version);

  const moved = `${await Deno.makeTempDir()}/moved-mlruns`;
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

Deno.test("a batch with a conflicting param writes nothing", async () => {
  const { client } = await temporaryClient();
  const { info } = await client.createRun();
  await client.logParam(info.runId, "C", 1);
  await assert.rejects(
    client.logBatch(info.runId, { params: [{ key: "alpha", value: 0.5 }, { key: "C", value: 2 }] }),
    /param 'C' .* was logged as '1', now '2'/,
  );
  await assert.rejects(
    client.logBatch(info.runId, { params: [{ key: "a", value: 1 }, { key: "a", value: 1 }] }),
    /duplicate/,
  );
  assert.deepEqual((await client.getRun(info.runId)).data.params, { C: "1" });
});
