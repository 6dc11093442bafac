import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("train CLI: bad input prints one error line, exits 1 and writes nothing", async () => {
  const dir = await makeTestDir();
  const output = await runCli("src/cli/train.ts", [
    "--mode",
    "plain",
    "--data",
    `${dir}/nope.csv`,
    "--out",
    `${dir}/out`,
  ]);
  const stderr = output.stderr.trim().split("\n");
  assert.equal(output.code, 1);
  assert.equal(stderr.at(-1), `error: ${dir}/nope.csv: file not found`);
  assert.ok(!stderr.some((line) => line.includes("    at ")), "no stack trace");
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  const usage = await runCli("src/cli/train.ts", ["--mode", "plain", "--folds", "many"]);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /--folds must be a whole number, got "many"/);
});
