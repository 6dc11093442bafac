/**
 * Batch scoring throughput: 1,000,000 feature rows scored to Parquet by the
 * batch flow (the path `deno task score:batch` takes: chunked read,
 * validation, scoring, writing, drift counts, run record), with and without
 * reason codes, for a gradient-boosted model and a logistic one, and with a
 * CSV input; plus the transaction-log path (1,000,000 transactions to
 * per-customer scores).
 *
 * Reason codes are exact contributions computed with the prediction (closed
 * form for the logistic model, compiled baseline Shapley values for trees),
 * measured on the same 1,000,000 rows. Before the cases, the in-process cost
 * of the scorer alone on 200,000 rows, without and with 3 reason codes,
 * alternating passes (best of 3 each), gives the reasons' cost ratio.
 *
 * Each case runs in its own process, so that its peak resident memory
 * (VmHWM) is its own; 200,000, 1,000,000 and 3,000,000 rows show that it
 * hardly grows with the batch size.
 *
 * Run: `deno task bench batch` (or `deno run -A bench/batch.bench.ts`).
 *
 * @module
 */
import pl from "nodejs-polars";
import { generateTransactions } from "../src/data/generate.ts";
import { writeTable } from "../src/data/write_table.ts";
import { buildFeatures } from "../src/features/build.ts";
import { scoreBatch } from "../src/ops/batch_flow.ts";
import { readBundle } from "../src/bundle/bundle.ts";
import { Scorer } from "../src/bundle/scorer.ts";
import { tableFromFrame } from "../src/data/frame.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../src/pipeline/options.ts";
import { train } from "../src/pipeline/train.ts";

const ROWS = 1_000_000;
const SMALL_ROWS = 200_000;

interface Case {
  readonly name: string;
  readonly model: string;
  readonly data: string;
  readonly out: string;
  readonly reasons: number;
  readonly chunkSize?: number;
  readonly dir: string;
}

if (Deno.args[0] === "--case") {
  const spec: Case = JSON.parse(Deno.args[1]);
  const run = await scoreBatch({
    model: spec.model,
    data: spec.data,
    out: spec.out,
    reasons: spec.reasons,
    ...(spec.chunkSize === undefined ? {} : { chunkSize: spec.chunkSize }),
  }, { cache: false, flow: { recordsDir: `${spec.dir}/flowruns`, cacheDir: `${spec.dir}/cache` } });
  const peak = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))?.[1];
  console.log(JSON.stringify({ rows: run.rowsIn, scored: run.rowsOut, seconds: run.seconds, peakKb: Number(peak) }));
  Deno.exit(0);
}

const dir = await Deno.makeTempDir({ prefix: "batch-bench-" });
const setupStart = performance.now();
const models: Record<string, string> = {};
for (const candidate of ["gbt", "logistic"]) {
  const summary = await train(
    { ...DEFAULT_TRAIN_OPTIONS, candidates: [candidate], out: `${dir}/${candidate}` },
    "plain",
  );
  models[candidate] = summary.bundle;
}
const bundle = readBundle(models.gbt);
if (bundle.definition.kind !== "transactions") throw new Error("expected a transaction model");
const log = generateTransactions({ customers: 100_000, transactions: 1_000_000, seed: 11 });
writeTable(log, `${dir}/tx.parquet`);
const features = buildFeatures(log, {
  cutoff: new Date(Date.parse(bundle.definition.cutoff) + 86_400_000 - 1),
  features: bundle.definition.features.map((f) => f.name),
}).frame;
// A million customers: the 100,000 real feature rows resampled, with fresh ids.
const million = features.sample({ n: ROWS, withReplacement: true, seed: 3 })
  .withColumns(pl.intRange(1, ROWS + 1).alias("customer_id"));
writeTable(million, `${dir}/features.parquet`);
writeTable(million, `${dir}/features.csv`);
writeTable(million.head(SMALL_ROWS), `${dir}/features_200k.parquet`);
writeTable(
  pl.concat([million, million, million]).withColumns(pl.intRange(1, 3 * ROWS + 1).alias("customer_id")),
  `${dir}/features_3m.parquet`,
);
console.log(
  `setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s: models ${Object.keys(models).join(", ")}; ` +
    `${ROWS} feature rows (${features.height} distinct customers resampled); ${log.height} transactions`,
);

const cases: Case[] = [
  { name: "gbt, parquet -> parquet, no reasons", model: models.gbt, data: "features.parquet", reasons: 0 },
  { name: "gbt, same, one 1M-row chunk", model: models.gbt, data: "features.parquet", reasons: 0, chunkSize: ROWS },
  { name: "gbt, 3M rows (memory stays flat)", model: models.gbt, data: "features_3m.parquet", reasons: 0 },
  { name: "gbt, 200k rows (memory stays flat)", model: models.gbt, data: "features_200k.parquet", reasons: 0 },
  { name: "gbt, csv -> csv, no reasons", model: models.gbt, data: "features.csv", out: "scores.csv", reasons: 0 },
  { name: "logistic, parquet -> parquet, no reasons", model: models.logistic, data: "features.parquet", reasons: 0 },
  { name: "gbt, parquet -> parquet, 3 reason codes", model: models.gbt, data: "features.parquet", reasons: 3 },
  { name: "logistic, parquet -> parquet, 3 reasons", model: models.logistic, data: "features.parquet", reasons: 3 },
  { name: "gbt, transaction log -> parquet, 3 reasons", model: models.gbt, data: "tx.parquet", reasons: 3 },
].map((c) => ({ ...c, data: `${dir}/${c.data}`, out: `${dir}/out/${c.out ?? "scores.parquet"}`, dir }));

for (const [name, path] of Object.entries(models)) {
  const scorer = new Scorer(readBundle(path));
  const table = tableFromFrame(million.head(SMALL_ROWS), scorer.features);
  const best = { without: Infinity, with: Infinity };
  for (let pass = 0; pass < 4; pass++) {
    for (const key of ["without", "with"] as const) {
      const start = performance.now();
      scorer.scoreTable(table, { reasons: key === "with" ? 3 : 0 });
      if (pass > 0) best[key] = Math.min(best[key], performance.now() - start);
    }
  }
  const rate = (ms: number) => Math.round(SMALL_ROWS / (ms / 1000)).toLocaleString("en-US");
  console.log(
    `in-process Scorer.scoreTable, ${name}, ${SMALL_ROWS} rows: ${rate(best.without)} rows/s without reasons, ` +
      `${rate(best.with)} rows/s with 3 (cost ${(best.with / best.without).toFixed(2)}×)`,
  );
}

console.log("case                                          rows       seconds  rows/s     peak RSS");
for (const spec of cases) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--case", JSON.stringify(spec)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  if (output.code !== 0) throw new Error(`${spec.name}: exit code ${output.code}`);
  const { rows, scored, seconds, peakKb } = JSON.parse(text);
  if (scored !== rows) throw new Error(`${spec.name}: ${rows} rows in, ${scored} scored`);
  console.log(
    `${spec.name.padEnd(45)} ${String(rows).padStart(9)}  ${seconds.toFixed(2).padStart(7)}  ` +
      `${Math.round(rows / seconds).toLocaleString("en-US").padStart(9)}  ${
        (peakKb / 1024).toFixed(0).padStart(5)
      } MiB`,
  );
}
await Deno.remove(dir, { recursive: true });
