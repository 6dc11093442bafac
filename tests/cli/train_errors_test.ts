/**
 * Bad data stops `train:plain`, `train:flow` and `train` the same way: one
 * error line naming file, column, row and value, exit code 1, no stack, and
 * no retry of an error that would fail the same way again (issue 13.5).
 */
import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("train CLI: a bad value prints the same one line in plain, flow and tracked mode, without retrying", async () => {
  const dir = await makeTestDir({ prefix: "train-errors-" });
  const data = `${dir}/bad.csv`;
  await Deno.writeTextFile(data, "customer_id,purchase_datetime,amount\n1,2020-01-01,12.5\n2,2020-01-02,abc\n");
  const expected = `error: ${data}: column "amount", row 2: not a number (value: "abc")`;
  for (const mode of ["plain", "flow", "tracked"]) {
    const { code, stderr } = await runCli("src/cli/train.ts", [
      "--mode",
      mode,
      "--data",
      data,
      "--out",
      `${dir}/out-${mode}`,
      "--tracking-uri",
      `file:${dir}/mlruns`,
    ], { cwd: dir });
    const lines = stderr.trim().split("\n");
    assert.equal(code, 1, `${mode}: exit code`);
    assert.equal(lines.at(-1), expected, `${mode}: last line`);
    assert.deepEqual(lines.filter((line) => line.startsWith("error:")), [expected], `${mode}: one error line`);
    assert.ok(!lines.some((line) => /^\s+at /.test(line) || line.includes("FlowRunError")), `${mode}: no stack`);
    assert.ok(!lines.some((line) => /retrying|Attempt \d/.test(line)), `${mode}: the data error was retried`);
    assert.ok(!(await exists(`${dir}/out-${mode}`)), `${mode}: nothing written to --out`);
  }
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
