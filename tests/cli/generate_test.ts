import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { makeTestDir } from "../temp_dir.ts";

const run = (...args: string[]) => runCli("src/cli/generate.ts", args);

Deno.test("generate CLI writes the log and fails with one clear line on bad flags", async () => {
  const dir = await makeTestDir();
  const ok = await run("--customers", "20", "--transactions", "150", "--seed", "4", "--out", `${dir}/tx.csv`);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /wrote 150 transactions of \d+ customers/);
  assert.equal(Deno.readTextFileSync(`${dir}/tx.csv`).trim().split("\n").length, 151);
  const bad = await run("--customers", "many", "--out", `${dir}/x.csv`);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim(), 'error: --customers must be a whole number, got "many"');
  const unknown = await run("--cusomers", "5");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Unknown option '--cusomers'/);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["tx.csv"]);
});
