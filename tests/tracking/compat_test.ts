/**
 * Cross-checks with Python: PyYAML (the loader MLflow uses) reads what we
 * write, and `mlflow_read_check.py` (MLflow's FileStore read rules, in
 * Python) accepts our stores and sees the same values our client reads.
 * File store only: it checks the on-disk format (MlflowClient reading the
 * server is tests/tracking_rest/mlflow_client_test.ts).
 * Skipped where `python3` with PyYAML is not installed, except in CI
 * (`CI=true`), where that fails them.
 */
import assert from "node:assert/strict";
import { createRandom } from "../../src/stats/random.ts";
import { dumpYaml } from "../../src/tracking/yaml.ts";
import { mlflowReadCheck, python, SEED_ROOT, SKIP_PYTHON_CHECKS, temporaryClient } from "./helpers.ts";

Deno.test({
  name: "PyYAML's safe loader reads back every string dumpYaml writes",
  ignore: SKIP_PYTHON_CHECKS,
  fn: async () => {
    const random = createRandom(7);
    const pieces = [
      "yes",
      "no",
      "on",
      "=",
      "<<",
      "~",
      "null",
      "1",
      "0.5",
      "1e5",
      "017",
      "0x1F",
      "2025-12-17",
      "1:20",
      ":",
      ": ",
      " #",
      "#",
      "-",
      "- ",
      "'",
      '"',
      "\\",
      "\n",
      "\t",
      " ",
      "é",
      "😀",
      "{",
      "}",
      "[",
      "]",
      ",",
      "&",
      "*",
      "!",
      "|",
      ">",
      "%",
      "@",
      "`",
      "?",
      "a",
      "Z",
      "run",
      ".",
      "\r\n",
      "\x7f",
      "\x00",
      "\u0085",
      "\u2028",
      "--- ",
    ];
    const values: Record<string, string> = {};
    for (let index = 0; index < 2000; index++) {
      const length = random.int(6);
      values[`k${index}`] = Array.from({ length }, () => pieces[random.int(pieces.length)]).join("");
    }
    const result = await python(
      ["-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode())))"],
      dumpYaml(values),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), values);
  },
});

Deno.test({
  name: "the Python reader accepts MLflow's own seed store (the check itself is sound)",
  ignore: SKIP_PYTHON_CHECKS,
  fn: async () => {
    const { code, report } = await mlflowReadCheck(SEED_ROOT);
    assert.deepEqual(report.errors, []);
    assert.equal(code, 0);
    assert.deepEqual(report.counts, {
      experiments: 1,
      logged_models: 29,
      model_versions: 3,
      registered_models: 1,
      runs: 42,
    });
  },
});

Deno.test({
  name: "the Python reader accepts a store we wrote and sees the values our client reads",
  ignore: SKIP_PYTHON_CHECKS,
  fn: async () => {
    const { client, root } = await temporaryClient();
    const experimentId = await client.createExperiment("yes");
    const parent = await client.createRun({ experimentId, runName: "2025-12-17" });
    const child = await client.createRun({ experimentId, runName: "=", parentRunId: parent.info.runId });
    const runId = child.info.runId;
    await client.logParams(runId, {
      on: "off",
      n: 0.1,
      tiny: 1e-7,
      big: 12345678901234,
      flag: true,
      date: "2025-12-17",
    });
    await client.logMetric(runId, "auc", 0.9, { step: 0, timestamp: 1 });
    await client.logMetric(runId, "auc", 0.8, { step: 3, timestamp: 2 });
    await client.logMetric(runId, "val/nan", NaN, { timestamp: 3 });
    await client.logMetric(runId, "lift", -Infinity, { timestamp: 4 });
    await client.setTag(runId, "note", "line 1\nline 2: #not a comment");
    const model = await client.logModel({
      runId,
      name: "model_logistic",
      bundle: { content: "{}" },
      signature: { inputs: [{ name: "recency", type: "double" }], outputs: [{ type: "double" }] },
      inputExample: { columns: ["recency"], data: [[1.5]] },
      params: { C: 1 },
    });
    await client.logMetric(runId, "precision", 0.75, { timestamp: 5, modelId: model.modelId });
    await client.setTerminated(runId, "KILLED");
    await client.registerModel("customer_conversion_model", `models:/${model.modelId}`, runId);
    await client.registerModel("customer_conversion_model", `runs:/${runId}/model_logistic`);
    await client.setAlias("customer_conversion_model", "champion", 2);
    await client.setModelVersionTag("customer_conversion_model", 1, "validated", "yes");

    const { code, report, stderr } = await mlflowReadCheck(root);
    assert.deepEqual(report.errors, []);
    assert.equal(code, 0, stderr);
    assert.deepEqual(report.counts, {
      experiments: 1,
      logged_models: 1,
      model_versions: 2,
      registered_models: 1,
      runs: 2,
    });
    const ours = await client.getRun(runId);
    const seen = report.runs[runId];
    assert.equal(seen.name, "=");
    assert.equal(report.runs[parent.info.runId].name, "2025-12-17");
    assert.equal(seen.status, 5);
    assert.deepEqual(seen.params, ours.data.params);
    assert.deepEqual(seen.tags, ours.data.tags);
    assert.deepEqual(seen.metrics, { auc: 0.8, "val/nan": "nan", lift: "-inf", precision: 0.75 });
    assert.deepEqual(ours.data.metrics, { auc: 0.8, "val/nan": NaN, lift: -Infinity, precision: 0.75 });
  },
});

Deno.test({
  name: "the Python reader does reject what MLflow would refuse",
  ignore: SKIP_PYTHON_CHECKS,
  fn: async () => {
    const { client, root } = await temporaryClient();
    const experimentId = await client.createExperiment("Scorecard");
    const { info } = await client.createRun({ experimentId });
    const meta = `${root}/${experimentId}/${info.runId}/meta.yaml`;
    await Deno.writeTextFile(meta, (await Deno.readTextFile(meta)).replace("status: 1", "status: FINISHED"));
    await Deno.writeTextFile(`${root}/${experimentId}/${info.runId}/metrics/auc`, "1 0.5 0 extra\n");
    const { code, report } = await mlflowReadCheck(root);
    assert.equal(code, 1);
    assert.equal(report.errors.length, 2);
    assert.match(report.errors.join("\n"), /status 'FINISHED'/);
    assert.match(report.errors.join("\n"), /4 fields/);
  },
});
