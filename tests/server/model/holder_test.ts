/**
 * Model loading and reloading: atomic swaps, failed loads that keep the old
 * model, reloads only when the target moved, one load at a time, polling, and
 * the registry alias as the target.
 */
import assert from "node:assert/strict";
import { type LoadedModel, loadModel } from "../../../src/bundle/load_model.ts";
import { createApp } from "../../../server/app.ts";
import { ModelHolder, type ModelLoader, probeTarget } from "../../../server/model/holder.ts";
import { MODEL_NAME, registerVersion, registryStore, serverFixture } from "../fixtures.ts";
import { makeTestFile } from "../../temp_dir.ts";

/** A loader over the fixture's bundle that reports versions from a counter and can be made to fail or wait. */
async function fakeRegistry() {
  const loaded = await loadModel((await serverFixture()).bundlePath);
  const state = { version: 1, fail: false, loads: 0, gate: undefined as Promise<void> | undefined };
  const load: ModelLoader = async () => {
    state.loads++;
    await state.gate;
    if (state.fail) throw new Error(`version ${state.version} is broken`);
    return { ...loaded, source: { ...loaded.source, name: "m", version: state.version } } satisfies LoadedModel;
  };
  const probe = () => Promise.resolve(`version:${state.version}`);
  return { state, load, probe };
}

Deno.test("ModelHolder.check reloads only when the target moved, and swaps the whole model at once", async () => {
  const { state, load, probe } = await fakeRegistry();
  const holder = new ModelHolder({ uri: "models:/m@champion", maxBatch: 10, load, probe });
  const first = await holder.load();
  assert.equal(first.version, 1);
  assert.equal((await holder.check()).status, "unchanged");
  assert.equal(state.loads, 1);
  state.version = 2;
  const outcome = await holder.check();
  assert.equal(outcome.status, "reloaded");
  assert.equal(holder.current?.version, 2);
  assert.equal(outcome.status === "reloaded" && outcome.previous, first);
  assert.equal(first.version, 1, "a request holding the old model still sees it whole");
  assert.notEqual(holder.current?.schemas, first.schemas);
  assert.deepEqual(holder.loads, { success: 2, failure: 0, refused: 0 });
});

Deno.test("ModelHolder keeps serving the old model when the new one fails, reports it, and recovers", async () => {
  const { state, load, probe } = await fakeRegistry();
  const logs: string[] = [];
  const holder = new ModelHolder({
    uri: "models:/m@champion",
    maxBatch: 10,
    load,
    probe,
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`),
    now: () => new Date("2025-01-02T03:04:05Z"),
  });
  const first = await holder.load();
  state.version = 2;
  state.fail = true;
  const failed = await holder.check();
  assert.equal(failed.status, "failed");
  assert.equal(holder.current, first);
  assert.deepEqual(holder.lastError, {
    uri: "models:/m@champion",
    message: "version 2 is broken",
    at: "2025-01-02T03:04:05.000Z",
  });
  assert.ok(logs.some((line) => line.startsWith("error model load failed") && line.includes('"serving_version":1')));
  state.fail = false;
  assert.equal((await holder.check()).status, "reloaded", "the failed target is tried again on the next check");
  assert.equal(holder.current?.version, 2);
  assert.equal(holder.lastError, undefined);
  assert.deepEqual(holder.loads, { success: 2, failure: 1, refused: 0 });
});

Deno.test("ModelHolder runs one load at a time: concurrent reloads queue behind each other", async () => {
  const { state, load, probe } = await fakeRegistry();
  const holder = new ModelHolder({ uri: "models:/m@champion", maxBatch: 10, load, probe });
  await holder.load();
  let open!: () => void;
  state.gate = new Promise((resolve) => open = resolve);
  let running = 0;
  let most = 0;
  const tracked: ModelLoader = async (uri) => {
    most = Math.max(most, ++running);
    try {
      return await load(uri);
    } finally {
      running--;
    }
  };
  const queued = new ModelHolder({ uri: "models:/m@champion", maxBatch: 10, load: tracked, probe });
  const all = [queued.reload(), queued.reload(), queued.check()];
  await Promise.resolve();
  open();
  const outcomes = await Promise.all(all);
  assert.equal(most, 1);
  assert.deepEqual(outcomes.map((o) => o.status), ["reloaded", "reloaded", "unchanged"]);
});

Deno.test("ModelHolder polls on an interval and stops when told", async () => {
  const { state, load } = await fakeRegistry();
  let probes = 0;
  let moved!: () => void;
  const twice = new Promise<void>((resolve) => moved = resolve);
  const probe = () => {
    if (++probes === 3) {
      state.version = 5;
      moved();
    }
    return Promise.resolve(`version:${state.version}`);
  };
  const holder = new ModelHolder({ uri: "models:/m@champion", maxBatch: 10, load, probe });
  await holder.load();
  holder.startPolling(2);
  await twice;
  while (holder.current?.version !== 5) await new Promise((resolve) => setTimeout(resolve, 2));
  holder.stopPolling();
  const after = probes;
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(probes, after, "no probe after stopPolling");
});

Deno.test("probeTarget follows a registry alias, a bundle file's changes, and treats fixed URIs as fixed", async () => {
  const { bundleText } = await serverFixture();
  const { trackingUri, client, uri } = await registryStore([bundleText]);
  assert.equal(await probeTarget(uri, trackingUri), "version:1");
  await client.setAlias(MODEL_NAME, "champion", await registerVersion(client, bundleText));
  assert.equal(await probeTarget(uri, trackingUri), "version:2");
  assert.equal(await probeTarget(`models:/${MODEL_NAME}/1`, trackingUri), "immutable");
  const file = await makeTestFile({ suffix: ".json" });
  await Deno.writeTextFile(file, "{}");
  const before = await probeTarget(file);
  await Deno.writeTextFile(file, "{ }");
  assert.notEqual(await probeTarget(file), before, "a rewritten bundle file is a new target");
});

Deno.test("ModelHolder on a real registry: loads the alias' version with its run id and follows the alias", async () => {
  const { bundleText } = await serverFixture();
  const { trackingUri, client, uri } = await registryStore([bundleText, bundleText]);
  const holder = new ModelHolder({ uri, trackingUri, maxBatch: 10 });
  const first = await holder.load();
  assert.equal(first.name, MODEL_NAME);
  assert.equal(first.version, 1);
  assert.equal(first.source.alias, "champion");
  assert.ok(first.source.runId);
  assert.equal((await holder.check()).status, "unchanged");
  await client.setAlias(MODEL_NAME, "champion", 2);
  assert.equal((await holder.check()).status, "reloaded");
  assert.equal(holder.current?.version, 2);
});

Deno.test("a model whose input schema breaks the serving model's clients is refused (logged, in /model and metrics) unless allowed", async () => {
  const { state, load: loadSame, probe } = await fakeRegistry();
  // From version 2 on, the registry serves a model trained on another feature set: one field renamed, one re-kinded.
  const load: ModelLoader = async (uri, tracking) => {
    const loaded = await loadSame(uri, tracking);
    if (state.version < 2) return loaded;
    const [renamed, rekinded, ...rest] = loaded.bundle.fields;
    const fields = [
      { ...renamed, name: "BounceRates" },
      { ...rekinded, kind: rekinded.kind === "numeric" ? "categorical" as const : "numeric" as const },
      ...rest,
    ];
    return { ...loaded, bundle: { ...loaded.bundle, fields } };
  };
  const logs: string[] = [];
  const holder = new ModelHolder({
    uri: "models:/m@champion",
    maxBatch: 10,
    load,
    probe,
    log: (level, message) => logs.push(`${level} ${message}`),
  });
  const first = await holder.load();
  const [renamed, rekinded] = first.bundle.fields;
  state.version = 2;
  const refused = await holder.check();
  assert.equal(refused.status, "failed");
  assert.equal(holder.current, first, "still serving version 1");
  assert.equal(
    holder.lastError?.message,
    `m version 2 has an input schema that breaks the clients of m version 1: field ${renamed.name} is gone; ` +
      `field ${rekinded.name} changes from ${rekinded.kind} to ${
        rekinded.kind === "numeric" ? "categorical" : "numeric"
      }; ` +
      "not swapped in (restart the server with --allow-schema-change to accept it)",
  );
  assert.ok(logs.includes("error model refused: incompatible input schema; still serving the previous model"));
  const loads = state.loads;
  assert.equal((await holder.check()).status, "unchanged", "the poll does not load a refused target again");
  assert.equal(state.loads, loads);
  assert.deepEqual(holder.loads, { success: 1, failure: 0, refused: 1 });
  const { app } = createApp({ holder, maxBatch: 10 });
  assert.match(
    (await (await app.request("/model")).json()).last_load_error.message,
    /breaks the clients of m version 1/,
  );
  assert.match(await (await app.request("/metrics")).text(), /^model_loads_total\{result="refused"\} 1$/m);

  const allowing = new ModelHolder({ uri: "models:/m@champion", maxBatch: 10, load, probe, allowSchemaChange: true });
  state.version = 1;
  await allowing.load();
  state.version = 2;
  assert.equal((await allowing.check()).status, "reloaded");
  assert.equal(allowing.current?.version, 2);
});
