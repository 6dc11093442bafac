/**
 * Code-change cache invalidation (issue 18.3): a trained candidate is cached
 * by its input and the code fingerprint, so editing a helper module the
 * candidates call (not the task's own source) must be a cache miss on the
 * next `train:flow`, and an unchanged tree must hit. Run as real processes
 * in a temporary copy of the source tree, since the fingerprint is of the
 * `src/` folder the process runs from.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { readRunRecord } from "../../src/flow/record.ts";
import { makeTestDir } from "../temp_dir.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** A helper of every candidate: the logistic model, imported by train_candidate.ts (not the task's own source). */
const HELPER = "src/models/logistic.ts";

/** A copy of src/ with the repository's config, lock and installed packages. */
async function copyTree(): Promise<string> {
  const dir = await makeTestDir({ prefix: "fingerprint-" });
  const copy = await new Deno.Command("cp", { args: ["-R", join(ROOT, "src"), join(dir, "src")] }).output();
  assert.equal(copy.code, 0);
  for (const file of ["deno.json", "deno.lock"]) await Deno.copyFile(join(ROOT, file), join(dir, file));
  await Deno.symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Runs `train:flow` on small synthetic data in `dir`; returns the cache status of the train-candidate task run. */
async function trainCandidateCache(dir: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      join(dir, "deno.json"),
      join(dir, "src/cli/train.ts"),
      ...["--mode", "flow", "--candidates", "logistic", "--folds", "2"],
      ...["--customers", "200", "--transactions", "1600", "--out", join(dir, "out"), "--json"],
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
  const record = await readRunRecord(join(dir, "flowruns"), summary.flowRunId);
  // The candidate's folds and refit are trained in one batch per core; all batches share the code fingerprint.
  const statuses = new Set(record.taskRuns.filter((t) => t.task === "train-folds").map((t) => t.cache.status));
  assert.equal(statuses.size, 1, `train-folds cache statuses: ${[...statuses]}`);
  return [...statuses][0];
}

Deno.test("code fingerprint: an edited helper module misses the task cache, an unchanged tree hits", async () => {
  const dir = await copyTree();
  assert.equal(await trainCandidateCache(dir), "miss", "first run: empty cache");
  assert.equal(await trainCandidateCache(dir), "hit", "same code, same data");
  const helper = join(dir, HELPER);
  await Deno.writeTextFile(helper, `${await Deno.readTextFile(helper)}\n// an edit to a helper the candidates call\n`);
  assert.equal(await trainCandidateCache(dir), "miss", "helper edited: the cached model is stale");
  assert.equal(await trainCandidateCache(dir), "hit", "the new code's result is cached in turn");
  await Deno.remove(dir, { recursive: true });
});
