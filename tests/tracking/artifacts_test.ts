/**
 * Run artifacts on both backends (`forEachBackend`); where the file store puts
 * them (and that it leaves no temporary file) is checked on the file store only.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TrackingError } from "../../src/tracking/errors.ts";
import { forEachBackend } from "./backends.ts";
import { makeTestDir } from "../temp_dir.ts";

forEachBackend("artifacts on both backends", {
  "log files under paths; list, read and resolve them": async (backend) => {
    const { tracking, root } = backend;
    const { experimentId } = await tracking.getOrCreateExperiment(backend.unique("Scorecard"));
    const { info } = await tracking.createRun({ experimentId });
    const source = await makeTestDir();
    await Deno.writeTextFile(`${source}/roc.svg`, "<svg/>");
    await Deno.writeTextFile(`${source}/lift.svg`, "<svg>lift ünïcode</svg>");
    await Deno.writeTextFile(`${source}/a.txt`, "a");

    assert.equal(await tracking.logArtifact(info.runId, `${source}/roc.svg`), "roc.svg");
    assert.equal(await tracking.logArtifact(info.runId, `${source}/roc.svg`, "figures"), "figures/roc.svg");
    assert.equal(await tracking.logArtifact(info.runId, `${source}/lift.svg`, "plots"), "plots/lift.svg");
    assert.equal(await tracking.logArtifact(info.runId, `${source}/a.txt`, "plots/deep"), "plots/deep/a.txt");

    assert.deepEqual(await tracking.listArtifacts(info.runId), [
      { path: "figures", isDir: true, fileSize: null },
      { path: "plots", isDir: true, fileSize: null },
      { path: "roc.svg", isDir: false, fileSize: 6 },
    ]);
    assert.deepEqual(await tracking.listArtifacts(info.runId, "plots"), [
      { path: "plots/deep", isDir: true, fileSize: null },
      { path: "plots/lift.svg", isDir: false, fileSize: 25 },
    ]);
    assert.deepEqual(await tracking.listArtifacts(info.runId, "nothing/here"), []);
    assert.equal(await tracking.readArtifactText(info.runId, "plots/lift.svg"), "<svg>lift ünïcode</svg>");
    assert.deepEqual(await tracking.readArtifact(info.runId, "roc.svg"), new TextEncoder().encode("<svg/>"));
    // A missing file or a folder is RESOURCE_DOES_NOT_EXIST at once (MLflow's proxy answers a missing file with a 500).
    for (const missing of ["plots/none.svg", "plots", "nothing/here.txt"]) {
      await assert.rejects(tracking.readArtifact(info.runId, missing), (error: TrackingError) => {
        assert.equal(error.code, "RESOURCE_DOES_NOT_EXIST");
        assert.match(error.message, new RegExp(`no artifact file '${missing}'`));
        return true;
      });
    }
    const folder = await tracking.resolveLocalPath(`runs:/${info.runId}/plots`);
    assert.equal(await Deno.readTextFile(join(folder, "deep/a.txt")), "a");
    assert.equal(await Deno.readTextFile(join(folder, "lift.svg")), "<svg>lift ünïcode</svg>");

    if (root) {
      // The files sit where MLflow's LocalArtifactRepository puts them, and no temporary file is left anywhere.
      const runDir = `${root}/${experimentId}/${info.runId}`;
      assert.equal(folder, `${runDir}/artifacts/plots`);
      assert.equal(await Deno.readTextFile(`${runDir}/artifacts/figures/roc.svg`), "<svg/>");
      assert.deepEqual([...Deno.readDirSync(runDir)].filter((entry) => entry.name.startsWith(".tmp")), []);
    }
  },

  "a terminated run still takes artifacts; a missing local file is refused, naming it": async (backend) => {
    const { tracking } = backend;
    const { info } = await tracking.createRun();
    await tracking.setTerminated(info.runId);
    const source = await makeTestDir();
    await Deno.writeTextFile(`${source}/late.txt`, "late");
    assert.equal(await tracking.logArtifact(info.runId, `${source}/late.txt`), "late.txt");
    assert.equal(await tracking.readArtifactText(info.runId, "late.txt"), "late");
    // Refused before any request: the REST client once retried the local error 8 times as a server failure.
    await assert.rejects(
      tracking.logArtifact(info.runId, "/no/such/file.txt"),
      /^TrackingError: cannot log artifact: no such file \/no\/such\/file\.txt$/,
    );
    await assert.rejects(tracking.resolveLocalPath(`runs:/${info.runId}/model`), /runs:\/\w+\/model|neither/);
  },
});
