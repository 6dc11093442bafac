import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { UsageError } from "../../src/cli/run_command.ts";
import { backoffDelay, exponentialBackoff } from "../../src/resilience/backoff.ts";
import { isDeterministic } from "../../src/resilience/classify.ts";
import { retry, type RetryEvent } from "../../src/resilience/retry.ts";
import { timeout } from "../../src/resilience/timeout.ts";
import { virtualClock } from "../../src/resilience/clock.ts";
import { wrap } from "../../src/resilience/policy.ts";

/** Work that fails its first `failures` attempts with `error()`, recording the attempt numbers it saw. */
function flaky(failures: number, error: () => unknown = () => new Error("transient")) {
  const attempts: number[] = [];
  return {
    attempts,
    work: ({ attempt }: { attempt: number }) => {
      attempts.push(attempt);
      if (attempts.length <= failures) throw error();
      return `done after ${attempts.length}`;
    },
  };
}

Deno.test("backoffDelay: fixed, listed (last repeats) and none", () => {
  assert.equal(backoffDelay(undefined, 3), 0);
  assert.equal(backoffDelay(30, 7), 30);
  assert.deepEqual([1, 2, 3, 4].map((r) => backoffDelay([10, 50], r)), [10, 50, 50, 50]);
});

Deno.test("backoffDelay: exponential ceilings, cap and the jitter share", () => {
  const plain = exponentialBackoff({ baseMs: 100, factor: 3, maxMs: 1000 });
  assert.deepEqual([1, 2, 3, 4].map((r) => backoffDelay(plain, r, () => 0.9)), [100, 300, 900, 1000]);
  // Full jitter: u * ceiling; with u = 0.5 half of 200, 400, ... capped at 5000.
  const full = exponentialBackoff({ baseMs: 200, maxMs: 5000, jitter: 1 });
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((r) => backoffDelay(full, r, () => 0.5)), [
    100,
    200,
    400,
    800,
    1600,
    2500,
    2500,
  ]);
  assert.equal(backoffDelay(full, 3, () => 0), 0);
  // jitter 0.2 takes up to a fifth off: u = 0 gives 0.8 of the ceiling, u = 0.5 gives 0.9.
  const some = exponentialBackoff({ baseMs: 1000, jitter: 0.2 });
  assert.equal(backoffDelay(some, 1, () => 0), 800);
  assert.equal(backoffDelay(some, 2, () => 0.5), 1800);
  assert.throws(() => exponentialBackoff({ baseMs: 1, jitter: 2 }), RangeError);
});

Deno.test("retry: exact attempts, waits on the clock and retry events", async () => {
  const clock = virtualClock(0);
  const events: RetryEvent[] = [];
  const { attempts, work } = flaky(2);
  const policy = retry({ retries: 3, backoff: [100, 250], clock, onRetry: (event) => events.push(event) });
  assert.equal(await policy.execute(work), "done after 3");
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.deepEqual(clock.sleeps, [100, 250]);
  assert.equal(clock.now(), 350);
  assert.deepEqual(events.map((e) => [e.attempt, e.delayMs, (e.error as Error).message]), [
    [1, 100, "transient"],
    [2, 250, "transient"],
  ]);
});

Deno.test("retry: out of retries, the last error is thrown as is", async () => {
  const clock = virtualClock(0);
  let n = 0;
  const errors: Error[] = [];
  const work = () => {
    const error = new Error(`failure ${++n}`);
    errors.push(error);
    throw error;
  };
  const thrown = await retry({ retries: 2, backoff: 40, clock }).execute(work).catch((e) => e);
  assert.equal(thrown, errors[2]);
  assert.deepEqual(clock.sleeps, [40, 40]);
});

Deno.test("retry: retryIf says no to a deterministic error: one attempt, no wait", async () => {
  class BadData extends Error {}
  const clock = virtualClock(0);
  const policy = retry({ retries: 5, backoff: 100, clock, retryIf: (e) => !(e instanceof BadData) });
  const bad = flaky(Infinity, () => new BadData("row 3: not a number"));
  await assert.rejects(policy.execute(bad.work), BadData);
  assert.deepEqual(bad.attempts, [1]);
  assert.deepEqual(clock.sleeps, []);
  const transient = flaky(1);
  assert.equal(await policy.execute(transient.work), "done after 2");
});

Deno.test("retry: a wait the failure asks for replaces the backoff", async () => {
  const clock = virtualClock(0);
  const busy = (seconds?: number) => Object.assign(new Error("busy"), { retryAfterSeconds: seconds });
  let n = 0;
  const work = () => {
    n++;
    if (n === 1) throw busy(3);
    if (n === 2) throw busy();
    return n;
  };
  const policy = retry({
    retries: 2,
    backoff: 100,
    clock,
    retryAfterMs: (e) => {
      const seconds = (e as { retryAfterSeconds?: number }).retryAfterSeconds;
      return seconds === undefined ? undefined : seconds * 1000;
    },
  });
  assert.equal(await policy.execute(work), 3);
  assert.deepEqual(clock.sleeps, [3000, 100]);
});

Deno.test("retry: an aborted caller stops the retries, also during a wait", async () => {
  const controller = new AbortController();
  const { attempts, work } = flaky(Infinity);
  const stopped = retry({ retries: 5, backoff: 10_000 }).execute(work, { signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 0));
  controller.abort(new Error("stop"));
  await assert.rejects(stopped, /stop/);
  assert.deepEqual(attempts, [1]);
  const aborted = AbortSignal.abort(new Error("gone"));
  const before = flaky(Infinity);
  await assert.rejects(retry({ retries: 5 }).execute(before.work, { signal: aborted }), /transient/);
  assert.deepEqual(before.attempts, [1]);
});

Deno.test("timeout: fires exactly at its deadline on the clock, aborting the signal and abandoning the work", async () => {
  const clock = virtualClock(0);
  let seen: AbortSignal | undefined;
  let settled = false;
  const result = timeout(50, () => new RangeError("over 50 ms"), clock).execute(({ signal }) => {
    seen = signal;
    return new Promise<never>(() => {}); // ignores its signal
  }).finally(() => (settled = true));
  await Promise.resolve();
  clock.advance(49);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(settled, false);
  assert.equal(seen?.aborted, false);
  clock.advance(1);
  await assert.rejects(result, (e: Error) => e instanceof RangeError && e.message === "over 50 ms");
  assert.ok(seen?.aborted);
  assert.ok(seen?.reason instanceof RangeError);
});

Deno.test("timeout: work that finishes in time is untouched; no limit means only the caller can stop it", async () => {
  const clock = virtualClock(0);
  assert.equal(await timeout(50, () => new Error("late"), clock).execute(() => 7), 7);
  clock.advance(1000);
  const controller = new AbortController();
  const open = timeout(undefined, () => new Error("never"), clock).execute(() => new Promise(() => {}), {
    signal: controller.signal,
  });
  clock.advance(1e9);
  controller.abort(new Error("cancelled by caller"));
  await assert.rejects(open, /cancelled by caller/);
});

Deno.test("wrap: retry outside timeout gives each attempt its own deadline and the attempt number", async () => {
  const clock = virtualClock(0);
  const seen: number[] = [];
  const policy = wrap(
    retry({ retries: 2, backoff: 5, clock }),
    timeout(20, () => new Error("slow"), clock),
  );
  const result = policy.execute(({ attempt, signal }) => {
    seen.push(attempt);
    if (attempt === 3) return "third time";
    return new Promise<string>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
  });
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock.advance(20);
  }
  assert.equal(await result, "third time");
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(clock.sleeps, [5, 5]);
  assert.equal(clock.now(), 50);
});

Deno.test("isDeterministic: input errors are never worth retrying, I/O errors are", () => {
  assert.equal(isDeterministic(new DataError("not a number", { file: "tx.csv", column: "amount", row: 2 })), true);
  assert.equal(isDeterministic(new UsageError("--folds must be a whole number")), true);
  assert.equal(isDeterministic(new RangeError("k must be at least 2")), true);
  assert.equal(isDeterministic(new TypeError("fetch failed")), false);
  assert.equal(isDeterministic(new Deno.errors.ConnectionReset("reset by peer")), false);
  assert.equal(isDeterministic(new Error("disk hiccup")), false);
  assert.equal(isDeterministic("DataError"), false);
});
