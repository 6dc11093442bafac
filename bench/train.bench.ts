/**
 * Training benchmarks (issues 7 and 15), side by side with the original
 * Python project (`../shared/anchors/seed_python/run.sh`, which reports its
 * own wall time and peak memory) in the same run: `deno task train --no-cache`
 * at the seed's default size and at 100,000 customers / 1,000,000
 * transactions, each against the original at the same size, with the ratios;
 * then `train:plain` at 100,000 / 1,000,000 (one thread) and a second
 * `train:flow` run with unchanged inputs (cache hits). Each of ours is a fresh
 * `deno` process (start-up included) with its own temporary store, records
 * and cache; peak memory is `/usr/bin/time`'s maximum resident set size. CPU
 * seconds (user + system, children included) are printed beside wall time:
 * on a shared machine a neighbour's load stretches one run's wall time and
 * not another's, while the CPU work stays comparable.
 *
 * `deno task bench train` (or `deno run -A bench/train.bench.ts --no-anchor` to skip the original, which needs
 * Debian's python3 packages, which its script installs on first use).
 *
 * @module
 */
const root = new URL("../", import.meta.url).pathname;
const anchorScript = new URL("../../shared/anchors/seed_python/run.sh", import.meta.url).pathname;
const withAnchor = !Deno.args.includes("--no-anchor");
const work = await Deno.makeTempDir({ prefix: "train-bench-" });

interface Measured {
  readonly seconds: number;
  /** User + system CPU seconds of the process and its children: the work done, whatever the machine's load. */
  readonly cpuSeconds: number;
  readonly peakMiB: number;
  readonly note: string;
}

const TIME_FORMAT = "cpu-seconds %U %S peak-rss-kb %M";

function cpuSeconds(stderr: string): number {
  const match = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(stderr);
  return match ? Number(match[1]) + Number(match[2]) : NaN;
}

async function ours(args: string[]): Promise<Measured | undefined> {
  const command = [Deno.execPath(), "run", "-A", `${root}src/cli/train.ts`, ...args];
  const began = performance.now();
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", TIME_FORMAT, ...command],
    cwd: work,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - began) / 1000;
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.code !== 0) {
    console.log(`FAILED (exit ${output.code})\n${stderr.slice(-2000)}`);
    return undefined;
  }
  const peak = Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1]);
  const summary = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  return {
    seconds,
    cpuSeconds: cpuSeconds(stderr),
    peakMiB: peak / 1024,
    note: `selected ${summary.selected}, test AUC ${summary.auc.toFixed(4)}`,
  };
}

async function anchor(customers: number, transactions: number): Promise<Measured | undefined> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", TIME_FORMAT, "bash", anchorScript, `${customers}`, `${transactions}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (output.code !== 0) {
    console.log(`original FAILED (exit ${output.code})\n${new TextDecoder().decode(output.stderr).slice(-2000)}`);
    return undefined;
  }
  const report = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  // Its peak is in MB of 1024 kB (kB / 1024), the same unit as ours.
  return {
    seconds: report.seconds,
    cpuSeconds: cpuSeconds(new TextDecoder().decode(output.stderr)),
    peakMiB: report.peak_rss_mb,
    note: "the original Python (plain, 2 models, no CV)",
  };
}

function line(label: string, m: Measured | undefined): void {
  if (!m) return;
  console.log(
    `${label.padEnd(46)} ${m.seconds.toFixed(2).padStart(7)} s  peak ${
      m.peakMiB.toFixed(0).padStart(5)
    } MiB  ${m.note}`,
  );
}

function ratio(label: string, mine: Measured | undefined, original: Measured | undefined): void {
  if (!mine || !original) return;
  console.log(
    `${label.padEnd(46)} ${(original.seconds / mine.seconds).toFixed(1)}× faster (wall), ${
      (original.cpuSeconds / mine.cpuSeconds).toFixed(1)
    }× less CPU, peak memory ${(mine.peakMiB / original.peakMiB).toFixed(2)} of the original's`,
  );
}

const sizes = { default: ["1000", "8000"], large: ["100000", "1000000"] } as const;
const store = (name: string) => ["--out", `${work}/${name}`, "--tracking-uri", `file:${work}/mlruns-${name}`, "--json"];
const size = (which: keyof typeof sizes) => ["--customers", sizes[which][0], "--transactions", sizes[which][1]];
console.log(`cores: ${navigator.hardwareConcurrency}`);
for (const which of ["default", "large"] as const) {
  const mine = await ours(["--mode", "tracked", "--no-cache", ...size(which), ...store(which)]);
  line(`train --no-cache, ${sizes[which].join(" / ")}`, mine);
  if (!withAnchor) continue;
  const original = await anchor(Number(sizes[which][0]), Number(sizes[which][1]));
  line(`original, ${sizes[which].join(" / ")}`, original);
  ratio(`ours vs original, ${sizes[which].join(" / ")}`, mine, original);
}
line("train:plain, 100000 / 1000000", await ours(["--mode", "plain", ...size("large"), ...store("large-plain")]));
line("train:flow, 100000 / 1000000, first run", await ours(["--mode", "flow", ...size("large"), ...store("flow")]));
line(
  "train:flow, 100000 / 1000000, second (cache)",
  await ours(["--mode", "flow", ...size("large"), ...store("flow")]),
);
await Deno.remove(work, { recursive: true });
