/**
 * `deno task train` (tracked), `deno task train:flow` and `deno task
 * train:plain`: the seed's three versions as three ways of running one
 * pipeline definition (src/pipeline).
 *
 * @module
 */
import { RUN_MODES, type RunMode, train } from "../pipeline/train.ts";
import { runCommand, UsageError } from "./run_command.ts";
import { TRAIN_FLAGS, TRAIN_FLAGS_USAGE, trainOptionsFromFlags } from "./train_flags.ts";

const usage = `deno task train | train:flow | train:plain [options]
${TRAIN_FLAGS_USAGE}
  --json                  print a JSON summary as the last line`;

await runCommand({
  usage,
  options: { ...TRAIN_FLAGS, mode: { type: "string", default: "tracked" }, json: { type: "boolean", default: false } },
}, async ({ values }) => {
  const mode = values.mode as RunMode;
  if (!RUN_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${RUN_MODES.join(", ")}`);
  const summary = await train(trainOptionsFromFlags(values), mode, { progress: true });
  if (values.json) console.log(JSON.stringify(summary));
  return summary.ok ? 0 : 1;
});
