import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { flow, FlowRunError } from "../../src/flow/flow.ts";
import { type FlowRunRecord } from "../../src/flow/record.ts";
import { task } from "../../src/flow/task.ts";
import { renderRunGraph, STATE_COLORS } from "../../src/flow/graph.ts";
import { formatRunDetail, formatRunList } from "../../src/flow/report.ts";
import { formatBytes, formatDuration, parseDuration, parseSize } from "../../src/flow/units.ts";
import { testRun } from "./helpers.ts";

/** A run with a cache hit, a retried task, a failure and a NotRun downstream. */
async function sampleRecords() {
  const opts = await testRun();
  let flaky = 0;
  const load = task((n: number) => ({ rows: n }), { name: "load", cache: {} });
  const retried = task((d: { rows: number }) => {
    if (++flaky < 3) throw new Error(`flaky ${flaky}`);
    return { score: d.rows };
  }, { name: "retried", retries: 2, retryDelayMs: [30, 60] });
  const broken = task((_: { rows: number }): number => {
    throw new Error("no space left");
  }, { name: "broken" });
  const after = task((n: number) => n, { name: "after" });
  const f = flow(async (n: number) => {
    flaky = 0;
    const data = await load(n);
    await retried(data);
    const failed = broken.submit(data);
    return await after(failed);
  }, { name: "sample" });
  await f.run(3, opts).catch(() => {});
  const error = await f.run(3, opts).then(() => undefined, (e) => e as FlowRunError);
  return { opts, record: error!.record };
}

function count(svg: string, selector: string): number {
  const { document } = parseHTML(`<html><body>${svg}</body></html>`) as unknown as {
    document: { querySelectorAll(s: string): { length: number } };
  };
  return document.querySelectorAll(selector).length;
}

Deno.test("report: the task table shows states, attempts with waits, cache and upstream names", async () => {
  const { record } = await sampleRecords();
  const text = formatRunDetail(record);
  const line = (task: string) => text.split("\n").find((l) => l.startsWith(`${task}-`))!;
  assert.match(line("load"), /Cached\s+1\s+0\s+\S+ ms\s+hit/);
  assert.match(line("retried"), /Completed\s+1\s+3 \(waits 30\+60 ms\)/);
  assert.match(line("broken"), /Failed\s+1\s+1 .*load-/);
  assert.match(line("after"), /NotRun\s+1\s+0 .*broken-/);
  assert.match(text, /retried-\w+ attempt 1 Failed: flaky 1 \(retried after 30 ms\)/);
  assert.match(text, /broken-\w+ Failed: Error: no space left/);
  assert.match(text, /^flow run \S+ {2}'sample' {2}Failed/);
});

Deno.test("report: the run list is newest first", async () => {
  const { opts } = await sampleRecords();
  const { listRunRecords } = await import("../../src/flow/record.ts");
  const runs = await listRunRecords(opts.recordsDir);
  assert.equal(runs.length, 2);
  const lines = formatRunList(runs).split("\n");
  assert.match(lines[0], /^ID\s+FLOW\s+STATE/);
  assert.ok(lines[1].startsWith(runs[0].id) && lines[2].startsWith(runs[1].id));
  assert.equal(formatRunList([]), "no flow runs");
});

Deno.test("graph: bars per attempt and wait, arrows per edge, markers for retries and cache hits", async () => {
  const { record } = await sampleRecords();
  const svg = renderRunGraph(record);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  // load (1 piece), retried (3 attempts + 2 waits), broken (1), after (1)
  assert.equal(count(svg, 'g[aria-label="bar"] rect'), 1 + 5 + 1 + 1);
  const edges = record.taskRuns.reduce((sum, t) => sum + t.upstream.length, 0);
  assert.equal(edges, 3);
  assert.equal(count(svg, 'g[aria-label="arrow"] path'), edges);
  assert.equal(count(svg, 'g[aria-label="dot"] path'), 2);
  assert.equal(count(svg, 'g[aria-label="dot"] circle'), 1);
  for (const state of ["Cached", "Completed", "Failed", "NotRun"] as const) {
    assert.ok(svg.includes(`fill="${STATE_COLORS[state]}"`), `${state} colour missing`);
  }
  assert.ok(svg.includes(`${record.taskRuns.length} task runs`));
});

Deno.test("graph: a run without task runs still renders", () => {
  const record: FlowRunRecord = {
    formatVersion: 1,
    id: "20260101-000000-abcdef",
    name: "<empty>",
    parameters: null,
    state: "Completed",
    start: "2026-01-01T00:00:00.000Z",
    end: "2026-01-01T00:00:01.000Z",
    durationMs: 1000,
    attempts: [],
    taskRuns: [],
    logs: [],
    settings: { cacheDir: ".cache/flow" },
  };
  const svg = renderRunGraph(record);
  assert.ok(svg.includes("no task runs") && svg.includes("&#60;empty&#62;"));
});

Deno.test("units: parse and format durations and sizes", () => {
  assert.equal(parseDuration("7d"), 7 * 86_400_000);
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("250"), 250);
  assert.throws(() => parseDuration("soon"), { name: "RangeError", message: /invalid duration "soon"/ });
  assert.equal(parseSize("500MB"), 500e6);
  assert.equal(parseSize("2KiB"), 2048);
  assert.throws(() => parseSize("-3"), { name: "RangeError", message: /invalid size "-3"/ });
  assert.equal(formatBytes(1_500_000), "1.5 MB");
  assert.equal(formatDuration(12_300), "12.3 s");
  assert.equal(formatDuration(undefined), "-");
});
