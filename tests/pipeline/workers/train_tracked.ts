/**
 * Worker of the promotion race test: one tracked training run in its own
 * process. With a pause file, it stops right after reading the champion (at
 * the "re-scoring champion" progress line) until that file exists, standing
 * in for a slow disk between the champion read and the alias move. Prints
 * `paused` when it stops, then the run's summary as JSON.
 *
 * Usage: deno run -A train_tracked.ts OPTIONS_JSON [PAUSE_FILE]
 */
import { existsSync } from "node:fs";
import type { TrainOptions } from "../../../src/pipeline/options.ts";
import { train } from "../../../src/pipeline/train.ts";

const [optionsJson, pauseFile] = Deno.args;
const options: TrainOptions & { dir: string } = JSON.parse(optionsJson);
const printError = console.error;
let paused = false;
console.error = (...args: unknown[]) => {
  printError(...args);
  if (pauseFile && !paused && String(args[0]).includes("re-scoring champion")) {
    paused = true;
    console.log("paused");
    // A synchronous wait: nothing of this process runs until the file appears.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!existsSync(pauseFile)) Atomics.wait(sleeper, 0, 0, 10);
  }
};
const summary = await train(options, "tracked", {
  progress: true,
  flow: { recordsDir: `${options.dir}/flowruns`, cacheDir: `${options.dir}/cache` },
});
console.log(JSON.stringify({ version: summary.modelVersion, decision: summary.decision, auc: summary.auc }));
