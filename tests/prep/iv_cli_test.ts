import assert from "node:assert/strict";
import { makeTestDir } from "../temp_dir.ts";

async function iv(...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/iv.ts", ...args],
    env: { NO_COLOR: "1" },
  }).output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

const SEED = "../shared/data/seed/features.csv";

Deno.test("iv --json --method seed prints the seed's IVs, sorted, with bin tables", async () => {
  const { code, stdout } = await iv(
    "--data",
    SEED,
    "--target",
    "label",
    "--method",
    "seed",
    "--json",
    "--exclude",
    "customer_id,first_purchase",
  );
  assert.equal(code, 0);
  const result = JSON.parse(stdout);
  assert.equal(result.rows, 1000);
  assert.equal(result.positives, 339);
  const byFeature = Object.fromEntries(result.features.map((f: { feature: string; iv: number }) => [f.feature, f]));
  assert.ok(Math.abs(byFeature.recency_days.iv - 1.715742870277) < 1e-9);
  assert.deepEqual(result.features.map((f: { feature: string }) => f.feature).slice(0, 3), [
    "frequency",
    "monetary",
    "recency_days",
  ]);
  assert.equal(byFeature.frequency.bins.length, 6);
  assert.deepEqual(Object.keys(byFeature.frequency.bins[0]).slice(0, 6), [
    "label",
    "count",
    "events",
    "eventRate",
    "woe",
    "iv",
  ]);
});

Deno.test("iv text output has the IV table then each feature's bins", async () => {
  const { code, stdout } = await iv(
    "--data",
    SEED,
    "--target",
    "label",
    "--bins",
    "4",
    "--exclude",
    "customer_id,first_purchase",
  );
  assert.equal(code, 0);
  const lines = stdout.split("\n");
  assert.match(lines[0], /^IV of 7 features .* event "1" \(339 of 1000 rows\); method monotonic, 4 bins$/);
  assert.match(lines[2], /^frequency\s+\d+\.\d{4}\s+suspicious\s+[1-4]$/);
  assert.ok(lines.some((line) => /^frequency \(numeric, IV/.test(line)));
});

Deno.test("iv maps text labels and asks for --positive when ambiguous; errors are one line, exit 1", async () => {
  const dir = await makeTestDir();
  const file = `${dir}/t.csv`;
  await Deno.writeTextFile(file, "x,outcome\n1,Good\n2,Bad\n3,Good\n4,Bad\n");
  const ambiguous = await iv("--data", file, "--target", "outcome");
  assert.equal(ambiguous.code, 1);
  assert.equal(
    ambiguous.stderr.trim(),
    `error: ${file}: column "outcome": cannot tell which target label is the event: found Good, Bad; name it with --positive LABEL`,
  );
  const named = await iv("--data", file, "--target", "outcome", "--positive", "bad", "--json");
  assert.equal(named.code, 0);
  assert.equal(JSON.parse(named.stdout).positives, 2);
  await Deno.writeTextFile(file, "x,outcome\n1,YES\n2,no\n");
  assert.equal(JSON.parse((await iv("--data", file, "--target", "outcome", "--json")).stdout).positive, "YES");
  for (
    const args of [["--data", "missing.csv", "--target", "y"], [
      "--data",
      SEED,
      "--target",
      "label",
      "--method",
      "tree",
    ], ["--data", SEED]]
  ) {
    const { code, stderr } = await iv(...args);
    assert.equal(code, 1);
    assert.match(stderr, /^error: /);
    assert.ok(!stderr.includes("    at "), "no stack trace");
  }
  await Deno.remove(dir, { recursive: true });
});
