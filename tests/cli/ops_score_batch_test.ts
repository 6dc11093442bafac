import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { writeTable } from "../../src/data/write_table.ts";
import { opsFixture } from "../ops/helpers.ts";
import { runCli } from "./run_cli.ts";
import { existsSync } from "node:fs";
import { makeTestDir } from "../temp_dir.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs the CLI in `cwd` (its flow records land there). */
const scoreBatch = (cwd: string, ...args: string[]) => runCli("src/cli/score_batch.ts", args, { cwd });

Deno.test("score:batch scores a file as a flow, sets bad rows aside and reports drift", async () => {
  const fixture = await opsFixture();
  const cwd = await makeTestDir({ prefix: "ops-cli-" });
  const data = `${cwd}/customers.csv`;
  const text = fixture.features.select(...fixture.features.columns.map((name) => pl.col(name).cast(pl.Utf8)));
  writeTable(
    text.withColumns(
      pl.when(pl.intRange(0, text.height).eq(3)).then(pl.lit("twelve")).otherwise(pl.col("recency_days")).alias(
        "recency_days",
      ),
    ),
    data,
  );
  const rows = text.height;
  const run = await scoreBatch(
    cwd,
    "--model",
    fixture.bundlePath,
    "--data",
    data,
    "--out",
    "out/scores.parquet",
    "--chunk-size",
    "100",
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^score PSI \d+\.\d{4} \((stable|warning|alert)\) over \d+ rows/m);
  assert.match(run.stdout, /^recency_days\s+numeric\s+\d\.\d{4}/m);
  assert.match(
    run.stdout,
    new RegExp(`^${rows} rows in: ${rows - 1} scored to out/scores.parquet, 1 rejected to out/scores.rejects.csv`, "m"),
  );
  assert.equal(pl.readParquet(`${cwd}/out/scores.parquet`).height, rows - 1);
  const rejects = pl.readCSV(`${cwd}/out/scores.rejects.csv`);
  assert.deepEqual(rejects.getColumn("row").toArray(), [4]);
  assert.deepEqual(rejects.getColumn("reason").toArray(), ['column "recency_days": not a number (value: "twelve")']);
  const drift = JSON.parse(Deno.readTextFileSync(`${cwd}/out/scores.drift.json`));
  assert.equal(drift.rows, rows - 1);
  assert.ok(Deno.readTextFileSync(`${cwd}/out/scores.drift.html`).includes("<svg"));
  assert.equal([...Deno.readDirSync(`${cwd}/flowruns`)].filter((entry) => entry.name.endsWith(".json")).length, 1);
});

Deno.test("score:batch fails with one clear line on bad flags and bad input", async () => {
  const fixture = await opsFixture();
  const cwd = await makeTestDir({ prefix: "ops-cli-" });
  const noData = await scoreBatch(cwd, "--out", "x.csv");
  assert.equal(noData.code, 1);
  assert.equal(noData.stderr.trim(), "error: --data is required");
  const badChunk = await scoreBatch(cwd, "--data", "x.csv", "--out", "y.csv", "--chunk-size", "0");
  assert.equal(badChunk.code, 1);
  assert.equal(badChunk.stderr.trim(), "error: --chunk-size must be at least 1");
  const missing = await scoreBatch(cwd, "--model", fixture.bundlePath, "--data", "nowhere.csv", "--out", "s.csv");
  assert.equal(missing.code, 1);
  const lines = missing.stderr.trim().split("\n");
  assert.match(lines.at(-2)!, /^flow run \S+ failed; record: flowruns\/\S+\.json$/);
  assert.equal(lines.at(-1), "error: nowhere.csv: file not found");
  assert.doesNotMatch(missing.stderr, /^\s+at /m);
  assert.equal([...Deno.readDirSync(cwd)].some((entry) => entry.name.startsWith("s.")), false);
});

Deno.test("a score:batch killed with SIGKILL leaves its temporaries; the next run removes them and publishes a full set", async () => {
  const fixture = await opsFixture();
  const cwd = await makeTestDir({ prefix: "ops-cli-kill-" });
  const outDir = `${cwd}/out`;
  const args = ["--model", fixture.bundlePath, "--data", fixture.featuresCsv, "--out", "out/scores.csv", "--no-cache"];
  // One row per chunk: hundreds of flow tasks, so the run is still writing when it is killed.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, `${ROOT}src/cli/score_batch.ts`, ...args, "--chunk-size", "1"],
    cwd,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const temporaries = () => {
    try {
      return [...Deno.readDirSync(outDir)].map((entry) => entry.name).filter((name) => name.includes(".tmp-"));
    } catch {
      return [];
    }
  };
  const deadline = Date.now() + 60_000;
  while (temporaries().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");
  const left = temporaries();
  assert.deepEqual(left.map((name) => name.replace(/tmp-\d+-.*$/, "tmp")).sort(), [
    ".scores.csv.tmp",
    ".scores.rejects.csv.tmp",
  ]);
  assert.ok(left.every((name) => name.includes(`.tmp-${child.pid}-`)), left.join(", "));
  assert.ok(!existsSync(`${outDir}/scores.csv`));

  const rerun = await scoreBatch(cwd, ...args, "--chunk-size", "100");
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual([...Deno.readDirSync(outDir)].map((entry) => entry.name).sort(), [
    "scores.csv",
    "scores.drift.html",
    "scores.drift.json",
    "scores.rejects.csv",
  ]);
  assert.equal(pl.readCSV(`${outDir}/scores.csv`).height, fixture.features.height);
});
