import assert from "node:assert/strict";

Deno.test("train CLI: bad input prints one error line, exits 1 and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/train.ts", "--mode", "plain", "--data", `${dir}/nope.csv`, "--out", `${dir}/out`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr).trim().split("\n");
  assert.equal(output.code, 1);
  assert.equal(stderr.at(-1), `error: ${dir}/nope.csv: file not found`);
  assert.ok(!stderr.some((line) => line.includes("    at ")), "no stack trace");
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  const usage = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/train.ts", "--mode", "plain", "--folds", "many"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(usage.code, 1);
  assert.match(new TextDecoder().decode(usage.stderr), /--folds must be a whole number, got "many"/);
});
