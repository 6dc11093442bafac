import assert from "node:assert/strict";
import type { Run, RunStatus, ViewType } from "../../src/tracking/entities.ts";
import { ParsedFileCache, SETTLE_MS } from "../../src/tracking/file_cache.ts";
import { searchStoreRuns } from "../../src/tracking/run_search.ts";
import { filterRuns, parseColumn, projectRun, sortRuns } from "../../src/tracking/search.ts";
import { createStoreContext } from "../../src/tracking/store_context.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { temporaryClient } from "./helpers.ts";

/** Mulberry32: a small seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: RunStatus[] = ["FINISHED", "FAILED", "KILLED", "RUNNING"];
const FAMILIES = ["linear", "trees", "scorecard"];

/** 60 runs (parents with nested runs), keys present or missing at random, multi-step histories, some deleted. */
async function generatedStore() {
  const { client, root } = await temporaryClient();
  const next = random(17);
  const experimentId = await client.createExperiment("lazy");
  const parents: string[] = [];
  for (let index = 0; index < 60; index++) {
    const parentRunId = index % 4 === 0 || parents.length === 0
      ? undefined
      : parents[Math.floor(next() * parents.length)];
    const run = await client.createRun({
      experimentId,
      runName: `run-${index % 7}`,
      parentRunId,
      startTime: 1_000 + Math.floor(next() * 50) * 10,
    });
    const runId = run.info.runId;
    if (parentRunId === undefined) parents.push(runId);
    for (let step = 0; step < 1 + Math.floor(next() * 3); step++) {
      if (next() < 0.8) await client.logMetric(runId, "auc", Math.round(next() * 100) / 100, { step });
    }
    if (next() < 0.7) await client.logMetric(runId, "loss", Math.round(next() * 10) / 10);
    if (next() < 0.8) await client.logParams(runId, { family: FAMILIES[Math.floor(next() * 3)] });
    if (next() < 0.6) await client.setTag(runId, "team", next() < 0.5 ? "Growth" : "risk");
    const status = STATUSES[Math.floor(next() * STATUSES.length)];
    if (status !== "RUNNING") await client.setTerminated(runId, status, 5_000 + index);
    if (next() < 0.1) {
      const meta = `${root}/${experimentId}/${runId}/meta.yaml`;
      await Deno.writeTextFile(
        meta,
        (await Deno.readTextFile(meta)).replace("lifecycle_stage: active", "lifecycle_stage: deleted"),
      );
    }
  }
  return { client, root, experimentId, next };
}

function randomFilter(next: () => number, runs: readonly Run[]): string {
  const clauses = [
    () => `metrics.auc ${[">", ">=", "<", "<=", "=", "!="][Math.floor(next() * 6)]} ${Math.round(next() * 100) / 100}`,
    () => `metrics.loss < ${Math.round(next() * 10) / 10}`,
    () => `params.family ${next() < 0.5 ? "=" : "!="} '${FAMILIES[Math.floor(next() * 3)]}'`,
    () => `tags.team ${next() < 0.5 ? "LIKE 'G%'" : "ILIKE 'g%'"}`,
    () => `attributes.status = '${STATUSES[Math.floor(next() * STATUSES.length)]}'`,
    () => `attributes.start_time >= ${1_000 + Math.floor(next() * 50) * 10}`,
    () => `tags.mlflow.parentRunId = '${runs[Math.floor(next() * runs.length)].info.runId}'`,
    () =>
      `attributes.run_id IN (${
        Array.from({ length: 8 }, () => `'${runs[Math.floor(next() * runs.length)].info.runId}'`).join(", ")
      })`,
    () => `attributes.run_name = 'run-${Math.floor(next() * 7)}'`,
    () => "metrics.`never logged` > 0",
  ];
  return Array.from({ length: Math.floor(next() * 3) }, () => clauses[Math.floor(next() * clauses.length)]())
    .join(" and ");
}

function randomOrder(next: () => number): string[] {
  const keys = [
    "metrics.auc",
    "metrics.loss",
    "params.family",
    "tags.team",
    "attributes.run_name",
    "attributes.end_time",
  ];
  return Array.from(
    { length: Math.floor(next() * 3) },
    () => `${keys[Math.floor(next() * keys.length)]} ${next() < 0.5 ? "ASC" : "DESC"}`,
  );
}

Deno.test("lazy search: the same runs, order and data as filtering and sorting full reads, on 100 random searches", async () => {
  const { client, root, experimentId, next } = await generatedStore();
  const context = createStoreContext(root);
  const listing = await Deno.readDir(`${root}/${experimentId}`);
  const everyRun: Run[] = [];
  for await (const entry of listing) {
    if (/^[0-9a-f]{32}$/.test(entry.name)) everyRun.push(await client.getRun(entry.name));
  }
  assert.equal(everyRun.length, 60);
  const views: ViewType[] = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"];
  for (let search = 0; search < 100; search++) {
    const filter = randomFilter(next, everyRun);
    const orderBy = randomOrder(next);
    const maxResults = 1 + Math.floor(next() * 70);
    const viewType = views[Math.floor(next() * 3)];
    const inView = everyRun.filter((run) =>
      viewType === "ALL" || (run.info.lifecycleStage === "active") === (viewType === "ACTIVE_ONLY")
    );
    const expected = sortRuns(filterRuns(inView, filter), orderBy).slice(0, maxResults);
    const options = { experimentIds: [experimentId], filter, orderBy, maxResults, viewType };
    const label = JSON.stringify(options);
    const found = await client.searchRuns(options);
    assert.deepEqual(found.problems, [], label);
    assert.deepEqual(found.items, expected, label);
    const columns = ["metrics.auc", "tags.mlflow.parentRunId"];
    const projected = await searchStoreRuns(context, new ParsedFileCache(), { ...options, columns });
    assert.deepEqual(
      projected.items,
      expected.map((run) => ({ ...projectRun(run, columns.map(parseColumn)), outputs: { modelOutputs: [] } })),
      label,
    );
  }
});

Deno.test("search cache: a settled file is kept, and logMetric, setTag, setTerminated and another writer are seen at once", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("cache");
  const run = await client.createRun({ experimentId, runName: "cached" });
  const runId = run.info.runId;
  await client.logMetric(runId, "auc", 0.5);
  await client.setTag(runId, "team", "risk");
  // A clock an hour ahead makes every file count as settled, so everything read is kept.
  const cache = new ParsedFileCache(() => Date.now() + 3_600_000);
  const context = createStoreContext(root);
  const search = async () =>
    (await searchStoreRuns(context, cache, {
      experimentIds: [experimentId],
      columns: ["metrics.auc", "tags.team"],
      filter: "metrics.auc >= 0",
    })).items[0];
  assert.deepEqual((await search()).data, { metrics: { auc: 0.5 }, params: {}, tags: { team: "risk" } });
  assert.equal(cache.size, 4, "the experiment's run folders, meta.yaml, metrics/auc and tags/team are kept");

  await client.logMetric(runId, "auc", 0.75, { step: 1 });
  assert.equal((await search()).data.metrics.auc, 0.75);
  await client.setTag(runId, "team", "growth");
  assert.equal((await search()).data.tags.team, "growth");
  assert.equal((await search()).info.status, "RUNNING");
  await client.setTerminated(runId, "FAILED", 42);
  assert.deepEqual([(await search()).info.status, (await search()).info.endTime], ["FAILED", 42]);

  const other = new TrackingClient({ trackingUri: `file:${root}` });
  await other.logMetric(runId, "auc", 0.9, { step: 2 });
  assert.equal((await search()).data.metrics.auc, 0.9);
  // MLflow's Python writer rewrites a tag file in place rather than renaming a new one over it.
  await Deno.writeTextFile(`${root}/${experimentId}/${runId}/tags/team`, "pricing");
  assert.equal((await search()).data.tags.team, "pricing");
  await Deno.remove(`${root}/${experimentId}/${runId}/tags/team`);
  assert.deepEqual((await search()).data.tags, {});
  const second = await client.createRun({ experimentId, startTime: 1 });
  await client.logMetric(second.info.runId, "auc", 0.1);
  const both = await searchStoreRuns(context, cache, { experimentIds: [experimentId], columns: [] });
  assert.deepEqual(both.items.map((run) => run.info.runId), [runId, second.info.runId]);
});

Deno.test("search cache: files changed within the settle time are read again every time, never kept", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("fresh");
  const run = await client.createRun({ experimentId });
  await client.logMetric(run.info.runId, "auc", 0.5);
  const cache = new ParsedFileCache();
  const options = { experimentIds: [experimentId], orderBy: ["metrics.auc DESC"] };
  assert.equal((await searchStoreRuns(createStoreContext(root), cache, options)).items.length, 1);
  assert.equal(cache.size, 0);
  assert.ok(SETTLE_MS >= 1_000, "ctime has one-second resolution in Deno");
});

Deno.test("lazy search: a returned row whose full read fails is reported and replaced by the next run", async () => {
  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("broken");
  const ids: string[] = [];
  for (let index = 0; index < 3; index++) {
    const run = await client.createRun({ experimentId, startTime: 100 + index });
    await client.logMetric(run.info.runId, "auc", index / 10);
    ids.push(run.info.runId);
  }
  const broken = `${root}/${experimentId}/${ids[2]}/metrics/loss`;
  await Deno.writeTextFile(broken, "not a metric line\n");
  const { items, problems } = await client.searchRuns({ experimentIds: [experimentId], maxResults: 2 });
  assert.deepEqual(items.map((run) => run.info.runId), [ids[1], ids[0]]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].path, broken);
  const sorted = await client.searchRuns({ experimentIds: [experimentId], orderBy: ["metrics.auc DESC"], columns: [] });
  assert.equal(sorted.items.length, 3, "a search that does not read metrics/loss does not trip over it");
});
