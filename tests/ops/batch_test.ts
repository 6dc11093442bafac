import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { DataError } from "../../src/data/errors.ts";
import { tableFromFrame } from "../../src/data/frame.ts";
import { loadTransactions } from "../../src/data/transactions.ts";
import { writeTable } from "../../src/data/write_table.ts";
import { buildFeatures } from "../../src/features/build.ts";
import { runBatch } from "../../src/ops/batch.ts";
import { plainRunner, type StepRunner } from "../../src/flow/step_runner.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { opsFixture } from "./helpers.ts";

const REASONS = 3;

/** What scoring the whole table in memory gives, in the batch output's columns. */
function inMemory(scorer: Scorer, features: pl.DataFrame) {
  const scores = scorer.scoreTable(tableFromFrame(features, scorer.features), { reasons: REASONS });
  return {
    customer_id: features.getColumn("customer_id").toArray().map(Number),
    probability: Array.from(scores.probability),
    score: Array.from(scores.points),
    decision: Array.from(scores.decision, (d) => (d === 1 ? "convert" : "no_convert")),
    reasons: Array.from({ length: REASONS }, (_, k) =>
      Array.from({ length: scores.probability.length }, (_, i) => {
        const field = scores.reasons!.field[i * scores.reasons!.slots + k];
        return field >= 0 ? scorer.features[field] : null;
      })),
  };
}

function columns(frame: pl.DataFrame) {
  return {
    customer_id: frame.getColumn("customer_id").toArray().map(Number),
    probability: frame.getColumn("probability").toArray() as number[],
    score: frame.getColumn("score").toArray() as number[],
    decision: frame.getColumn("decision").toArray() as string[],
    reasons: Array.from(
      { length: REASONS },
      (_, k) => frame.getColumn(`reason_${k + 1}`).toArray() as (string | null)[],
    ),
  };
}

Deno.test("chunked scoring of a feature table equals scoring it in memory, for CSV and Parquet in and out", async () => {
  const fixture = await opsFixture();
  const expected = inMemory(new Scorer(fixture.bundle), fixture.features);
  for (const [input, output] of [[fixture.featuresParquet, "parquet"], [fixture.featuresCsv, "csv"]]) {
    const out = `${fixture.dir}/chunked-${output}/scores.${output}`;
    const result = await runBatch(
      { model: fixture.bundlePath, data: input, out, chunkSize: 64, reasons: REASONS },
      plainRunner,
    );
    assert.equal(result.rowsIn, fixture.features.height);
    assert.equal(result.rowsOut, fixture.features.height);
    assert.equal(result.rejected, 0);
    assert.equal(result.chunks, Math.ceil(fixture.features.height / 64));
    const frame = output === "csv" ? pl.readCSV(out) : pl.readParquet(out);
    assert.deepEqual(frame.columns, [
      "customer_id",
      "probability",
      "score",
      "decision",
      "baseline_score",
      "reason_1",
      "reason_1_points",
      "reason_2",
      "reason_2_points",
      "reason_3",
      "reason_3_points",
    ]);
    const got = columns(frame);
    assert.deepEqual(got.customer_id, expected.customer_id);
    assert.deepEqual(got.decision, expected.decision);
    assert.deepEqual(got.reasons, expected.reasons);
    // Parquet keeps every bit; CSV prints shortest round-trip decimals, which read back exactly too.
    assert.deepEqual(got.probability, expected.probability);
    assert.deepEqual(got.score, expected.score);
    assert.equal(pl.readCSV(result.rejects!).height, 0);
  }
});

Deno.test("rows that cannot be scored go to the rejects file with their reason; the rest score as usual", async () => {
  const fixture = await opsFixture();
  const text = fixture.features.select(
    ...fixture.features.columns.map((name) => pl.col(name).cast(pl.Utf8)),
  );
  const rows = text.height;
  const bad = new Map<number, { column: string; value: string | null; reason: string }>([
    [2, { column: "monetary", value: "abc", reason: 'column "monetary": not a number (value: "abc")' }],
    [5, {
      column: "recent_purchases",
      value: "-3",
      reason: 'column "recent_purchases": a count cannot be negative (value: "-3")',
    }],
    [9, { column: "customer_id", value: null, reason: 'column "customer_id": missing id (value: "")' }],
    [13, { column: "recency_days", value: "inf", reason: 'column "recency_days": not a number (value: "inf")' }],
  ]);
  // `frequency` is not a feature of this model (selection dropped it): a bad value there only reads as missing.
  assert.ok(!new Scorer(fixture.bundle).features.includes("frequency"));
  let broken = text;
  for (const [index, { column, value }] of [...bad, [7, { column: "frequency", value: "lots" }] as const]) {
    broken = broken.withColumns(
      pl.when(pl.intRange(0, rows).eq(index)).then(pl.lit(value).cast(pl.Utf8)).otherwise(pl.col(column)).alias(column),
    );
  }
  const data = `${fixture.dir}/broken.csv`;
  writeTable(broken, data);
  const out = `${fixture.dir}/broken/scores.csv`;
  const result = await runBatch({ model: fixture.bundlePath, data, out, chunkSize: 5 }, plainRunner);
  assert.equal(result.rowsIn, rows);
  assert.equal(result.rejected, bad.size);
  assert.equal(result.rowsOut + result.rejected, result.rowsIn);

  const rejects = pl.readCSV(result.rejects!, { inferSchemaLength: 0 });
  assert.deepEqual(rejects.columns, ["row", "id", "column", "value", "reason"]);
  assert.deepEqual(rejects.getColumn("row").toArray().map(Number), [...bad.keys()].map((i) => i + 1));
  assert.deepEqual(rejects.getColumn("column").toArray(), [...bad.values()].map((b) => b.column));
  assert.deepEqual(rejects.getColumn("reason").toArray(), [...bad.values()].map((b) => b.reason));
  const ids = text.getColumn("customer_id").toArray();
  assert.deepEqual(rejects.getColumn("id").toArray(), [...bad.keys()].map((i) => (i === 9 ? null : ids[i])));

  const kept = fixture.features.filter(pl.intRange(0, rows).isIn([...bad.keys()]).not());
  const expected = inMemory(new Scorer(fixture.bundle), kept);
  const got = columns(pl.readCSV(out));
  assert.deepEqual(got.customer_id, expected.customer_id);
  assert.deepEqual(got.probability, expected.probability);
  assert.equal(result.drift.rows, result.rowsOut);
});

Deno.test("CSV rows with more or fewer fields than the header go to the rejects file with their line; the rest score", async () => {
  const fixture = await opsFixture();
  const [header, ...lines] = Deno.readTextFileSync(fixture.featuresCsv).trimEnd().split("\n");
  const width = header.split(",").length;
  // Row 4 gets an extra field, row 11 loses its last one (lines 5 and 12 of the file); the chunks are 5 rows.
  lines[3] = `${lines[3]},999`;
  lines[10] = lines[10].split(",").slice(0, -1).join(",");
  const data = `${fixture.dir}/ragged.csv`;
  Deno.writeTextFileSync(data, `${header}\n${lines.join("\n")}\n`);
  const out = `${fixture.dir}/ragged/scores.csv`;
  const result = await runBatch({ model: fixture.bundlePath, data, out, chunkSize: 5 }, plainRunner);
  assert.equal(result.rowsIn, lines.length);
  assert.equal(result.rejected, 2);
  assert.equal(result.rowsOut, lines.length - 2);
  assert.ok(
    result.input.notices.includes(
      `2 row(s) have more or fewer fields than the header (first: row 4, line 5: the row has ${
        width + 1
      } fields, the header has ${width}); they go to the rejects file`,
    ),
    result.input.notices.join("\n"),
  );
  const rejects = pl.readCSV(result.rejects!, { inferSchemaLength: 0 });
  const ids = fixture.features.getColumn("customer_id").toArray().map(String);
  assert.deepEqual(rejects.toRecords(), [
    {
      row: "4",
      id: ids[3],
      column: "",
      value: "",
      reason: `line 5: the row has ${width + 1} fields, the header has ${width}`,
    },
    {
      row: "11",
      id: ids[10],
      column: "",
      value: "",
      reason: `line 12: the row has ${width - 1} fields, the header has ${width}`,
    },
  ]);
  const kept = fixture.features.filter(pl.intRange(0, lines.length).isIn([3, 10]).not());
  const got = columns(pl.readCSV(out));
  assert.deepEqual(got.customer_id, inMemory(new Scorer(fixture.bundle), kept).customer_id);
  assert.deepEqual(got.probability, inMemory(new Scorer(fixture.bundle), kept).probability);
});

Deno.test("hostile batch inputs fail with a DataError naming the file; a ragged log names its line", async () => {
  const fixture = await opsFixture();
  const model = fixture.bundlePath;
  const write = (name: string, content: string | Uint8Array) => {
    const path = `${fixture.dir}/hostile-${name}`;
    if (typeof content === "string") Deno.writeTextFileSync(path, content);
    else Deno.writeFileSync(path, content);
    return path;
  };
  const [logHeader, ...logLines] = Deno.readTextFileSync(fixture.logCsv).trimEnd().split("\n");
  logLines[6] = `${logLines[6]},extra`;
  // A feature table whose second row ends in a Latin-1 byte (é).
  const firstRows = Deno.readTextFileSync(fixture.featuresCsv).split("\n").slice(0, 3).join("\n");
  const cases: [string, string | Uint8Array, string][] = [
    ["junk.csv", Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256), "line 1: the header is not UTF-8"],
    ["nul.csv", Uint8Array.from([0x61, 0, 0x62, 0x0a, 0x31, 0x0a]), "line 1: the header holds NUL bytes"],
    ["twice.csv", "customer_id,customer_id\n1,2\n", 'line 1, column "customer_id": the header names this column twice'],
    ["log.csv", `${logHeader}\n${logLines.join("\n")}\n`, "line 8, row 7: the row has 10 fields, the header has 9"],
    ["junk.parquet", "PAR1 not really", "cannot read as PARQUET: "],
    ["latin1.csv", Uint8Array.from([...new TextEncoder().encode(firstRows), 0xe9, 0x0a]), "is not UTF-8 text"],
  ];
  for (const [name, content, message] of cases) {
    const data = write(name, content);
    await assert.rejects(
      runBatch({ model, data, out: `${fixture.dir}/hostile-out/${name}.csv` }, plainRunner),
      (error: Error) => {
        assert.ok(error instanceof DataError, `${name}: ${error}`);
        assert.ok(error.message.startsWith(`${data}: `), error.message);
        assert.ok(error.message.includes(message), `${name}: ${error.message}`);
        return true;
      },
    );
  }
});

Deno.test("a transaction log is scored per customer with the model's feature definition as of the cutoff", async () => {
  const fixture = await opsFixture();
  const definition = fixture.bundle.definition;
  assert.equal(definition.kind, "transactions");
  const scorer = new Scorer(fixture.bundle);
  const log = loadTransactions(fixture.logCsv).frame;
  const lastDay = new Date(Number(log.getColumn("purchase_datetime").max())).toISOString().slice(0, 10);

  const byDefault = await runBatch(
    { model: fixture.bundlePath, data: fixture.logCsv, out: `${fixture.dir}/log/default.parquet`, chunkSize: 50 },
    plainRunner,
  );
  assert.equal(byDefault.input.kind, "log");
  assert.equal(byDefault.input.cutoff, lastDay);

  const cutoff = new Date(`${definition.kind === "transactions" ? definition.cutoff : ""}T00:00:00Z`);
  const out = `${fixture.dir}/log/at-cutoff.parquet`;
  const result = await runBatch(
    { model: fixture.bundlePath, data: fixture.logCsv, out, cutoff, chunkSize: 50 },
    plainRunner,
  );
  const names = definition.kind === "transactions" ? definition.features.map((f) => f.name) : [];
  const features = buildFeatures(log, { cutoff: new Date(cutoff.getTime() + 86_400_000 - 1), features: names }).frame;
  assert.equal(result.rowsIn, features.height);
  assert.equal(result.rowsOut, features.height);
  const expected = inMemory(scorer, features);
  const got = columns(pl.readParquet(out));
  assert.deepEqual(got.customer_id, expected.customer_id);
  assert.deepEqual(got.probability, expected.probability);
  assert.deepEqual(got.reasons, expected.reasons);
  // Scored as of the training cutoff, the training customers' features match their training ranges closely.
  assert.ok(result.drift.features.every((f) => f.psi !== null && f.psi < 0.1), JSON.stringify(result.drift.features));
});

Deno.test("bad inputs fail with one clear DataError naming the file", async () => {
  const fixture = await opsFixture();
  const model = fixture.bundlePath;
  const other = `${fixture.dir}/other.csv`;
  writeTable(pl.DataFrame({ a: [1, 2], b: ["x", "y"] }), other);
  await assert.rejects(
    runBatch({ model, data: other, out: `${fixture.dir}/x.csv` }, plainRunner),
    (error: Error) =>
      error instanceof DataError && error.message.startsWith(`${other}: the file has neither the model's feature`),
  );
  await assert.rejects(
    runBatch({ model, data: `${fixture.dir}/missing.parquet`, out: `${fixture.dir}/x.csv` }, plainRunner),
    (error: Error) => error instanceof DataError && error.message === `${fixture.dir}/missing.parquet: file not found`,
  );
  await assert.rejects(
    runBatch({ model, data: fixture.featuresCsv, out: `${fixture.dir}/x.csv`, cutoff: new Date() }, plainRunner),
    /--cutoff applies to transaction logs/,
  );
  await assert.rejects(
    runBatch({ model, data: fixture.featuresCsv, out: `${fixture.dir}/x.csv`, idColumn: "nope" }, plainRunner),
    /id column "nope" is not in the file/,
  );
});

Deno.test("a run that fails midway leaves no output, rejects or temporary files", async () => {
  const fixture = await opsFixture();
  const dir = `${fixture.dir}/failing`;
  let chunks = 0;
  const failing: StepRunner = {
    async run(step, input) {
      if (step.name === "score-chunk" && ++chunks === 3) throw new Error("disk on fire");
      return await step.run(input);
    },
  };
  await assert.rejects(
    runBatch(
      { model: fixture.bundlePath, data: fixture.featuresParquet, out: `${dir}/s.parquet`, chunkSize: 10 },
      failing,
    ),
    /disk on fire/,
  );
  assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), []);
});

Deno.test("a run that fails at its drift report publishes nothing: the previous scores, rejects and report stay a set", async () => {
  const fixture = await opsFixture();
  const dir = `${fixture.dir}/set`;
  const out = `${dir}/scores.csv`;
  const first = `${dir}/first.csv`;
  writeTable(fixture.features.head(40), first);
  await runBatch({ model: fixture.bundlePath, data: first, out, chunkSize: 16 }, plainRunner);
  const before = Object.fromEntries(
    ["scores.csv", "scores.rejects.csv", "scores.drift.json", "scores.drift.html"].map((name) => [
      name,
      Deno.readTextFileSync(`${dir}/${name}`),
    ]),
  );
  const failingReport: StepRunner = {
    async run(step, input) {
      if (step.name === "drift-report") throw new Error("disk full");
      return await step.run(input);
    },
  };
  await assert.rejects(
    runBatch({ model: fixture.bundlePath, data: fixture.featuresCsv, out, chunkSize: 16 }, failingReport),
    /disk full/,
  );
  for (const [name, text] of Object.entries(before)) assert.equal(Deno.readTextFileSync(`${dir}/${name}`), text, name);
  assert.equal(pl.readCSV(out).height, 40);
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((entry) => entry.name).sort(),
    [
      "first.csv",
      ...Object.keys(before),
    ].sort(),
  );
});
