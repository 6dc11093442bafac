/** The `runs:mlflow` and `models` commands, run as the tasks run them. */
import assert from "node:assert/strict";
import { runDeno, SEED_ROOT, temporaryClient } from "./helpers.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-ffi", "--allow-sys", "--allow-env", "--allow-net"];
const runsCli = (args: string[], env?: Record<string, string>) =>
  runDeno(["run", ...PERMISSIONS, "src/cli/runs_mlflow.ts", ...args], env);
const modelsCli = (args: string[], env?: Record<string, string>) =>
  runDeno(["run", ...PERMISSIONS, "src/cli/models.ts", ...args], env);

Deno.test("runs:mlflow prints the seed's runs, children under parents, with params and metrics", async () => {
  const { code, stdout, stderr } = await runsCli(["--tracking-uri", `file:${SEED_ROOT}`]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /experiment "Customer_Conversion_Scorecard" \(195242121511690317\): 42 runs/);
  const lines = stdout.split("\n");
  const parent = lines.findIndex((line) => line.startsWith("140e7daa  Manual-Run-202512171021"));
  assert.ok(parent > 0);
  assert.match(lines[parent + 1], /^bbf50bee {4}└ XGBoost .* max_depth=4 model_type=XGBoost .* auc=0\.9536/);
  assert.match(lines[parent + 2], /^c7055288 {4}└ LogisticRegression .* C=1\.0 .* auc=0\.9651 precision=0\.7879/);
  assert.equal(lines.filter((line) => /^[0-9a-f]{8} {2}/.test(line)).length, 42);
});

Deno.test("runs:mlflow filters and orders; the store can come from MLFLOW_TRACKING_URI", async () => {
  const { code, stdout } = await runsCli(
    ["--filter", "params.model_type = 'XGBoost'", "--order-by", "attributes.start_time ASC", "--max", "2"],
    { MLFLOW_TRACKING_URI: SEED_ROOT },
  );
  assert.equal(code, 0);
  assert.match(stdout, /: 2 runs matching params\.model_type = 'XGBoost'/);
  const rows = stdout.split("\n").filter((line) => /^[0-9a-f]{8} {2}/.test(line));
  assert.deepEqual(rows.map((row) => row.slice(0, 8)), ["3eff31eb", "a15292cd"]);
});

Deno.test("runs:mlflow shows --max runs, says when more exist, and --max all lists every run", async () => {
  const some = await runsCli(["--tracking-uri", SEED_ROOT, "--max", "5"]);
  assert.equal(some.code, 0, some.stderr);
  assert.match(some.stdout, /: 5 runs \(more exist: --max N or --max all to list them\)/);
  assert.equal(some.stdout.split("\n").filter((line) => /^[0-9a-f]{8} {2}/.test(line)).length, 5);
  const every = await runsCli(["--tracking-uri", SEED_ROOT, "--max", "all"]);
  assert.equal(every.code, 0, every.stderr);
  assert.match(every.stdout, /: 42 runs\n/);
  assert.equal(every.stdout.split("\n").filter((line) => /^[0-9a-f]{8} {2}/.test(line)).length, 42);
});

Deno.test("runs:mlflow and models fail with one clear line on bad input", async () => {
  const cases: [Promise<{ code: number; stderr: string }>, RegExp][] = [
    [runsCli(["--tracking-uri", "sqlite:///mlflow.db"]), /^error: unsupported tracking URI "sqlite:\/\/\/mlflow\.db"/],
    [runsCli(["--tracking-uri", "/no/such/mlruns"]), /^error: no MLflow store at \/no\/such\/mlruns/],
    [runsCli(["--tracking-uri", SEED_ROOT, "--experiment", "Nope"]), /^error: no experiment named "Nope"/],
    [runsCli(["--tracking-uri", SEED_ROOT, "--filter", "metrics.auc > 0.8 or x"]), /OR is not supported/],
    [runsCli(["--tracking-uri", SEED_ROOT, "--max", "ten"]), /^error: --max must be a whole number/],
    [modelsCli(["--tracking-uri", SEED_ROOT, "--name", "nope"]), /^error: no registered model "nope"/],
    [
      modelsCli(["--tracking-uri", "http://127.0.0.1:9"], { MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" }),
      /^error: MLflow server POST \/api\/2\.0\/mlflow\/experiments\/search: UNAVAILABLE: .*\(http:\/\/127\.0\.0\.1:9\)\n$/,
    ],
  ];
  for (const [pending, message] of cases) {
    const { code, stderr } = await pending;
    assert.equal(code, 1);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n {4}at /, "no stack trace");
  }
});

Deno.test("models prints versions, stages, aliases and the source run of each version", async () => {
  const seed = await modelsCli(["--tracking-uri", SEED_ROOT]);
  assert.equal(seed.code, 0, seed.stderr);
  assert.match(seed.stdout, /customer_conversion_model: 3 versions, no aliases/);
  assert.match(
    seed.stdout,
    /\n1 +Production +READY +- +2025-12-17 03:20 +runs:\/b4c5673dfb08434395aff693048edb4d\/model_logistic +b4c5673d LogisticRegression\n/,
  );

  const { client, root } = await temporaryClient();
  const experimentId = await client.createExperiment("Scorecard");
  const { info } = await client.createRun({ experimentId, runName: "XGBoost" });
  const model = await client.logModel({ runId: info.runId, name: "model_xgb", bundle: { content: "{}" } });
  await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
  await client.registerModel("scorecard", `models:/${model.modelId}`, info.runId);
  await client.setAlias("scorecard", "champion", 2);
  await client.setAlias("scorecard", "challenger", 1);
  const ours = await modelsCli(["--tracking-uri", root]);
  assert.equal(ours.code, 0, ours.stderr);
  assert.match(ours.stdout, /scorecard: 2 versions, aliases (champion=2, challenger=1|challenger=1, champion=2)/);
  assert.match(ours.stdout, new RegExp(`\\n2 +None +READY +champion .* ${info.runId.slice(0, 8)} XGBoost\\n`));
});
