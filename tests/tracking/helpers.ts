/**
 * Shared fixtures of the tracking tests: the seed store's location and a
 * client over a fresh temporary store with a deterministic clock.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { TrackingClient } from "../../src/tracking/client.ts";
import type { Tracking } from "../../src/tracking/tracking.ts";
import { makeTestDir } from "../temp_dir.ts";

/** The MLflow 3.7 store of the seed project (read-only). */
export const SEED_ROOT = "../shared/data/seed/mlruns";
/** Its one experiment. */
export const SEED_EXPERIMENT_ID = "195242121511690317";

/** The fixed time of {@link temporaryClient}'s default clock. */
export const TEST_TIME = 1_700_000_000_000;

/** A client over a new empty store in a temp folder, with a fixed clock (unless given one). */
export async function temporaryClient(now: () => number = () => TEST_TIME): Promise<
  { client: TrackingClient; root: string }
> {
  const root = `${await makeTestDir({ prefix: "mlruns-test-" })}/mlruns`;
  const client = new TrackingClient({ trackingUri: `file:${root}`, now, userId: "tester", sourceName: "./train.ts" });
  return { client, root };
}

/** Logs `text` as the run artifact `artifactFile` (e.g. `reports/summary.txt`) through a temporary local file. */
export async function logTextArtifact(
  tracking: Tracking,
  runId: string,
  text: string,
  artifactFile: string,
): Promise<void> {
  const folder = await makeTestDir({ prefix: "artifact-" });
  try {
    await Deno.writeTextFile(join(folder, basename(artifactFile)), text);
    const artifactPath = dirname(artifactFile);
    await tracking.logArtifact(runId, join(folder, basename(artifactFile)), artifactPath === "." ? "" : artifactPath);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

/** Copies a folder tree (files and folders). */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

/** Runs a Deno script in a separate process and returns its exit code and output. */
export async function runDeno(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), { args, env, stdout: "piped", stderr: "piped" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** A worker script of these tests, by file name. */
export function workerPath(name: string): string {
  return new URL(`./workers/${name}`, import.meta.url).pathname;
}

/** Starts a Deno worker process with piped stdout. */
export function spawnWorker(name: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", workerPath(name), ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads a child's stdout up to its first line (the child keeps running). */
export async function firstLine(child: Deno.ChildProcess): Promise<string> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  reader.releaseLock();
  return text.split("\n")[0];
}

/** Whether `python3` with PyYAML (the YAML loader MLflow uses) is installed. */
export const HAS_PYYAML = (() => {
  try {
    return new Deno.Command("python3", { args: ["-c", "import yaml"], stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();

/** The Python cross-checks are skipped only off CI: in CI (`CI=true`) a missing PyYAML fails them. */
export const SKIP_PYTHON_CHECKS = !HAS_PYYAML && Deno.env.get("CI") !== "true";

/** Runs `python3` with `args`, feeding `stdin`; fails at once, saying why, when PyYAML is missing. */
export async function python(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!HAS_PYYAML) throw new Error("python3 with PyYAML is required (Debian: apt-get install python3-yaml)");
  const child = new Deno.Command("python3", { args, stdin: "piped", stdout: "piped", stderr: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Reads a store with `mlflow_read_check.py` (MLflow's FileStore read rules, in Python). */
export async function mlflowReadCheck(root: string) {
  const result = await python([new URL("./mlflow_read_check.py", import.meta.url).pathname, root]);
  return { code: result.code, report: JSON.parse(result.stdout), stderr: result.stderr };
}
