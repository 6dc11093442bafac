/**
 * Flow runtime benchmark: two independent CPU-bound tasks run in sequence
 * and in parallel, in worker processes, in worker threads, and (for
 * contrast) on the main thread; plus the runtime's own overhead per task run
 * and the cost of caching a 1,000,000-row DataFrame.
 *
 * Run: `deno task bench flow` (or `deno run -A bench/flow.bench.ts`).
 *
 * This file is also the worker module: `burn` is the CPU-bound task body.
 * The runtime is imported dynamically below so that a worker importing this
 * file stays light.
 *
 * @module
 */

/**
 * CPU-bound work: gradient-descent passes of a least-squares fit on synthetic data.
 *
 * @example
 * ```ts
 * burn({ rows: 1_000, passes: 10, seed: 1 }); // a weight near 8
 * ```
 */
export function burn(input: { rows: number; passes: number; seed: number }): number {
  const { rows, passes } = input;
  const cols = 8;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  let state = input.seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  for (let i = 0; i < rows; i++) {
    let target = 0;
    for (let j = 0; j < cols; j++) {
      x[i * cols + j] = next();
      target += (j + 1) * x[i * cols + j];
    }
    y[i] = target + 0.1 * next();
  }
  const w = new Float64Array(cols);
  const grad = new Float64Array(cols);
  for (let pass = 0; pass < passes; pass++) {
    grad.fill(0);
    for (let i = 0; i < rows; i++) {
      let error = -y[i];
      for (let j = 0; j < cols; j++) error += w[j] * x[i * cols + j];
      for (let j = 0; j < cols; j++) grad[j] += error * x[i * cols + j];
    }
    for (let j = 0; j < cols; j++) w[j] -= (0.5 * grad[j]) / rows;
  }
  return w[cols - 1];
}

async function main(): Promise<void> {
  const { flow } = await import("../src/flow/flow.ts");
  const { task } = await import("../src/flow/task.ts");
  const pl = (await import("nodejs-polars")).default;
  const dir = await Deno.makeTempDir({ prefix: "flow-bench-" });
  const runOptions = { recordsDir: `${dir}/runs`, cacheDir: `${dir}/cache`, log: { console: false } };
  const work = { rows: 200_000, passes: 250 };
  const REPS = 3;

  // Other work on the machine only ever slows a run down, so the fastest of a few runs is the best estimate.
  const best = (xs: number[]) => Math.min(...xs);
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  const here = new URL(import.meta.url);
  type Burn = typeof burn;
  const variants = {
    "worker process": task.worker<Burn>(here, "burn", { isolation: "process" }),
    "worker thread": task.worker<Burn>(here, "burn", { isolation: "thread" }),
    "main thread": task((input: Parameters<Burn>[0]) => burn(input), { name: "burn" }),
  };
  // Speed-ups need two free cores: say how busy the machine was.
  const load = () => Deno.loadavg()[0].toFixed(2);
  console.log(`${navigator.hardwareConcurrency} cores, 1-min load average at start ${load()}`);
  console.log(`two CPU-bound tasks (${work.rows} rows x ${work.passes} passes each), best of ${REPS} runs`);
  console.log(
    `${"isolation".padEnd(16)}${"sequence".padStart(12)}${"parallel".padStart(12)}${"speed-up".padStart(10)}`,
  );
  for (const [label, burner] of Object.entries(variants)) {
    const sequence = flow(async () => [await burner({ ...work, seed: 1 }), await burner({ ...work, seed: 2 })], {
      name: "sequence",
    });
    const parallel = flow(
      async () => await Promise.all([burner.submit({ ...work, seed: 1 }), burner.submit({ ...work, seed: 2 })]),
      { name: "parallel" },
    );
    const seq: number[] = [];
    const par: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      seq.push(await time(() => sequence.run(undefined, runOptions)));
      par.push(await time(() => parallel.run(undefined, runOptions)));
    }
    const [s, p] = [best(seq), best(par)];
    console.log(
      `${label.padEnd(16)}${`${(s / 1000).toFixed(2)} s`.padStart(12)}${`${(p / 1000).toFixed(2)} s`.padStart(12)}${
        `${(s / p).toFixed(2)}x`.padStart(10)
      }`,
    );
  }

  console.log(`1-min load average after: ${load()}`);

  const noop = task((i: number) => i, { name: "noop" });
  const many = flow(async () => (await Promise.all(noop.map(Array.from({ length: 2000 }, (_, i) => i)))).length, {
    name: "overhead",
  });
  const overheads: number[] = [];
  for (let rep = 0; rep < REPS; rep++) overheads.push(await time(() => many.run(undefined, runOptions)));
  const overhead = best(overheads);
  console.log(`\nruntime overhead: ${(overhead / 2000 * 1000).toFixed(0)} µs per task run (2000 no-op task runs)`);

  const rows = 1_000_000;
  const frame = pl.DataFrame({
    id: Float64Array.from({ length: rows }, (_, i) => i),
    amount: Float64Array.from({ length: rows }, (_, i) => (i * 7919) % 1000 / 10),
    customer: Array.from({ length: rows }, (_, i) => `c${i % 10_000}`),
  });
  const passThrough = task((input: { frame: unknown }) => input.frame, { name: "pass-frame", cache: {} });
  const cached = flow(async () => await passThrough({ frame }), { name: "frame-cache" });
  const miss = await time(() => cached.run(undefined, runOptions));
  const hit = await time(() => cached.run(undefined, runOptions));
  console.log(
    `cache, ${rows} x 3 DataFrame: first run (hash + write) ${miss.toFixed(0)} ms, second run (hash + read) ${
      hit.toFixed(0)
    } ms`,
  );
  await Deno.remove(dir, { recursive: true });
}

if (import.meta.main) await main();
