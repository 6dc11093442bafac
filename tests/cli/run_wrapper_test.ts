// `./run TASK` as a user runs it, killed with SIGKILL (which the wrapper cannot forward): no process of the task
// may outlive it. Each run carries a unique marker argument, so its processes are found in /proc by that marker.
import assert from "node:assert/strict";
import { makeTestDir } from "../temp_dir.ts";

const RUN = new URL("../../run", import.meta.url).pathname;

/** Pids of live processes whose command line holds `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const status = Deno.readTextFileSync(`/proc/${entry.name}/status`);
      if (/^State:\s+Z/m.test(status)) continue;
      if (Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(marker)) pids.push(Number(entry.name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Starts `./run ARGS`, waits until its `stream` output satisfies `ready`, kills it with SIGKILL and checks the tree. */
async function killWrapperAndCheck(
  args: string[],
  marker: string,
  stream: "stdout" | "stderr",
  ready: (output: string) => boolean,
) {
  const child = new Deno.Command(RUN, { args, stdout: "piped", stderr: "piped" }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const reader = child[stream].getReader();
  const deadline = Date.now() + 60_000;
  while (!ready(output) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
  }
  // Both pipes are drained until the end: a task that lost its reader would die of EPIPE, not of the kill.
  const drained = Promise.all([
    (async () => {
      while (!(await reader.read()).done);
    })(),
    child[stream === "stdout" ? "stderr" : "stdout"].pipeTo(new WritableStream()),
  ]);
  assert.ok(ready(output), `the task did not start: ${output}`);
  const before = processesWith(marker);
  assert.ok(before.includes(child.pid), `the wrapper's pid ${child.pid} is not among ${before}`);
  child.kill("SIGKILL");
  await child.status;
  // A killed process is gone at once; a short grace covers /proc catching up, not a task finishing by itself.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const left = processesWith(marker);
  // Not left running whatever the outcome (these are the processes this test started).
  for (const pid of left) Deno.kill(pid, "SIGKILL");
  await drained;
  assert.deepEqual(left, [], `processes outlived the killed ./run: ${left}`);
}

Deno.test("kill -9 of ./run schedule (a long-running task) leaves no process behind", async () => {
  const marker = `run-wrapper-test-${crypto.randomUUID()}`;
  await killWrapperAndCheck(
    ["schedule", "--cron", "0 0 1 1 *", "--experiment", marker],
    marker,
    "stdout",
    (output) => output.includes("next run at"),
  );
});

Deno.test("kill -9 of ./run train:plain in the middle of training leaves no process behind", async () => {
  const marker = `run-wrapper-test-${crypto.randomUUID()}`;
  const out = await makeTestDir({ prefix: "run-wrapper-" });
  await killWrapperAndCheck(
    [
      "train:plain",
      "--out",
      `${out}/${marker}`,
      "--candidates",
      "gbt",
      "--customers",
      "5000",
      "--transactions",
      "40000",
    ],
    marker,
    "stderr",
    (output) => output.includes("training 1 candidates"),
  );
});
