import assert from "node:assert/strict";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { temporaryClient, TEST_TIME } from "./helpers.ts";

async function storeWithThreeVersions() {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const versions = [];
  const models = [];
  for (const name of ["LogisticRegression", "XGBoost", "LogisticRegression"]) {
    const { info } = await client.createRun({ experimentId, runName: name });
    const model = await client.logModel({ runId: info.runId, name: "model", bundle: { content: `{"run":"${name}"}` } });
    models.push(model);
    versions.push(await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId));
  }
  return { client, root, versions, models };
}

Deno.test("versions: numbered 1..n, with source, storage location, run and model ids", async () => {
  const { client, root, versions, models } = await storeWithThreeVersions();
  assert.deepEqual(versions.map((version) => version.version), [1, 2, 3]);
  const first = await client.getModelVersion("scorecard", 1);
  assert.deepEqual(first, {
    name: "scorecard",
    version: 1,
    creationTimestamp: TEST_TIME,
    lastUpdatedTimestamp: TEST_TIME,
    currentStage: "None",
    description: null,
    userId: null,
    source: `models:/${models[0].modelId}`,
    storageLocation: models[0].artifactLocation,
    runId: models[0].sourceRunId,
    runLink: null,
    modelId: models[0].modelId,
    status: "READY",
    statusMessage: null,
    tags: {},
    aliases: [],
  });
  assert.equal(
    await Deno.readTextFile(`${root}/models/scorecard/meta.yaml`),
    `aliases: {}\ncreation_timestamp: ${TEST_TIME}\ndeployment_job_id: null\ndeployment_job_state: null\n` +
      `description: null\nlast_updated_timestamp: ${TEST_TIME}\nname: scorecard\n`,
  );
  await assert.rejects(client.createRegisteredModel("scorecard"), /already exists/);
  await assert.rejects(
    client.getModelVersion("scorecard", 9),
    (error) => isTrackingError(error, "RESOURCE_DOES_NOT_EXIST"),
  );
  await assert.rejects(client.createModelVersion("nobody", "runs:/abc/model"), /registered model 'nobody' not found/);
});

Deno.test("aliases: set, get, move, delete; stored as bare version numbers", async () => {
  const { client, root } = await storeWithThreeVersions();
  await client.setAlias("scorecard", "champion", 1);
  await client.setAlias("scorecard", "challenger", "3");
  assert.equal(await Deno.readTextFile(`${root}/models/scorecard/aliases/champion`), "1");
  assert.equal((await client.getModelVersionByAlias("scorecard", "champion")).version, 1);
  assert.deepEqual((await client.getModelVersion("scorecard", 3)).aliases, ["challenger"]);
  assert.deepEqual((await client.getRegisteredModel("scorecard")).aliases, { champion: 1, challenger: 3 });
  assert.ok(
    (await Deno.readTextFile(`${root}/models/scorecard/meta.yaml`)).startsWith(
      "aliases:\n  challenger: '3'\n  champion: '1'\n",
    ),
  );
  await client.setAlias("scorecard", "champion", 3);
  assert.deepEqual((await client.getModelVersion("scorecard", 3)).aliases, ["challenger", "champion"]);
  await client.deleteAlias("scorecard", "challenger");
  await client.deleteAlias("scorecard", "challenger");
  await assert.rejects(client.getModelVersionByAlias("scorecard", "challenger"), /has no alias 'challenger'/);
  await assert.rejects(client.setAlias("scorecard", "latest", 1), /reserved/);
  await assert.rejects(client.setAlias("scorecard", "gold", 7), /not found/);
  assert.equal(
    await client.resolveLocalPath("models:/scorecard@champion"),
    await client.resolveLocalPath("models:/scorecard/3"),
  );
});

Deno.test("compareAndSetAlias moves an alias only from the expected state, and tells which happened", async () => {
  const { client } = await storeWithThreeVersions();
  const champion = { alias: "champion", version: null };
  assert.equal(await client.compareAndSetAlias("scorecard", "champion", 1, champion), true);
  assert.equal(await client.compareAndSetAlias("scorecard", "champion", 2, champion), false, "v1 is champion now");
  assert.deepEqual((await client.getRegisteredModel("scorecard")).aliases, { champion: 1 });
  // A challenger decided against champion v2 must not land: the champion is v1.
  assert.equal(await client.compareAndSetAlias("scorecard", "challenger", 3, { alias: "champion", version: 2 }), false);
  assert.equal(await client.compareAndSetAlias("scorecard", "challenger", 3, { alias: "champion", version: 1 }), true);
  assert.equal(await client.compareAndSetAlias("scorecard", "champion", 2, { alias: "champion", version: 1 }), true);
  assert.deepEqual((await client.getRegisteredModel("scorecard")).aliases, { champion: 2, challenger: 3 });
  await assert.rejects(client.compareAndSetAlias("scorecard", "champion", 9, champion), /not found/);
});

Deno.test("legacy stages: transition, archive existing, latest per stage, stage URIs", async () => {
  const { client } = await storeWithThreeVersions();
  await client.transitionModelVersionStage("scorecard", 1, "production");
  await client.transitionModelVersionStage("scorecard", 2, "Staging");
  assert.deepEqual(
    (await client.getLatestVersions("scorecard")).map((version) => [version.currentStage, version.version]),
    [
      ["None", 3],
      ["Staging", 2],
      ["Production", 1],
    ],
  );
  await client.transitionModelVersionStage("scorecard", 3, "Production", { archiveExistingVersions: true });
  assert.equal((await client.getModelVersion("scorecard", 1)).currentStage, "Archived");
  assert.equal((await client.getLatestVersions("scorecard", ["production"]))[0].version, 3);
  assert.equal(
    await client.resolveLocalPath("models:/scorecard/Production"),
    await client.resolveLocalPath("models:/scorecard/3"),
  );
  await assert.rejects(client.transitionModelVersionStage("scorecard", 2, "Gold"), /invalid model stage/);
  await assert.rejects(
    client.transitionModelVersionStage("scorecard", 2, "Archived", { archiveExistingVersions: true }),
    /only Staging and Production/,
  );
});

Deno.test("tags and soft delete of versions", async () => {
  const { client, root } = await storeWithThreeVersions();
  await client.setRegisteredModelTag("scorecard", "owner", "growth");
  await client.setModelVersionTag("scorecard", 2, "validated", "true");
  assert.deepEqual((await client.getRegisteredModel("scorecard")).tags, { owner: "growth" });
  assert.deepEqual((await client.getModelVersion("scorecard", 2)).tags, { validated: "true" });
  await client.deleteModelVersionTag("scorecard", 2, "validated");
  assert.deepEqual((await client.getModelVersion("scorecard", 2)).tags, {});
  await client.setAlias("scorecard", "champion", 2);
  await client.deleteModelVersion("scorecard", 2);
  assert.match(
    await Deno.readTextFile(`${root}/models/scorecard/version-2/meta.yaml`),
    /current_stage: Deleted_Internal/,
  );
  assert.deepEqual((await client.listModelVersions("scorecard")).items.map((version) => version.version), [1, 3]);
  assert.deepEqual((await client.getRegisteredModel("scorecard")).aliases, {});
  const next = await client.createModelVersion("scorecard", "runs:/0123456789abcdef0123456789abcdef/model");
  assert.equal(next.version, 4);
  assert.equal(next.runId, "0123456789abcdef0123456789abcdef");
  assert.equal(next.storageLocation, "runs:/0123456789abcdef0123456789abcdef/model");
});

Deno.test("a version registered from models:/NAME/VERSION stores where that version lives", async () => {
  const { client, models } = await storeWithThreeVersions();
  const copy = await client.registerModel("scorecard-copy", "models:/scorecard/2");
  assert.equal(copy.storageLocation, models[1].artifactLocation);
  assert.equal(
    await client.resolveLocalPath("models:/scorecard-copy/1"),
    await client.resolveLocalPath("models:/scorecard/2"),
  );
});

Deno.test("createModelVersion takes the logged model id as its fourth argument", async () => {
  const { client, models } = await storeWithThreeVersions();
  const version = await client.createModelVersion(
    "scorecard",
    `runs:/${models[0].sourceRunId}/model`,
    models[0].sourceRunId,
    models[0].modelId,
  );
  assert.equal(version.version, 4);
  assert.equal(version.modelId, models[0].modelId);
  assert.equal(version.storageLocation, `runs:/${models[0].sourceRunId}/model`);
});
