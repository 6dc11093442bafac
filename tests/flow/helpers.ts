/**
 * Shared set-up for flow tests: temporary folders, a silent console and a
 * virtual clock, so no test touches the repo's folders or really sleeps.
 *
 * @module
 */
import type { RunOptions } from "../../src/flow/flow.ts";
import { type VirtualClock, virtualClock } from "../../src/resilience/clock.ts";
import { makeTestDir } from "../temp_dir.ts";

/** Run options pointing at fresh temporary folders, with console output off and a virtual clock. */
export async function testRun(): Promise<
  RunOptions & { clock: VirtualClock; dir: string; cacheDir: string; recordsDir: string }
> {
  const dir = await makeTestDir({ prefix: "flow-test-" });
  return {
    dir,
    recordsDir: `${dir}/runs`,
    cacheDir: `${dir}/cache`,
    clock: virtualClock(),
    log: { console: false },
  };
}

/** A promise with its resolve function exposed (to control task timing without sleeping). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks run (a macrotask turn). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
