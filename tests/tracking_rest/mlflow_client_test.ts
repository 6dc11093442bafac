/**
 * MLflow's own Python client (`MlflowClient`, from the server's source) reads
 * what our REST client wrote: params, parent, metric history, model outputs,
 * logged model, versions, aliases and the bundle byte for byte. Server only:
 * what each backend reads back itself is tests/tracking/*_test.ts (both backends).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openTracking } from "../../src/tracking/open.ts";
import { type Tracking } from "../../src/tracking/tracking.ts";
import { startMlflowServer } from "./mlflow_server.ts";
import { makeTestDir } from "../temp_dir.ts";

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
  const folder = await makeTestDir();
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

Deno.test("MLflow's own Python client reads what the REST client wrote", async () => {
  const server = await startMlflowServer();
  try {
    const ids = await writeScenario(openTracking(server.url), "Roundtrip");
    await checkWithMlflowClient(server.url, ids);
  } finally {
    await server.stop();
  }
});
