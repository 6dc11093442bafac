/**
 * Reading the store MLflow 3.7.0 wrote in the seed project (on Windows: its
 * artifact locations are `file:C:/...`). Expected figures were counted from
 * the store's files. File store only: the seed is an `mlruns` folder.
 */
import assert from "node:assert/strict";
import { TrackingClient } from "../../src/tracking/client.ts";
import { listArtifactsIn } from "../../src/tracking/artifacts.ts";
import { listLoggedModels } from "../../src/tracking/logged_models.ts";
import { getLatestVersions } from "../../src/tracking/registry.ts";
import { createStoreContext } from "../../src/tracking/store_context.ts";
import { SEED_EXPERIMENT_ID, SEED_ROOT } from "./helpers.ts";

const client = new TrackingClient({ trackingUri: `file:${SEED_ROOT}` });
/** Logged-model listing and legacy stages are read below the client, which no longer exposes them. */
const context = createStoreContext(client.root);

Deno.test("seed: the experiment, its name, tags and recorded (Windows) artifact location", async () => {
  const { items, problems } = await client.listExperiments();
  assert.deepEqual(problems, []);
  assert.equal(items.length, 1);
  const experiment = items[0];
  assert.equal(experiment.experimentId, SEED_EXPERIMENT_ID);
  assert.equal(experiment.name, "Customer_Conversion_Scorecard");
  assert.equal(experiment.lifecycleStage, "active");
  assert.equal(experiment.creationTime, 1765526717101);
  assert.deepEqual(experiment.tags, { "mlflow.experimentKind": "custom_model_development" });
  assert.match(experiment.artifactLocation, /^file:C:\/Users\/admin\/.*\/mlruns\/195242121511690317$/);
  assert.deepEqual(await client.getExperimentByName("Customer_Conversion_Scorecard"), experiment);
  assert.equal(await client.getExperimentByName("missing"), null);
});

Deno.test("seed: 42 runs, 39 FINISHED and 3 FAILED, 26 children of 13 parents", async () => {
  const { items: runs, problems } = await client.searchRuns();
  assert.deepEqual(problems, []);
  assert.equal(runs.length, 42);
  const byStatus = Object.groupBy(runs, (run) => run.info.status);
  assert.equal(byStatus.FINISHED?.length, 39);
  assert.equal(byStatus.FAILED?.length, 3);
  assert.deepEqual(byStatus.FAILED!.map((run) => run.info.runName).sort(), [
    "crawling-swan-786",
    "marvelous-roo-444",
    "salty-wasp-808",
  ]);
  const ids = new Set(runs.map((run) => run.info.runId));
  const children = runs.filter((run) => run.data.tags["mlflow.parentRunId"] !== undefined);
  const parents = new Set(children.map((run) => run.data.tags["mlflow.parentRunId"]));
  assert.equal(children.length, 26);
  assert.equal(parents.size, 13);
  for (const parent of parents) assert.ok(ids.has(parent), `parent ${parent} is a run of the store`);
  for (const parent of parents) {
    assert.deepEqual(
      children.filter((run) => run.data.tags["mlflow.parentRunId"] === parent).map((run) => run.info.runName).sort(),
      ["LogisticRegression", "XGBoost"],
    );
  }
  // Default order: newest start first.
  assert.equal(runs[0].info.runId, "e1b97e2815c841d5a94099ce2ea3b8f5");
  for (let index = 1; index < runs.length; index++) {
    assert.ok(runs[index - 1].info.startTime >= runs[index].info.startTime);
  }
});

Deno.test("seed: one child run's info, params, latest metrics, tags and model output", async () => {
  const run = await client.getRun("c705528894b5469ebd076e089e2f92ae");
  assert.deepEqual(run.info, {
    runId: "c705528894b5469ebd076e089e2f92ae",
    runName: "LogisticRegression",
    experimentId: SEED_EXPERIMENT_ID,
    userId: "admin",
    status: "FINISHED",
    startTime: 1765941699204,
    endTime: 1765941702916,
    artifactUri:
      "file:C:/Users/admin/Documents/05_My_Projects/03_ml_app/ml_scorecard/using_prefect_mlflow/mlruns/195242121511690317/c705528894b5469ebd076e089e2f92ae/artifacts",
    lifecycleStage: "active",
  });
  assert.deepEqual(run.data.params, { C: "1.0", model_type: "LogisticRegression" });
  assert.deepEqual(run.data.metrics, {
    auc: 0.9651336898395722,
    precision: 0.7878787878787878,
    recall: 0.9176470588235294,
  });
  assert.deepEqual(run.data.tags, {
    "mlflow.parentRunId": "140e7daa57c64daa8b6d092585a8d0c0",
    "mlflow.runName": "LogisticRegression",
    "mlflow.source.name": "./ml_scorecard_prefect_mlflow_2.py",
    "mlflow.source.type": "LOCAL",
    "mlflow.user": "admin",
  });
  assert.deepEqual(run.outputs.modelOutputs, [{ modelId: "m-d2cbb33c40c84b7584bff0a6340829a8", step: 0 }]);
});

Deno.test("seed: metric histories keep every line in file order (MLflow logged each point twice)", async () => {
  const history = await client.getMetricHistory("c705528894b5469ebd076e089e2f92ae", "auc");
  assert.deepEqual(history, [
    { key: "auc", value: 0.9651336898395722, timestamp: 1765941699288, step: 0 },
    { key: "auc", value: 0.9651336898395722, timestamp: 1765941699288, step: 0 },
  ]);
  const failed = await client.getMetricHistory("397bb09d94bd46b2b1764bb407dcb9b3", "logistic_accuracy");
  assert.deepEqual(failed.map((metric) => metric.value), [0.904, 0.904]);
  assert.deepEqual(await client.getMetricHistory("c705528894b5469ebd076e089e2f92ae", "never_logged"), []);
});

Deno.test("seed: a parent run carries the data params and no metrics", async () => {
  const parent = await client.getRun("140e7daa57c64daa8b6d092585a8d0c0");
  assert.equal(parent.info.runName, "Manual-Run-202512171021");
  assert.deepEqual(parent.data.params, {
    n_customers: "1000",
    n_features_cat: "0",
    n_features_num: "7",
    target_imbalance_train: "0.33866666666666667",
  });
  assert.deepEqual(parent.data.metrics, {});
});

Deno.test("seed: 29 logged models, each linked to the run that produced it", async () => {
  const { items: models, problems } = await listLoggedModels(context);
  assert.deepEqual(problems, []);
  assert.equal(models.length, 29);
  const names = Object.groupBy(models, (model) => model.name);
  assert.equal(names.model_logistic?.length, 16);
  assert.equal(names.model_xgb?.length, 13);
  for (const model of models) {
    assert.equal(model.status, "READY");
    assert.equal(model.experimentId, SEED_EXPERIMENT_ID);
    const run = await client.getRun(model.sourceRunId!);
    assert.ok(run.outputs.modelOutputs.some((output) => output.modelId === model.modelId));
  }
  const model = await client.getLoggedModel("m-d2cbb33c40c84b7584bff0a6340829a8");
  assert.equal(model.name, "model_logistic");
  assert.equal(model.sourceRunId, "c705528894b5469ebd076e089e2f92ae");
  assert.deepEqual(model.params, { C: "1.0", model_type: "LogisticRegression" });
  assert.deepEqual(model.metrics.find((metric) => metric.key === "auc"), {
    key: "auc",
    value: 0.9651336898395722,
    timestamp: 1765941699288,
    step: 0,
    runId: "c705528894b5469ebd076e089e2f92ae",
  });
  const artifacts = await listArtifactsIn(await client.resolveLocalPath(`models:/${model.modelId}`), "");
  assert.deepEqual(artifacts.map((artifact) => artifact.path), [
    "MLmodel",
    "conda.yaml",
    "python_env.yaml",
    "requirements.txt",
  ]);
});

Deno.test("seed: registered model with 3 versions, their sources, and v1 in Production", async () => {
  const { items, problems } = await client.listRegisteredModels();
  assert.deepEqual(problems, []);
  assert.deepEqual(items.map((model) => model.name), ["customer_conversion_model"]);
  assert.deepEqual(items[0].aliases, {});
  const { items: versions } = await client.listModelVersions("customer_conversion_model");
  assert.deepEqual(versions.map((version) => [version.version, version.currentStage, version.source]), [
    [1, "Production", "runs:/b4c5673dfb08434395aff693048edb4d/model_logistic"],
    [2, "None", "runs:/c705528894b5469ebd076e089e2f92ae/model_logistic"],
    [3, "None", "runs:/95804c11c98943d595b6c29de2c6ce7a/model_logistic"],
  ]);
  assert.deepEqual(versions.map((version) => version.runId), [
    "b4c5673dfb08434395aff693048edb4d",
    "c705528894b5469ebd076e089e2f92ae",
    "95804c11c98943d595b6c29de2c6ce7a",
  ]);
  const [production] = await getLatestVersions(context, "customer_conversion_model", ["Production"]);
  assert.equal(production.version, 1);
  assert.equal(production.status, "READY");
  assert.equal(production.modelId, null);
});

Deno.test("seed: URIs resolve to local folders although the store was written on Windows", async () => {
  const version2 = await client.resolveLocalPath("models:/customer_conversion_model/2");
  assert.ok(version2.endsWith(`/${SEED_EXPERIMENT_ID}/models/m-d2cbb33c40c84b7584bff0a6340829a8/artifacts`));
  const mlmodel = await Deno.readTextFile(`${version2}/MLmodel`);
  assert.match(mlmodel, /run_id: c705528894b5469ebd076e089e2f92ae/);
  assert.equal(
    await client.resolveLocalPath("models:/customer_conversion_model/Production"),
    await client.resolveLocalPath("runs:/b4c5673dfb08434395aff693048edb4d/model_logistic"),
  );
  assert.equal(
    await client.resolveLocalPath("models:/customer_conversion_model/latest"),
    await client.resolveLocalPath("runs:/95804c11c98943d595b6c29de2c6ce7a/model_logistic"),
  );
  assert.equal(await client.resolveLocalPath("models:/m-d2cbb33c40c84b7584bff0a6340829a8"), version2);
});

Deno.test("seed: run artifacts are read from the store when the recorded C:/ path does not exist", async () => {
  const runId = "397bb09d94bd46b2b1764bb407dcb9b3";
  assert.deepEqual(await client.listArtifacts(runId), [
    { path: "logistic_classification_report.txt", isDir: false, fileSize: 326 },
  ]);
  const report = await client.readArtifactText(runId, "logistic_classification_report.txt");
  assert.match(report, /weighted avg {7}0\.91 {6}0\.90 {6}0\.90 {7}250/);
});

Deno.test("seed: search filters and ordering give the answers counted from the files", async () => {
  const logistic = await client.searchRuns({
    filter: "metrics.auc > 0.8 and params.model_type = 'LogisticRegression'",
    orderBy: ["metrics.auc DESC"],
  });
  assert.equal(logistic.items.length, 13);
  // All 13 share the same AUC, so the default order (newest first) breaks the tie.
  assert.deepEqual(logistic.items.slice(0, 3).map((run) => run.info.runId), [
    "95804c11c98943d595b6c29de2c6ce7a",
    "c705528894b5469ebd076e089e2f92ae",
    "b4c5673dfb08434395aff693048edb4d",
  ]);
  const ascending = await client.searchRuns({ orderBy: ["metrics.auc ASC"] });
  assert.deepEqual(ascending.items.slice(0, 13).map((run) => run.data.params.model_type), Array(13).fill("XGBoost"));
  assert.equal(ascending.items[13].data.params.model_type, "LogisticRegression");
  assert.deepEqual(ascending.items.slice(26).map((run) => run.data.metrics.auc), Array(16).fill(undefined));
  const failed = await client.searchRuns({ filter: "attributes.status = 'FAILED'" });
  assert.equal(failed.items.length, 3);
  const siblings = await client.searchRuns({ filter: "tags.mlflow.parentRunId = '140e7daa57c64daa8b6d092585a8d0c0'" });
  assert.deepEqual(siblings.items.map((run) => run.info.runId).sort(), [
    "bbf50bee854043398f029d904f94f820",
    "c705528894b5469ebd076e089e2f92ae",
  ]);
  const parents = await client.searchRuns({ filter: "attributes.run_name LIKE 'Manual-Run-%'" });
  assert.equal(parents.items.length, 13);
  const top = await client.searchRuns({ orderBy: ["metrics.auc DESC"], maxResults: 1 });
  assert.equal(top.items[0].info.runId, "95804c11c98943d595b6c29de2c6ce7a");
});
