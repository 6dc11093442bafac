import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { writeTable } from "../../src/data/write_table.ts";
import { opsFixture } from "../ops/helpers.ts";
import { runCli } from "./run_cli.ts";

const drift = (...args: string[]) => runCli("src/cli/drift.ts", args);

Deno.test("drift reports a stable batch and exits 2 on a shifted one with --fail-on", async () => {
  const fixture = await opsFixture();
  const out = `${fixture.dir}/drift-cli`;
  const stable = await drift("--model", fixture.bundlePath, "--data", fixture.featuresParquet, "--out", `${out}/a`);
  assert.equal(stable.code, 0, stable.stderr);
  assert.match(stable.stdout, /^recency_days\s+numeric\s+0\.0\d{3}\s+stable/m);
  assert.ok(Deno.statSync(`${out}/a/drift_report.json`).isFile);
  assert.ok(Deno.readTextFileSync(`${out}/a/drift_report.html`).startsWith("<!doctype html>"));

  // Everyone's last purchase moved back 200 days: recency drifts, and the scores with it.
  const shifted = `${out}/shifted.parquet`;
  writeTable(fixture.features.withColumns(pl.col("recency_days").add(200)), shifted);
  const alert = await drift(
    "--model",
    fixture.bundlePath,
    "--data",
    shifted,
    "--out",
    `${out}/b`,
    "--fail-on",
    "alert",
  );
  assert.equal(alert.code, 2, alert.stderr);
  assert.match(alert.stdout, /^recency_days\s+numeric\s+\d+\.\d{4}\s+ALERT/m);
  assert.match(alert.stdout, /^verdict: alert$/m);
  const report = JSON.parse(Deno.readTextFileSync(`${out}/b/drift_report.json`));
  const recency = report.features.find((f: { name: string }) => f.name === "recency_days");
  assert.ok(recency.aboveMax > 0);

  const bad = await drift("--data", shifted, "--fail-on", "stable");
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'error: --fail-on must be warning or alert, got "stable"');
});
