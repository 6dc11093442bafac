/**
 * One round-trip suite, run against both backends of `openTracking`: the
 * file store and a genuine MLflow 3.6 server (started for this file, always
 * stopped). What we write we read back identically; MLflow's own Python
 * client reads what the REST client wrote; the promotion lease excludes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openTracking } from "../../src/tracking/open.ts";
import { type Tracking } from "../../src/tracking/tracking.ts";
import { withPromotionLease } from "../../src/tracking/promotion_lease.ts";
import { startMlflowServer } from "./mlflow_server.ts";

const BUNDLE = JSON.stringify({ version: 3, weights: [0.25, -1.5], note: "ünïcode" });

/** Writes a fixed scenario and returns the ids the checks need. */
async function writeScenario(tracking: Tracking, experiment: string) {
  const { experimentId } = await tracking.getOrCreateExperiment(experiment);
  assert.equal(
    (await tracking.getOrCreateExperiment(experiment)).experimentId,
    experimentId,
    "get-or-create is idempotent",
  );
  const parent = await tracking.createRun({ experimentId, runName: "train-1", tags: { pipeline: "tracked" } });
  const parentId = parent.info.runId;
  const child = await tracking.createRun({ experimentId, runName: "gbt", parentRunId: parentId });
  const childId = child.info.runId;
  await tracking.logParams(childId, { model_type: "gbt", learning_rate: 0.1, depth: 4, balanced: true });
  for (const [fold, auc] of [0.91, 0.93, 0.9].entries()) {
    await tracking.logMetrics(childId, { cv_auc: auc, cv_logloss: 1 - auc }, { step: fold, timestamp: 1000 + fold });
  }
  await tracking.logBatch(childId, {
    metrics: Array.from({ length: 1000 }, (_, step) => ({ key: "loss", value: 1 / (step + 1), step, timestamp: 5 })),
  });
  await tracking.setTag(childId, "candidate", "gbt");
  const folder = await Deno.makeTempDir();
  await Deno.writeTextFile(join(folder, "roc.svg"), "<svg>roc</svg>");
  assert.equal(await tracking.logArtifact(childId, join(folder, "roc.svg"), "report/charts"), "report/charts/roc.svg");
  const model = await tracking.logModel({
    runId: childId,
    name: "model",
    bundle: { fileName: "model_bundle.json", content: BUNDLE },
    inputExample: { columns: ["recency"], data: [[12]] },
    params: { depth: 4 },
  });
  await tracking.setTerminated(childId, "FINISHED", 9_000_000);
  await tracking.setTerminated(parentId, "FAILED");
  const v1 = await tracking.registerModel("roundtrip_model", `models:/${model.modelId}`, childId, {
    modelId: model.modelId,
    tags: { candidate: "gbt" },
  });
  const v2 = await tracking.registerModel("roundtrip_model", `models:/${model.modelId}`, childId, model.modelId);
  await tracking.setAlias("roundtrip_model", "champion", v2.version);
  await tracking.setAlias("roundtrip_model", "challenger", v1.version);
  await tracking.setModelVersionTag("roundtrip_model", v2.version, "promotion", "better");
  return { experimentId, parentId, childId, modelId: model.modelId, versions: [v1.version, v2.version] };
}

async function checkScenario(tracking: Tracking, ids: Awaited<ReturnType<typeof writeScenario>>) {
  const child = await tracking.getRun(ids.childId);
  assert.equal(child.info.runName, "gbt");
  assert.equal(child.info.status, "FINISHED");
  assert.equal(child.info.endTime, 9_000_000);
  assert.equal((await tracking.getRun(ids.parentId)).info.status, "FAILED");
  assert.deepEqual(child.data.params, { model_type: "gbt", learning_rate: "0.1", depth: "4", balanced: "True" });
  assert.equal(child.data.tags["mlflow.parentRunId"], ids.parentId);
  assert.equal(child.data.tags.candidate, "gbt");
  assert.equal(child.data.metrics.cv_auc, 0.9);
  assert.deepEqual(child.outputs.modelOutputs, [{ modelId: ids.modelId, step: 0 }]);
  const history = await tracking.getMetricHistory(ids.childId, "cv_auc");
  assert.deepEqual(history.map(({ step, value, timestamp }) => [step, value, timestamp]), [
    [0, 0.91, 1000],
    [1, 0.93, 1001],
    [2, 0.9, 1002],
  ]);
  const loss = await tracking.getMetricHistory(ids.childId, "loss");
  assert.equal(loss.length, 1000);
  assert.deepEqual(loss.map((point) => point.step).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));

  assert.deepEqual(await tracking.listArtifacts(ids.childId, "report/charts"), [
    { path: "report/charts/roc.svg", isDir: false, fileSize: 14 },
  ]);
  assert.equal(await tracking.readArtifactText(ids.childId, "report/charts/roc.svg"), "<svg>roc</svg>");

  const model = await tracking.getLoggedModel(ids.modelId);
  assert.equal(model.status, "READY");
  assert.equal(model.sourceRunId, ids.childId);
  assert.deepEqual(model.params, { depth: "4" });

  const registered = await tracking.getRegisteredModel("roundtrip_model");
  assert.deepEqual(registered.aliases, { champion: 2, challenger: 1 });
  const versions = (await tracking.listModelVersions("roundtrip_model")).items;
  assert.deepEqual(versions.map((v) => [v.version, v.aliases, v.runId, v.modelId]), [
    [1, ["challenger"], ids.childId, ids.modelId],
    [2, ["champion"], ids.childId, ids.modelId],
  ]);
  assert.equal((await tracking.getModelVersionByAlias("roundtrip_model", "champion")).tags.promotion, "better");
  assert.equal((await tracking.getModelVersion("roundtrip_model", 1)).tags.candidate, "gbt");
  const folder = await tracking.resolveLocalPath("models:/roundtrip_model@champion");
  assert.equal(await Deno.readTextFile(join(folder, "model_bundle.json")), BUNDLE);
  assert.match(await Deno.readTextFile(join(folder, "MLmodel")), /ts_json_bundle:\n\s+data: model_bundle\.json/);

  const { items } = await tracking.searchRuns({
    experimentIds: [ids.experimentId],
    filter: "params.model_type = 'gbt' and metrics.cv_auc < 0.95",
  });
  assert.deepEqual(items.map((run) => run.info.runId), [ids.childId]);
  const trimmed = await tracking.searchRuns({
    experimentIds: [ids.experimentId],
    filter: "params.model_type = 'gbt' and metrics.cv_auc < 0.95",
    columns: ["metrics.cv_auc", "tags.mlflow.parentRunId"],
  });
  assert.deepEqual(trimmed.items.map((run) => run.data), [{
    metrics: { cv_auc: items[0].data.metrics.cv_auc },
    params: {},
    tags: { "mlflow.parentRunId": items[0].data.tags["mlflow.parentRunId"] },
  }]);
  const names = (await tracking.listExperiments()).items.map((experiment) => experiment.name);
  assert.ok(names.includes("Roundtrip"));
}

/** Two holders at once: their critical sections never overlap. */
async function checkLease(tracking: Tracking, modelId: string) {
  await tracking.registerModel("lease_model", `models:/${modelId}`);
  const log: string[] = [];
  const hold = (owner: string) =>
    withPromotionLease(tracking, "lease_model", owner, async (confirm) => {
      log.push(`${owner}+`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await confirm();
      log.push(`${owner}-`);
    }, { settleMs: 150 });
  await Promise.all([hold("a"), hold("b"), hold("c")]);
  for (let index = 0; index < log.length; index += 2) {
    assert.equal(log[index].slice(0, -1), log[index + 1].slice(0, -1), `overlapping holders: ${log.join(" ")}`);
  }
  assert.equal(log.length, 6);
  assert.equal((await tracking.getRegisteredModel("lease_model")).tags.promotion_lease, undefined, "released");
}

/** MLflow's own Python client reads what the REST client wrote. */
async function checkWithMlflowClient(url: string, ids: Awaited<ReturnType<typeof writeScenario>>) {
  const src = Deno.env.get("MLFLOW_CACHE") ?? `${Deno.env.get("TMPDIR") ?? "/tmp"}/mlflow-src-3.6.1.dev0`;
  const script = `
import hashlib, json, os, sys
from mlflow import MlflowClient
import mlflow, mlflow.artifacts
url, run_id, model_id = sys.argv[1:4]
c = MlflowClient(url)
run = c.get_run(run_id)
mv = c.get_model_version_by_alias("roundtrip_model", "champion")
lm = c.get_logged_model(model_id)
mlflow.set_tracking_uri(url)
mlflow.set_registry_uri(url)
folder = mlflow.artifacts.download_artifacts(artifact_uri="models:/roundtrip_model@champion")
print(json.dumps({
  "params": run.data.params, "status": run.info.status, "parent": run.data.tags.get("mlflow.parentRunId"),
  "history": [[m.step, m.value] for m in c.get_metric_history(run_id, "cv_auc")],
  "outputs": [o.model_id for o in run.outputs.model_outputs],
  "champion": mv.version, "aliases": sorted(c.get_registered_model("roundtrip_model").aliases.items()),
  "model_status": str(lm.status), "model_run": lm.source_run_id,
  "bundle_sha": hashlib.sha256(open(os.path.join(folder, "model_bundle.json"), "rb").read()).hexdigest(),
}))
`;
  const output = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, url, ids.childId, ids.modelId],
    env: {
      PYTHONPATH: `${src}.shim:${src}`,
      MLFLOW_SRC: src,
      MLFLOW_LAUNCHER_DIR: new URL("../../../shared/tools/mlflow-server", import.meta.url).pathname,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr.slice(-3000));
  const seen = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  const sha = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(BUNDLE))))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  assert.deepEqual(seen, {
    params: { model_type: "gbt", learning_rate: "0.1", depth: "4", balanced: "True" },
    status: "FINISHED",
    parent: ids.parentId,
    history: [[0, 0.91], [1, 0.93], [2, 0.9]],
    outputs: [ids.modelId],
    champion: "2",
    aliases: [["challenger", "1"], ["champion", "2"]],
    model_status: "READY",
    model_run: ids.childId,
    bundle_sha: sha,
  });
}

Deno.test("round trip on both backends: file store and a real MLflow server", async (t) => {
  const server = await startMlflowServer();
  try {
    const backends: [string, string][] = [
      ["file store", `file:${await Deno.makeTempDir({ prefix: "mlruns-roundtrip-" })}/mlruns`],
      ["MLflow server", server.url],
    ];
    for (const [name, uri] of backends) {
      let modelId = "";
      await t.step(`${name}: what we write reads back identically`, async () => {
        const tracking = openTracking(uri);
        const ids = await writeScenario(tracking, "Roundtrip");
        modelId = ids.modelId;
        await checkScenario(tracking, ids);
        if (name === "MLflow server") await checkWithMlflowClient(uri, ids);
      });
      await t.step(
        `${name}: the promotion lease admits one holder at a time`,
        () => checkLease(openTracking(uri), modelId),
      );
    }
  } finally {
    await server.stop();
  }
});
