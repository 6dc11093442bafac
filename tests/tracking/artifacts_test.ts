import assert from "node:assert/strict";
import { temporaryClient } from "./helpers.ts";

Deno.test("artifacts: log a file, a folder and text; list, read and download them", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId });
  const source = await Deno.makeTempDir();
  await Deno.writeTextFile(`${source}/roc.svg`, "<svg/>");
  await Deno.mkdir(`${source}/plots/deep`, { recursive: true });
  await Deno.writeTextFile(`${source}/plots/lift.svg`, "<svg>lift</svg>");
  await Deno.writeTextFile(`${source}/plots/deep/a.txt`, "a");

  assert.equal(await client.logArtifact(info.runId, `${source}/roc.svg`), "roc.svg");
  assert.equal(await client.logArtifact(info.runId, `${source}/roc.svg`, "figures"), "figures/roc.svg");
  assert.deepEqual(await client.logArtifacts(info.runId, `${source}/plots`, "plots"), [
    "plots/deep/a.txt",
    "plots/lift.svg",
  ]);
  await client.logText(info.runId, "precision 0.8\n", "reports/classification.txt");

  assert.deepEqual(await client.listArtifacts(info.runId), [
    { path: "figures", isDir: true, fileSize: null },
    { path: "plots", isDir: true, fileSize: null },
    { path: "reports", isDir: true, fileSize: null },
    { path: "roc.svg", isDir: false, fileSize: 6 },
  ]);
  assert.deepEqual(await client.listArtifacts(info.runId, "plots"), [
    { path: "plots/deep", isDir: true, fileSize: null },
    { path: "plots/lift.svg", isDir: false, fileSize: 15 },
  ]);
  assert.deepEqual(await client.listArtifacts(info.runId, "nothing/here"), []);
  assert.equal(await client.readArtifactText(info.runId, "reports/classification.txt"), "precision 0.8\n");
  assert.deepEqual(await client.readArtifact(info.runId, "plots/deep/a.txt"), new TextEncoder().encode("a"));
  await assert.rejects(client.readArtifact(info.runId, "missing.txt"), /no artifact file 'missing.txt'/);

  const target = await Deno.makeTempDir();
  const copied = await client.downloadArtifacts(info.runId, "plots", target);
  assert.equal(copied, `${target}/plots`);
  assert.equal(await Deno.readTextFile(`${target}/plots/deep/a.txt`), "a");
  assert.equal(await client.downloadArtifacts(info.runId, "roc.svg", target), `${target}/roc.svg`);

  // The files sit where MLflow's LocalArtifactRepository puts them, and no temporary file is left anywhere.
  assert.equal(await Deno.readTextFile(`${root}/${experimentId}/${info.runId}/artifacts/figures/roc.svg`), "<svg/>");
  const stray = [...Deno.readDirSync(`${root}/${experimentId}/${info.runId}`)].filter((entry) =>
    entry.name.startsWith(".tmp")
  );
  assert.deepEqual(stray, []);
  assert.equal(
    await client.resolveLocalPath(`runs:/${info.runId}/plots`),
    `${root}/${experimentId}/${info.runId}/artifacts/plots`,
  );
});

Deno.test("artifacts: a terminated run still takes artifacts; a missing file is a clear error", async () => {
  const { client } = await temporaryClient();
  const { info } = await client.createRun();
  await client.setTerminated(info.runId);
  await client.logText(info.runId, "late", "late.txt");
  assert.equal(await client.readArtifactText(info.runId, "late.txt"), "late");
  await assert.rejects(client.logArtifact(info.runId, "/no/such/file.txt"), /no such file \/no\/such\/file.txt/);
  await assert.rejects(
    client.resolveLocalPath(`runs:/${info.runId}/model`),
    /matches neither a run artifact nor a logged model/,
  );
});
