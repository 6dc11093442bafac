import assert from "node:assert/strict";
import { fileUriToPath, pathToFileUri, resolveTrackingUri, trackingRootPath } from "../../src/tracking/uri.ts";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { parseArtifactUri } from "../../src/tracking/model_uri.ts";
import { TrackingClient } from "../../src/tracking/client.ts";

const env = (value?: string) => ({ get: (name: string) => (name === "MLFLOW_TRACKING_URI" ? value : undefined) });

Deno.test("tracking URI: flag, else MLFLOW_TRACKING_URI, else file:./mlruns", () => {
  assert.equal(resolveTrackingUri("file:/flag", env("file:/env")), "file:/flag");
  assert.equal(resolveTrackingUri(undefined, env("file:/env")), "file:/env");
  assert.equal(resolveTrackingUri("", env(" ")), "file:./mlruns");
  assert.equal(resolveTrackingUri(undefined, env()), "file:./mlruns");
});

Deno.test("tracking URI: file forms map to absolute folders; other schemes are errors", () => {
  assert.equal(trackingRootPath("file:./mlruns", "/work"), "/work/mlruns");
  assert.equal(trackingRootPath("file:mlruns", "/work"), "/work/mlruns");
  assert.equal(trackingRootPath("file:///data/ml%20runs", "/work"), "/data/ml runs");
  assert.equal(trackingRootPath("file://localhost/data/mlruns", "/work"), "/data/mlruns");
  assert.equal(trackingRootPath("file:/data/mlruns", "/work"), "/data/mlruns");
  assert.equal(trackingRootPath("./mlruns", "/work"), "/work/mlruns");
  for (const uri of ["http://localhost:5000", "https://x", "sqlite:///mlflow.db", "postgresql://db", "databricks"]) {
    assert.throws(() => trackingRootPath(uri, "/work"), (error) => isTrackingError(error, "UNSUPPORTED_URI"), uri);
  }
  assert.throws(() => trackingRootPath("file://server/share", "/work"), /remote host/);
  assert.throws(() => new TrackingClient({ trackingUri: "sqlite:///mlflow.db" }), /scheme "sqlite:" is not supported/);
});

Deno.test("file URIs: written like pathlib.as_uri, read like MLflow's local_file_uri_to_path", () => {
  assert.equal(pathToFileUri("/tmp/my runs/é+x"), "file:///tmp/my%20runs/%C3%A9%2Bx");
  assert.equal(fileUriToPath("file:///tmp/my%20runs/%C3%A9%2Bx"), "/tmp/my runs/é+x");
  assert.equal(fileUriToPath("file:C:/Users/admin/mlruns"), "C:/Users/admin/mlruns");
});

Deno.test("model URIs parse into their kinds", () => {
  assert.deepEqual(parseArtifactUri("models:/scorecard/3"), { kind: "model-version", name: "scorecard", version: 3 });
  assert.deepEqual(parseArtifactUri("models:/scorecard@champion"), {
    kind: "model-alias",
    name: "scorecard",
    alias: "champion",
  });
  assert.deepEqual(parseArtifactUri("models:/scorecard/Production"), {
    kind: "model-stage",
    name: "scorecard",
    stage: "Production",
  });
  assert.deepEqual(parseArtifactUri("models:/scorecard/latest"), { kind: "model-latest", name: "scorecard" });
  assert.deepEqual(parseArtifactUri("models:/m-d2cbb33c40c84b7584bff0a6340829a8"), {
    kind: "logged-model",
    modelId: "m-d2cbb33c40c84b7584bff0a6340829a8",
  });
  assert.deepEqual(parseArtifactUri("runs:/abc/model/MLmodel"), {
    kind: "run-artifact",
    runId: "abc",
    path: "model/MLmodel",
  });
  assert.deepEqual(parseArtifactUri("runs:/abc"), { kind: "run-artifact", runId: "abc", path: "" });
  for (const bad of ["models:/only-name", "models:/a/b/c", "models:/a/notastage", "runs:/abc/../x"]) {
    assert.throws(() => parseArtifactUri(bad), (error) => isTrackingError(error, "INVALID_PARAMETER_VALUE"), bad);
  }
  assert.throws(() => parseArtifactUri("s3://bucket/model"), /unsupported artifact URI/);
});
