/**
 * Training benchmarks (issue 7): end-to-end wall time of `train` at the
 * seed's default size (Deno start-up included), of `train:plain` and
 * `train:flow` at 100,000 customers / 1,000,000 transactions with peak memory,
 * and of a second `train:flow` run with unchanged inputs (cache hits). Each
 * run is a fresh `deno` process with its own temporary store, records and cache.
 *
 * The seed's Python figures on this machine, for comparison: 1.52 s at the
 * default size, 46.5 s and 888 MB at 100,000 / 1,000,000.
 *
 * @module
 */
const root = new URL("../", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "train-bench-" });
const timeBinary = ["/usr/bin/time"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

async function run(label: string, args: string[]): Promise<void> {
  const command = [Deno.execPath(), "run", "-A", `${root}src/cli/train.ts`, ...args];
  const began = performance.now();
  const output = await new Deno.Command(timeBinary ?? command[0], {
    args: timeBinary ? ["-f", "peak-rss-kb %M", ...command] : command.slice(1),
    cwd: work,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - began) / 1000;
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.code !== 0) {
    console.log(`${label}: FAILED (exit ${output.code})\n${stderr.slice(-2000)}`);
    return;
  }
  const peak = /peak-rss-kb (\d+)/.exec(stderr)?.[1];
  const summary = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  console.log(
    `${label.padEnd(44)} ${seconds.toFixed(2).padStart(6)} s  peak ${
      peak ? `${(Number(peak) / 1024).toFixed(0)} MiB` : "n/a"
    }  selected ${summary.selected} (test AUC ${summary.auc.toFixed(4)})`,
  );
}

const large = ["--customers", "100000", "--transactions", "1000000"];
const store = (name: string) => ["--out", `${work}/${name}`, "--tracking-uri", `file:${work}/mlruns-${name}`, "--json"];
console.log("python seed: 1.52 s default; 46.5 s, 888 MB at 100,000 / 1,000,000");
await run("train (tracked), default size", ["--mode", "tracked", ...store("default")]);
await run("train:plain, default size", ["--mode", "plain", ...store("default-plain")]);
await run("train:plain, 100k customers / 1M tx", ["--mode", "plain", ...large, ...store("large-plain")]);
await run("train:flow, 100k / 1M, first run", ["--mode", "flow", ...large, ...store("large-flow")]);
await run("train:flow, 100k / 1M, second run (cache)", ["--mode", "flow", ...large, ...store("large-flow")]);
await Deno.remove(work, { recursive: true });
