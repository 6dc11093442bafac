/**
 * Champion/challenger promotion with outcomes fixed by the scenario: the
 * candidates' test AUCs on one dataset and split order the models, so which
 * version must hold which alias, and what each run prints and tags, follows
 * from each run's own evaluation, not from the decision under test. Training
 * runs go through the real CLI (and, for the race, two real processes on one
 * store).
 */
import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { loadModel } from "../../src/bundle/load_model.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { DEFAULT_TRAIN_OPTIONS } from "../../src/pipeline/options.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { makeTestDir } from "../temp_dir.ts";

const MODEL = "customer_conversion_model";
const REPO = new URL("../../", import.meta.url).pathname;
/** Absolute: the CLI runs in a temporary folder. */
const SHOPPERS = Deno.realPathSync("../shared/data/real/online_shoppers_split.csv");
/** One small synthetic dataset and split for every run: the candidates differ, the test rows do not. */
const SYNTHETIC = ["--customers", "300", "--transactions", "2400", "--seed", "5", "--folds", "3"];

interface Outcome {
  readonly code: number;
  readonly stderr: string;
  readonly summary: { modelVersion: number; auc: number; runId: string };
}

/** `deno task train` in its own process, in `dir` (flow records, cache and output stay there). */
async function trainCli(dir: string, args: string[]): Promise<Outcome> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--config=${REPO}deno.json`,
      `${REPO}src/cli/train.ts`,
      "--mode=tracked",
      `--tracking-uri=file:${dir}/mlruns`,
      `--out=${dir}/out`,
      "--json",
      ...args,
    ],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout).trim().split("\n");
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return { code: output.code, stderr, summary: JSON.parse(stdout.at(-1)!) };
}

/** The promotion facts a user sees: the printed line, the parent run's tag and the version's tag. */
async function promotionRecord(client: TrackingClient, outcome: Outcome) {
  const version = outcome.summary.modelVersion;
  const printed = outcome.stderr.split("\n").find((line) => line.includes(`registered ${MODEL} v${version} as `));
  return {
    printed: printed?.replace(/^\[tracked\] /, ""),
    runTag: (await client.getRun(outcome.summary.runId)).data.tags.promotion,
    versionTag: (await client.getModelVersion(MODEL, version)).tags.promotion,
  };
}

function expectRecord(version: number, alias: string, reason: string) {
  return {
    printed: `registered ${MODEL} v${version} as ${alias}: ${reason}`,
    runTag: `${alias}: ${reason}`,
    versionTag: reason,
  };
}

async function aliases(client: TrackingClient): Promise<Record<string, number>> {
  return { ...(await client.getRegisteredModel(MODEL)).aliases };
}

Deno.test("promotion: a weak first champion, a stronger model takes the alias, a weaker one and a tie become challenger", async () => {
  const dir = await makeTestDir({ prefix: "promotion-test-" });
  const client = new TrackingClient({ trackingUri: `file:${dir}/mlruns` });
  const weak = await trainCli(dir, [...SYNTHETIC, "--candidates=ml-logistic-regression"]);
  const strong = await trainCli(dir, [...SYNTHETIC, "--candidates=gbt"]);
  const middle = await trainCli(dir, [...SYNTHETIC, "--candidates=logistic"]);
  const tie = await trainCli(dir, [...SYNTHETIC, "--candidates=gbt"]);
  const auc = (outcome: Outcome) => outcome.summary.auc.toFixed(4);
  // The scenario's premise, from each run's own evaluation on the shared test rows.
  assert.ok(weak.summary.auc < middle.summary.auc && middle.summary.auc < strong.summary.auc);
  assert.equal(tie.summary.auc, strong.summary.auc);
  assert.deepEqual([weak, strong, middle, tie].map((outcome) => outcome.summary.modelVersion), [1, 2, 3, 4]);
  const testRows = (await client.getRun(weak.summary.runId)).data.params.test_rows;

  assert.deepEqual(
    await promotionRecord(client, weak),
    expectRecord(1, "champion", `no champion yet; v1 test AUC ${auc(weak)}`),
  );
  assert.deepEqual(
    await promotionRecord(client, strong),
    expectRecord(
      2,
      "champion",
      `test AUC ${auc(strong)} > champion v1's ${auc(weak)} on the same ${testRows} test rows`,
    ),
  );
  assert.deepEqual(
    await promotionRecord(client, middle),
    expectRecord(
      3,
      "challenger",
      `test AUC ${auc(middle)} <= champion v2's ${auc(strong)} on the same ${testRows} test rows`,
    ),
  );
  assert.deepEqual(
    await promotionRecord(client, tie),
    expectRecord(
      4,
      "challenger",
      `test AUC ${auc(tie)} <= champion v2's ${auc(strong)} on the same ${testRows} test rows`,
    ),
  );
  assert.deepEqual(await aliases(client), { champion: 2, challenger: 4 });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("promotion: a model with another input schema is registered but never auto-promoted; --promote does it deliberately", async () => {
  const dir = await makeTestDir({ prefix: "promotion-schema-test-" });
  const client = new TrackingClient({ trackingUri: `file:${dir}/mlruns` });
  const synthetic = await trainCli(dir, [...SYNTHETIC, "--candidates=logistic"]);
  const shoppers = ["--data", SHOPPERS, "--target", "Revenue", "--split-column", "split", "--candidates=logistic"];
  const other = await trainCli(dir, shoppers);
  assert.equal(other.summary.modelVersion, 2);
  const champion = (await loadModel(`models:/${MODEL}/1`, `file:${dir}/mlruns`)).bundle;
  const challenger = (await loadModel(`models:/${MODEL}/2`, `file:${dir}/mlruns`)).bundle;
  const names = (bundle: typeof champion) => bundle.fields.map((field) => field.name);
  const lacking = names(champion).filter((name) => !names(challenger).includes(name));
  assert.ok(lacking.length > 0 && lacking.length === names(champion).length, "the two feature sets are disjoint");
  const record = await promotionRecord(client, other);
  assert.match(
    record.printed!,
    new RegExp(
      `^registered ${MODEL} v2 as challenger: champion v1 has another input schema \\(fields it lacks: ${
        lacking.slice(0, 4).join(", ")
      }`,
    ),
  );
  assert.match(
    record.printed!,
    /so v2 is not promoted automatically: re-run with --promote to make it champion deliberately, or train under another --model-name; kept$/,
  );
  assert.equal(record.runTag, `challenger: ${record.versionTag}`);
  assert.deepEqual(await aliases(client), { champion: 1, challenger: 2 });
  // The old champion cannot score the new rows: an error naming the fields, not all-missing rows.
  const shopperRows = {
    rows: 2,
    columns: Object.fromEntries(
      names(challenger).map((name) => [name, { kind: "numeric" as const, values: new Float64Array(2) }]),
    ),
  };
  assert.throws(() => new Scorer(champion).scoreTable(shopperRows, { reasons: 0 }), (error: Error) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, new RegExp(`the table lacks the model's field\\(s\\) .*${lacking[0]}`));
    return true;
  });

  const promoted = await trainCli(dir, [...shoppers, "--promote"]);
  assert.deepEqual(
    await promotionRecord(client, promoted),
    expectRecord(
      3,
      "champion",
      `promoted deliberately (--promote) over champion v1; test AUC ${promoted.summary.auc.toFixed(4)}`,
    ),
  );
  assert.deepEqual(await aliases(client), { champion: 3, challenger: 2 });
  assert.equal(synthetic.summary.modelVersion, 1);
  await Deno.remove(dir, { recursive: true });
});

/** Reads a child's stdout lines until `wanted`; the child keeps running. */
async function waitForLine(child: Deno.ChildProcess, wanted: string): Promise<void> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.split("\n").includes(wanted)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the worker ended before printing "${wanted}"`);
    text += decoder.decode(value);
  }
  reader.releaseLock();
}

async function workerOutput(child: Deno.ChildProcess) {
  const output = await child.output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  return { stderr, ...JSON.parse(lines.at(-1)!) };
}

Deno.test("promotion race: two processes decide against the same champion; the alias follows the better model and every record matches", async () => {
  const dir = await makeTestDir({ prefix: "promotion-race-test-" });
  const client = new TrackingClient({ trackingUri: `file:${dir}/mlruns` });
  const options = (candidate: string) =>
    JSON.stringify({
      ...DEFAULT_TRAIN_OPTIONS,
      customers: 300,
      transactions: 2400,
      seed: 5,
      folds: 3,
      candidates: [candidate],
      trackingUri: `file:${dir}/mlruns`,
      out: `${dir}/out-${candidate}`,
      dir,
    });
  const worker = (candidate: string, pauseFile?: string) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./workers/train_tracked.ts", import.meta.url).pathname,
        options(candidate),
        ...(pauseFile ? [pauseFile] : []),
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  const weak = await workerOutput(worker("ml-logistic-regression"));
  assert.equal(weak.version, 1);

  // The slow process reads champion v1 and stops before moving an alias; the fast one runs to the end meanwhile.
  const pauseFile = `${dir}/resume`;
  const slow = worker("logistic", pauseFile);
  await waitForLine(slow, "paused");
  const fast = await workerOutput(worker("gbt"));
  await Deno.writeTextFile(pauseFile, "");
  const late = await workerOutput(slow);

  assert.ok(weak.auc < late.auc && late.auc < fast.auc, `${weak.auc} < ${late.auc} < ${fast.auc}`);
  assert.deepEqual([late.version, fast.version], [2, 3]);
  assert.equal(fast.decision.alias, "champion");
  assert.equal(fast.decision.championVersion, 1);
  assert.equal(late.decision.alias, "challenger");
  assert.equal(late.decision.championVersion, 3, "the late process decided again against the new champion");
  assert.match(late.stderr, /the champion changed while v2 was being compared with v1; deciding again/);
  assert.deepEqual(await aliases(client), { champion: 3, challenger: 2 });
  for (const [version, decision] of [[3, fast.decision], [2, late.decision]] as const) {
    assert.equal((await client.getModelVersion(MODEL, version)).tags.promotion, decision.reason);
    assert.match(late.stderr + fast.stderr, new RegExp(`registered ${MODEL} v${version} as ${decision.alias}: `));
  }
  const parents = (await client.searchRuns({ filter: "tags.pipeline = 'tracked'" })).items;
  const runTags = parents.map((run) => run.data.tags.promotion).sort();
  assert.deepEqual(runTags, [weak, fast, late].map(({ decision }) => `${decision.alias}: ${decision.reason}`).sort());
  await Deno.remove(dir, { recursive: true });
});
