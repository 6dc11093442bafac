/**
 * A UI fixture made by the real pipelines in a temp folder: two tracked
 * trainings (two model versions, two flow runs), a generated transaction log
 * and one tracked batch scoring with its drift report.
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { makeTestDir } from "../temp_dir.ts";

/** Paths of a built fixture. */
export interface UiFixture {
  readonly dir: string;
  readonly trackingUri: string;
  readonly flowrunsDir: string;
}

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

async function run(dir: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, ...args],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
}

/** Builds the fixture (about a minute: real training runs). */
export async function buildUiFixture(): Promise<UiFixture> {
  const dir = await makeTestDir({ prefix: "ui-fixture-" });
  const trackingUri = `file:${dir}/mlruns`;
  const train = `${ROOT}src/cli/train.ts`;
  const size = ["--customers", "300", "--transactions", "2400", "--no-cache"];
  await run(dir, [train, "--mode", "tracked", "--tracking-uri", trackingUri, "--out", `${dir}/out1`, ...size]);
  await run(dir, [
    train,
    "--mode",
    "tracked",
    "--tracking-uri",
    trackingUri,
    "--out",
    `${dir}/out2`,
    ...size,
    "--seed",
    "7",
  ]);
  await run(dir, [
    `${ROOT}src/cli/generate.ts`,
    "--customers",
    "150",
    "--transactions",
    "1200",
    "--seed",
    "11",
    "--out",
    `${dir}/tx.csv`,
  ]);
  await run(dir, [
    `${ROOT}src/cli/score_batch.ts`,
    "--model",
    "models:/customer_conversion_model/1",
    "--tracking-uri",
    trackingUri,
    "--data",
    `${dir}/tx.csv`,
    "--out",
    `${dir}/scores.csv`,
  ]);
  return { dir, trackingUri, flowrunsDir: `${dir}/flowruns` };
}
