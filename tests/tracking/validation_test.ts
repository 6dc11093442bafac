/** MLflow's key, name and path rules; file store only where a name would become a path in the store. */
import assert from "node:assert/strict";
import { isTrackingError } from "../../src/tracking/errors.ts";
import {
  posixNormpath,
  validateAliasName,
  validateArtifactPath,
  validateExperimentId,
  validateKey,
  validateLoggedModelName,
  validateModelVersion,
  validateNewRegisteredModelName,
  validateRegisteredModelName,
  validateRunId,
} from "../../src/tracking/validation.ts";
import { temporaryClient } from "./helpers.ts";

const rejects = (check: () => unknown, label: string) =>
  assert.throws(check, (error) => isTrackingError(error, "INVALID_PARAMETER_VALUE"), label);

Deno.test("posixNormpath is Python's posixpath.normpath", () => {
  const cases: [string, string][] = [
    ["", "."],
    ["a/b", "a/b"],
    ["a//b/", "a/b"],
    ["./a", "a"],
    ["a/../b", "b"],
    ["../a", "../a"],
    ["/../a", "/a"],
    ["//a", "//a"],
    ["///a", "/a"],
    ["a/..", "."],
  ];
  for (const [path, expected] of cases) assert.equal(posixNormpath(path), expected, path);
});

Deno.test("keys: MLflow's characters and no path tricks", () => {
  for (const key of ["auc", "val/auc", "a.b-c d:e", "précision"]) validateKey("metric", key);
  for (const key of ["", "../x", "a/../../x", "/abs", "a//b", "a/", ".", "a\\b", "a*b", "x".repeat(251)]) {
    rejects(() => validateKey("metric", key), key);
  }
});

Deno.test("ids, names, aliases, versions and artifact paths", () => {
  validateRunId("c705528894b5469ebd076e089e2f92ae");
  validateExperimentId("195242121511690317");
  for (const bad of ["../x", "", "a/b"]) {
    rejects(() => validateRunId(bad), bad);
    rejects(() => validateExperimentId(bad), bad);
  }
  validateNewRegisteredModelName("customer conversion model");
  validateRegisteredModelName("legacy:name");
  for (const bad of ["", "..", ".", "a/b", "a\\b", "50%", "a:b"]) {
    rejects(() => validateNewRegisteredModelName(bad), bad);
  }
  validateLoggedModelName("model_logistic");
  for (const bad of ["", "a/b", "a.b", "a:b", "a'b"]) rejects(() => validateLoggedModelName(bad), bad);
  validateAliasName("champion");
  for (const bad of ["", "latest", "LATEST", "v2", "V10", "a b", "a/b"]) rejects(() => validateAliasName(bad), bad);
  assert.equal(validateModelVersion("3"), 3);
  for (const bad of [0, -1, 1.5, "x", "1e2"]) rejects(() => validateModelVersion(bad), String(bad));
  assert.equal(validateArtifactPath("plots/./roc.svg"), "plots/roc.svg");
  assert.equal(validateArtifactPath(""), "");
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "a\0b"]) {
    rejects(() => validateArtifactPath(bad), bad);
  }
});

Deno.test("nothing escapes the store through a run name, key, artifact path or model name", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  // A run name is a value, never a path: it is stored verbatim and creates no folder.
  const run = await client.createRun({ experimentId, runName: "../../escaped" });
  assert.equal((await client.getRun(run.info.runId)).info.runName, "../../escaped");
  const runId = run.info.runId;
  await assert.rejects(client.logMetric(runId, "../../escaped", 1), /invalid metric name/);
  await assert.rejects(client.logParams(runId, { "../escaped": "x" }), /invalid param name/);
  await assert.rejects(client.setTag(runId, "/etc/escaped", "x"), /invalid tag name/);
  await assert.rejects(client.logArtifact(runId, import.meta.filename!, "../.."), /invalid artifact path/);
  await assert.rejects(client.createRegisteredModel("../escaped"), /path separator/);
  await assert.rejects(client.getRun("../escaped"), /invalid run ID/);
  const outside = [...Deno.readDirSync(`${root}/..`)].map((entry) => entry.name);
  assert.deepEqual(outside, ["mlruns"]);
  assert.ok(![...Deno.readDirSync(root)].some((entry) => entry.name.includes("escaped")));
});
