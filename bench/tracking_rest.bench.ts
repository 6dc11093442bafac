/**
 * Tracking over REST (issue 16): what a genuine MLflow 3.6 server
 * (`../shared/tools/mlflow-server`, SQLite backend, proxied artifacts)
 * costs a training, side by side with the file store in the same run, and
 * how fast `models` and `runs:mlflow` answer against a server holding 1,000
 * runs.
 *
 * 1. `train` at the default size, alternately with `--tracking-uri file:`
 *    and `http://` (`ROUNDS` rounds), each a fresh `deno` process, after one
 *    untimed run per checkout that fills the task cache: the timed runs take
 *    the flow's results from the cache, so what differs is the tracking, not
 *    the training compute (on a shared 2-core machine that compute's wall
 *    time drifts by seconds between runs, more than the tracking costs).
 *    Prints wall and CPU seconds, the REST request count the training logs,
 *    and the difference of the medians.
 * 2. 1,000 runs shaped like training's candidate runs (12 params, 15
 *    metric values; left RUNNING, which saves a request each) are written to
 *    the server; then `models`, `runs:mlflow` (its default and `--max 1000`) are
 *    timed as fresh processes, beside the server's own `runs/search` answer
 *    for 100 and 1,000 runs (one fetch each, no client work).
 *
 * `deno task bench tracking_rest`, or
 * `deno run -A bench/tracking_rest.bench.ts --baseline DIR` to also run an
 * older checkout's `train` over http (and its `runs:mlflow`) in the same run,
 * against the same server (e.g. `git archive COMMIT | tar -x -C DIR` with
 * `node_modules` linked in).
 *
 * @module
 */
import { startMlflowServer } from "../tests/tracking_rest/mlflow_server.ts";
import { RestTracking } from "../src/tracking/rest/client.ts";

const root = new URL("../", import.meta.url).pathname;
const baselineAt = Deno.args.indexOf("--baseline");
const baseline = baselineAt >= 0 ? `${Deno.args[baselineAt + 1].replace(/\/+$/, "")}/` : undefined;
const work = await Deno.makeTempDir({ prefix: "tracking-rest-bench-" });
const ROUNDS = 3;
const RUNS = 1000;

interface Timed {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function timedProcess(script: string, args: string[], from = root): Promise<Timed> {
  const began = performance.now();
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "cpu-seconds %U %S", Deno.execPath(), "run", "-A", `${from}${script}`, ...args],
    cwd: work,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - began) / 1000;
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const stdout = decode(output.stdout);
  const stderr = decode(output.stderr);
  if (output.code !== 0) throw new Error(`${script} ${args.join(" ")} exited ${output.code}\n${stderr.slice(-2000)}`);
  const cpu = /cpu-seconds ([\d.]+) ([\d.]+)/.exec(stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, stdout, stderr };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const fmt = (seconds: number) => `${seconds.toFixed(2).padStart(6)} s`;

const server = await startMlflowServer();
try {
  console.log(`server ${server.url}; load average ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const backends = baseline ? ["file", "http", "http-baseline"] as const : ["file", "http"] as const;
  const times: Record<string, number[]> = Object.fromEntries(backends.map((backend) => [backend, []]));
  const trainArgs = (
    name: string,
    uri: string,
  ) => ["--mode", "tracked", "--out", `${work}/out-${name}`, "--tracking-uri", uri];
  await timedProcess("src/cli/train.ts", trainArgs("warm", `file:${work}/mlruns-warm`));
  if (baseline) {
    await timedProcess("src/cli/train.ts", trainArgs("warm-baseline", `file:${work}/mlruns-warm`), baseline);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const backend of backends) {
      const uri = backend === "file" ? `file:${work}/mlruns-${round}` : server.url;
      const args = trainArgs(`${backend}-${round}`, uri);
      const run = await timedProcess("src/cli/train.ts", args, backend === "http-baseline" ? baseline : root);
      times[backend].push(run.seconds);
      const requests = /tracking: (\d+) requests/.exec(run.stdout + run.stderr)?.[1];
      console.log(
        `train --tracking-uri ${backend.padEnd(13)} round ${round + 1}: ${fmt(run.seconds)} wall, ${
          fmt(run.cpuSeconds)
        } CPU${requests ? `, ${requests} requests` : ""}`,
      );
    }
  }
  const file = median(times.file);
  for (const backend of backends.slice(1)) {
    const http = median(times[backend]);
    console.log(
      `median train: file ${fmt(file)}, ${backend} ${fmt(http)}; REST adds ${(http - file).toFixed(2)} s (×${
        (http / file).toFixed(2)
      })`,
    );
  }

  const tracking = new RestTracking({ trackingUri: server.url });
  const { experimentId } = await tracking.getOrCreateExperiment("Bench_1000_runs");
  const began = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < RUNS) {
      const index = next++;
      const { info } = await tracking.createRun({
        experimentId,
        runName: `candidate-${index}`,
        tags: { family: "gbt" },
      });
      await tracking.logBatch(info.runId, {
        params: Array.from({ length: 12 }, (_, p) => ({ key: `param_${p}`, value: `${index * p}` })),
        metrics: [
          ...Array.from({ length: 5 }, (_, step) => ({ key: "cv_auc", value: 0.9 + step / 100, step })),
          ...Array.from({ length: 10 }, (_, m) => ({ key: `test_metric_${m}`, value: Math.sin(index + m) })),
        ],
      });
    }
  }));
  console.log(`wrote ${RUNS} runs in ${fmt((performance.now() - began) / 1000)}`);

  for (const maxResults of [100, 1000]) {
    const start = performance.now();
    const response = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ experiment_ids: [experimentId], max_results: maxResults }),
    });
    const body = await response.text();
    console.log(
      `server runs/search max_results=${String(maxResults).padEnd(4)}: ${fmt((performance.now() - start) / 1000)} (${
        (body.length / 1e6).toFixed(2)
      } MB)`,
    );
  }
  const commands: [string, string, string[], string][] = [
    ["models", "src/cli/models.ts", [], root],
    ["runs:mlflow (default)", "src/cli/runs_mlflow.ts", ["--experiment", "Bench_1000_runs"], root],
    ["runs:mlflow --max 1000", "src/cli/runs_mlflow.ts", ["--experiment", "Bench_1000_runs", "--max", "1000"], root],
    ...(baseline
      ? [
        ["baseline models", "src/cli/models.ts", [], baseline],
        ["baseline runs:mlflow", "src/cli/runs_mlflow.ts", ["--experiment", "Bench_1000_runs"], baseline],
      ] as [string, string, string[], string][]
      : []),
  ];
  for (const [label, script, args, from] of commands) {
    const run = await timedProcess(script, ["--tracking-uri", server.url, ...args], from);
    const shown = /: (\d+) runs/.exec(run.stdout)?.[1];
    console.log(
      `${label.padEnd(24)}: ${fmt(run.seconds)} wall, ${fmt(run.cpuSeconds)} CPU${
        shown ? `, ${shown} runs listed` : ""
      }`,
    );
  }
} finally {
  await server.stop();
  await Deno.remove(work, { recursive: true });
}
