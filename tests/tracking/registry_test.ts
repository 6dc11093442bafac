/**
 * The model registry on both backends (`forEachBackend`): versions, aliases,
 * compare-and-set promotion, the promotion lease and tags read back the same;
 * file-store-only checks (inside `if (root)` and the last test) are about
 * MLflow's on-disk layout and the client's own registry calls.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { withPromotionLease } from "../../src/tracking/promotion_lease.ts";
import { type Backend, forEachBackend } from "./backends.ts";
import { temporaryClient, TEST_TIME } from "./helpers.ts";

/** Three runs, each with a logged model registered as a version of one model. */
async function storeWithThreeVersions({ tracking, unique }: Backend) {
  const name = unique("scorecard");
  const { experimentId } = await tracking.getOrCreateExperiment(unique("Scorecard"));
  const versions = [];
  const models = [];
  for (const runName of ["LogisticRegression", "XGBoost", "LogisticRegression"]) {
    const { info } = await tracking.createRun({ experimentId, runName });
    const bundle = { content: `{"run":"${runName}"}` };
    const model = await tracking.logModel({ runId: info.runId, name: "model", bundle });
    models.push(model);
    versions.push(await tracking.registerModel(name, `models:/${model.modelId}`, info.runId));
  }
  return { name, versions, models };
}

/** The bundle a model URI resolves to (a server's is downloaded to a new folder each time, so compare contents). */
async function bundleAt(backend: Backend, uri: string): Promise<string> {
  return await Deno.readTextFile(join(await backend.tracking.resolveLocalPath(uri), "model.json"));
}

forEachBackend("model registry on both backends", {
  "versions: numbered 1..n, with source, run and model ids": async (backend) => {
    const { tracking, root } = backend;
    const { name, versions, models } = await storeWithThreeVersions(backend);
    assert.deepEqual(versions.map((version) => version.version), [1, 2, 3]);
    const first = await tracking.getModelVersion(name, 1);
    const { creationTimestamp, lastUpdatedTimestamp, storageLocation, ...rest } = first;
    assert.deepEqual(rest, {
      name,
      version: 1,
      currentStage: "None",
      description: null,
      userId: null,
      source: `models:/${models[0].modelId}`,
      runId: models[0].sourceRunId,
      runLink: null,
      modelId: models[0].modelId,
      status: "READY",
      statusMessage: null,
      tags: {},
      aliases: [],
    });
    assert.deepEqual((await tracking.listModelVersions(name)).items.map((version) => version.version), [1, 2, 3]);
    assert.deepEqual((await tracking.listRegisteredModels()).items.filter((model) => model.name === name).length, 1);
    await assert.rejects(
      tracking.getModelVersion(name, 9),
      (error) => isTrackingError(error, "RESOURCE_DOES_NOT_EXIST"),
    );
    if (root) {
      // The file store records where the version's files are; this server version's API returns no storage_location.
      assert.equal(storageLocation, models[0].artifactLocation);
      assert.deepEqual([creationTimestamp, lastUpdatedTimestamp], [TEST_TIME, TEST_TIME]);
      assert.equal(
        await Deno.readTextFile(`${root}/models/${name}/meta.yaml`),
        `aliases: {}\ncreation_timestamp: ${TEST_TIME}\ndeployment_job_id: null\ndeployment_job_state: null\n` +
          `description: null\nlast_updated_timestamp: ${TEST_TIME}\nname: ${name}\n`,
      );
    } else {
      assert.equal(storageLocation, null);
      assert.ok(creationTimestamp > TEST_TIME, "the server stamps versions with its own clock");
    }
  },

  "aliases: set, get, move; reserved names and unknown versions are refused": async (backend) => {
    const { tracking, root } = backend;
    const { name } = await storeWithThreeVersions(backend);
    await tracking.setAlias(name, "champion", 1);
    await tracking.setAlias(name, "challenger", "3");
    assert.equal((await tracking.getModelVersionByAlias(name, "champion")).version, 1);
    assert.deepEqual((await tracking.getModelVersion(name, 3)).aliases, ["challenger"]);
    assert.deepEqual((await tracking.getRegisteredModel(name)).aliases, { champion: 1, challenger: 3 });
    if (root) {
      assert.equal(await Deno.readTextFile(`${root}/models/${name}/aliases/champion`), "1");
      assert.ok(
        (await Deno.readTextFile(`${root}/models/${name}/meta.yaml`)).startsWith(
          "aliases:\n  challenger: '3'\n  champion: '1'\n",
        ),
      );
    }
    await tracking.setAlias(name, "champion", 3);
    assert.deepEqual((await tracking.getModelVersion(name, 3)).aliases, ["challenger", "champion"]);
    await assert.rejects(tracking.getModelVersionByAlias(name, "gold"), /alias '?gold'?/);
    await assert.rejects(tracking.setAlias(name, "latest", 1), /reserved/);
    await assert.rejects(tracking.setAlias(name, "gold", 7), /not found/);
    assert.equal(await bundleAt(backend, `models:/${name}@champion`), '{"run":"LogisticRegression"}');
    assert.equal(await bundleAt(backend, `models:/${name}/2`), '{"run":"XGBoost"}');
  },

  "compareAndSetAlias moves an alias only from the expected state, and tells which happened": async (backend) => {
    const { tracking } = backend;
    const { name } = await storeWithThreeVersions(backend);
    const champion = { alias: "champion", version: null };
    assert.equal(await tracking.compareAndSetAlias(name, "champion", 1, champion), true);
    assert.equal(await tracking.compareAndSetAlias(name, "champion", 2, champion), false, "v1 is champion now");
    assert.deepEqual((await tracking.getRegisteredModel(name)).aliases, { champion: 1 });
    // A challenger decided against champion v2 must not land: the champion is v1.
    assert.equal(await tracking.compareAndSetAlias(name, "challenger", 3, { alias: "champion", version: 2 }), false);
    assert.equal(await tracking.compareAndSetAlias(name, "challenger", 3, { alias: "champion", version: 1 }), true);
    assert.equal(await tracking.compareAndSetAlias(name, "champion", 2, { alias: "champion", version: 1 }), true);
    assert.deepEqual((await tracking.getRegisteredModel(name)).aliases, { champion: 2, challenger: 3 });
    await assert.rejects(
      tracking.compareAndSetAlias(name, "champion", 9, { alias: "champion", version: 2 }),
      /not found/,
    );
    assert.deepEqual((await tracking.getRegisteredModel(name)).aliases, { champion: 2, challenger: 3 });
  },

  "the promotion lease admits one holder at a time, and is released": async (backend) => {
    const { tracking } = backend;
    const { name } = await storeWithThreeVersions(backend);
    const log: string[] = [];
    const hold = (owner: string) =>
      withPromotionLease(tracking, name, owner, async (confirm) => {
        log.push(`${owner}+`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await confirm();
        log.push(`${owner}-`);
      }, { settleMs: 150 });
    await Promise.all([hold("a"), hold("b"), hold("c")]);
    assert.equal(log.length, 6);
    for (let index = 0; index < log.length; index += 2) {
      assert.equal(log[index].slice(0, -1), log[index + 1].slice(0, -1), `overlapping holders: ${log.join(" ")}`);
    }
    assert.equal((await tracking.getRegisteredModel(name)).tags.promotion_lease, undefined, "released");
  },

  "registered model and version tags: set, read, delete": async (backend) => {
    const { tracking } = backend;
    const { name } = await storeWithThreeVersions(backend);
    await tracking.setRegisteredModelTag(name, "owner", "growth");
    await tracking.setRegisteredModelTag(name, "review", "pending");
    await tracking.setModelVersionTag(name, 2, "validated", "true");
    assert.deepEqual((await tracking.getRegisteredModel(name)).tags, { owner: "growth", review: "pending" });
    assert.deepEqual((await tracking.getModelVersion(name, 2)).tags, { validated: "true" });
    assert.deepEqual((await tracking.getModelVersion(name, 1)).tags, {});
    await tracking.deleteRegisteredModelTag(name, "review");
    assert.deepEqual((await tracking.getRegisteredModel(name)).tags, { owner: "growth" });
  },

  "a version registered from models:/NAME/VERSION resolves to that version's files": async (backend) => {
    const { tracking, root } = backend;
    const { name, models } = await storeWithThreeVersions(backend);
    const copyName = backend.unique("scorecard-copy");
    const copy = await tracking.registerModel(copyName, `models:/${name}/2`);
    assert.equal(copy.source, `models:/${name}/2`);
    assert.equal(await bundleAt(backend, `models:/${copyName}/1`), '{"run":"XGBoost"}');
    if (root) assert.equal(copy.storageLocation, models[1].artifactLocation);
  },

  "registerModel takes the logged model id (or options with tags) as its fourth argument": async (backend) => {
    const { tracking } = backend;
    const { name, models } = await storeWithThreeVersions(backend);
    const runId = models[0].sourceRunId!;
    const version = await tracking.registerModel(name, `runs:/${runId}/model`, runId, models[0].modelId);
    // MLflow's SQL registry has no model id column: it derives the id from a `models:/m-...` source only.
    const kept = backend.kind === "file" ? models[0].modelId : null;
    assert.deepEqual([version.version, version.modelId, version.runId], [4, kept, runId]);
    const tagged = await tracking.registerModel(name, `models:/${models[1].modelId}`, null, {
      modelId: models[1].modelId,
      tags: { candidate: "gbt" },
    });
    assert.deepEqual([tagged.version, tagged.modelId], [5, models[1].modelId]);
    assert.deepEqual((await tracking.getModelVersion(name, 5)).tags, { candidate: "gbt" });
    // MLflow 3's rule: `runs:/RUN/NAME` names the run's logged model NAME when the run has no artifact folder NAME.
    assert.equal(await bundleAt(backend, `models:/${name}/4`), '{"run":"LogisticRegression"}');
  },
});

// File store only: createRegisteredModel / createModelVersion are the file client's own calls (bench, registerModel).
Deno.test("file store: a taken name and an unknown registered model are clear errors", async () => {
  const { client } = await temporaryClient();
  await client.createRegisteredModel("scorecard");
  await assert.rejects(client.createRegisteredModel("scorecard"), /already exists/);
  await assert.rejects(client.createModelVersion("nobody", "runs:/abc/model"), /registered model 'nobody' not found/);
  const version = await client.createModelVersion("scorecard", "runs:/0123456789abcdef0123456789abcdef/model");
  assert.deepEqual([version.version, version.runId, version.storageLocation], [
    1,
    "0123456789abcdef0123456789abcdef",
    "runs:/0123456789abcdef0123456789abcdef/model",
  ]);
});
