/**
 * Writing to a copied or moved store: the first write relocates it (recorded
 * locations rewritten into the copy, with a notice), so nothing lands in the
 * original, and both stores read by MLflow's rules afterwards. File store
 * only: a server's store is not a folder that can be copied.
 */
import assert from "node:assert/strict";
import { TrackingClient } from "../../src/tracking/client.ts";
import { listFilesRecursive } from "../../src/tracking/store_fs.ts";
import { copyTree, logTextArtifact, mlflowReadCheck, SKIP_PYTHON_CHECKS, temporaryClient } from "./helpers.ts";
import { makeTestDir } from "../temp_dir.ts";

/** A store with one of everything that records a location: experiment, run with artifacts, logged model, version. */
async function populatedStore() {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId });
  await logTextArtifact(client, info.runId, "auc 0.91\n", "reports/summary.txt");
  const model = await client.logModel({ runId: info.runId, name: "model", bundle: { content: "{}" } });
  await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
  await client.setTerminated(info.runId);
  return { root, experimentId, runId: info.runId };
}

/** Every location recorded in the store's meta.yaml files. */
async function recordedLocations(root: string): Promise<string[]> {
  const metas = (await listFilesRecursive(root)).filter((path) => path.endsWith("meta.yaml"));
  const texts = await Promise.all(metas.map((path) => Deno.readTextFile(`${root}/${path}`)));
  return texts.flatMap((text) => [...text.matchAll(/^(?:artifact_location|artifact_uri|storage_location): (.+)$/gm)])
    .map((match) => match[1]);
}

/** The client's writes of a training run: a new run with an artifact, a logged model and a registered version. */
async function trainInto(client: TrackingClient, experimentId: string) {
  const { info } = await client.createRun({ experimentId, runName: "after-copy" });
  await logTextArtifact(client, info.runId, "new\n", "reports/new.txt");
  const model = await client.logModel({ runId: info.runId, name: "model", bundle: { content: "{}" } });
  return await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
}

async function capturingWarnings<T>(body: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    return { result: await body(), warnings };
  } finally {
    console.warn = warn;
  }
}

Deno.test("training into a copy of a store relocates the copy and leaves the original untouched", async () => {
  const { root, experimentId, runId } = await populatedStore();
  const copy = `${await makeTestDir({ prefix: "mlruns-copy-" })}/mlruns`;
  await copyTree(root, copy);
  const originalFiles = await listFilesRecursive(root);
  const originalBytes = await Promise.all(originalFiles.map((path) => Deno.readFile(`${root}/${path}`)));
  const client = new TrackingClient({ trackingUri: `file:${copy}` });
  // Reading changes nothing (reads stay portable).
  assert.equal(await client.readArtifactText(runId, "reports/summary.txt"), "auc 0.91\n");
  assert.ok((await recordedLocations(copy)).every((uri) => uri.startsWith(`file://${root}/`)));

  const { result: version, warnings } = await capturingWarnings(() => trainInto(client, experimentId));
  assert.equal(version.version, 2);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    new RegExp(`^notice: ${copy} is a copy or move of the store at file://${root}: .* rewrote 4 meta.yaml`),
  );
  assert.deepEqual(await listFilesRecursive(root), originalFiles, "no file was added to the original store");
  const after = await Promise.all(originalFiles.map((path) => Deno.readFile(`${root}/${path}`)));
  assert.deepEqual(after, originalBytes, "no file of the original store changed");
  const locations = await recordedLocations(copy);
  assert.equal(locations.length, 7);
  for (const uri of locations) assert.ok(uri.startsWith(`file://${copy}/`), uri);
  assert.equal(version.storageLocation, `file://${copy}/${experimentId}/models/${version.modelId}/artifacts`);
  assert.equal(await client.readArtifactText(runId, "reports/summary.txt"), "auc 0.91\n");
  // A second client finds nothing left to relocate.
  const { warnings: none } = await capturingWarnings(() =>
    trainInto(new TrackingClient({ trackingUri: `file:${copy}` }), experimentId)
  );
  assert.deepEqual(none, []);
  if (!SKIP_PYTHON_CHECKS) {
    for (const store of [root, copy]) {
      const { code, report } = await mlflowReadCheck(store);
      assert.deepEqual(report.errors, []);
      assert.equal(code, 0);
    }
  }
});

Deno.test("a moved store (original gone) is relocated on first write; a deliberate artifact root elsewhere is kept", async () => {
  const { root, experimentId } = await populatedStore();
  const moved = `${await makeTestDir({ prefix: "mlruns-moved-" })}/mlruns`;
  await copyTree(root, moved);
  await Deno.remove(root, { recursive: true });
  const client = new TrackingClient({ trackingUri: `file:${moved}` });
  const { warnings } = await capturingWarnings(() => trainInto(client, experimentId));
  assert.equal(warnings.length, 1);
  assert.equal(await Deno.stat(root).then(() => true, () => false), false, "the old path was not recreated");
  for (const uri of await recordedLocations(moved)) assert.ok(uri.startsWith(`file://${moved}/`), uri);

  const elsewhere = await makeTestDir({ prefix: "artifact-root-" });
  const external = await client.createExperiment("External", { artifactLocation: `${elsewhere}/scorecard` });
  const { warnings: kept } = await capturingWarnings(async () => {
    const { info } = await client.createRun({ experimentId: external });
    await logTextArtifact(client, info.runId, "x", "x.txt");
    return info;
  });
  assert.deepEqual(kept, []);
  assert.equal((await client.getExperiment(external)).artifactLocation, `file://${elsewhere}/scorecard`);
  assert.equal((await listFilesRecursive(elsewhere)).length, 1);
});
