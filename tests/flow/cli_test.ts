import assert from "node:assert/strict";
import { flow } from "../../src/flow/flow.ts";
import { ResultCache } from "../../src/flow/cache.ts";
import { task } from "../../src/flow/task.ts";
import { testRun } from "./helpers.ts";

async function cli(script: string, args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `src/cli/${script}.ts`, ...args],
  }).output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

async function twoRuns() {
  const opts = await testRun();
  const load = task((n: number) => Array.from({ length: n }, (_, i) => i), { name: "load", cache: {} });
  const sum = task((xs: number[]) => xs.reduce((a, b) => a + b, 0), { name: "sum", cache: {} });
  const f = flow(async (n: number) => await sum(await load(n)), { name: "cli-demo" });
  const first = await f.run(4, opts);
  opts.clock.advance(3_600_000);
  const second = await f.run(5, opts);
  return { opts, first, second };
}

Deno.test("cli runs: lists runs, shows one by id prefix, writes the SVG graph", async () => {
  const { opts, first, second } = await twoRuns();
  const list = await cli("runs", ["--dir", opts.recordsDir]);
  assert.equal(list.code, 0, list.err);
  const rows = list.out.trim().split("\n");
  assert.equal(rows.length, 3);
  assert.ok(rows[1].startsWith(second.id) && rows[2].startsWith(first.id));

  const svg = `${opts.dir}/graph.svg`;
  const show = await cli("runs", ["show", first.id.slice(0, 18), "--dir", opts.recordsDir, "--svg", svg, "--logs"]);
  assert.equal(show.code, 0, show.err);
  assert.match(show.out, new RegExp(`flow run ${first.id}  'cli-demo'  Completed`));
  assert.match(show.out, /load-\w+\s+Completed\s+1\s+1\s+\S+ ms\s+miss/);
  assert.match(show.out, /Beginning flow run/);
  assert.ok((await Deno.readTextFile(svg)).includes("cli-demo"));
});

Deno.test("cli runs: an unknown id exits 1 with one line", async () => {
  const { opts } = await twoRuns();
  const result = await cli("runs", ["show", "nope", "--dir", opts.recordsDir]);
  assert.equal(result.code, 1);
  assert.equal(result.err.trim(), `runs: no flow run "nope" in ${opts.recordsDir}/`);
});

Deno.test("cli cache: lists entries, clears by task and age", async () => {
  const { opts } = await twoRuns();
  const list = await cli("cache", ["list", "--dir", opts.cacheDir]);
  assert.equal(list.code, 0, list.err);
  assert.equal(list.out.split("\n").filter((l) => /^[0-9a-f]{16}\s/.test(l)).length, 4);
  assert.match(list.out, /4 entries, \d+ B in /);
  const byTask = await cli("cache", ["clear", "--task", "sum", "--dir", opts.cacheDir]);
  assert.match(byTask.out, /^removed 2 entries/);
  const old = await cli("cache", ["clear", "--older-than", "1d", "--dir", opts.cacheDir]);
  assert.match(old.out, /^removed 2 entries/, "virtual-clock entries from 2026-01-01 are older than a day");
  assert.match((await cli("cache", ["--dir", opts.cacheDir])).out, /^no cache entries/);
  const bad = await cli("cache", ["clear", "--older-than", "soon", "--dir", opts.cacheDir]);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim(), 'cache: invalid duration "soon" (use e.g. 90s, 30m, 12h, 7d)');
});

Deno.test("cli cache: evicts least recently used entries down to a size", async () => {
  const { opts } = await twoRuns();
  const sizes = (await new ResultCache(opts.cacheDir).list()).map((e) => e.bytes);
  const keepNewest = sizes[0] + sizes[1];
  const evicted = await cli("cache", ["evict", "--max-size", String(keepNewest), "--dir", opts.cacheDir]);
  assert.equal(evicted.code, 0, evicted.err);
  assert.match(evicted.out, /^evicted 2 entries/);
  assert.deepEqual((await new ResultCache(opts.cacheDir).list()).map((e) => e.bytes), sizes.slice(0, 2));
  const missing = await cli("cache", ["evict", "--dir", opts.cacheDir]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^cache: evict needs --max-size/);
});
