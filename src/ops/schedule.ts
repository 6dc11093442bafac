/**
 * A cron schedule for long-running jobs (scheduled retraining): croner
 * computes the run times (5-field expressions, or 6 with seconds first;
 * time zones), and this loop waits for each one on an injectable
 * {@link Clock}, so tests run days of schedule in microseconds.
 *
 * Rules: runs never overlap (a tick that arrives while a run is still going
 * is skipped and reported); a failed run is reported and the schedule goes
 * on; aborting the signal stops the schedule at once when idle, or after the
 * current run finishes (the run gets the signal too, to stop early if it can).
 *
 * @module
 */
import { Cron } from "croner";
import { type Clock, systemClock } from "../resilience/clock.ts";

/**
 * What the job receives for each run.
 */
export interface Tick {
  /** 1-based run number. */
  readonly run: number;
  /** The scheduled time that started it. */
  readonly scheduledAt: Date;
  /** Aborts when the schedule is asked to stop. */
  readonly signal: AbortSignal;
}

/**
 * Something the schedule did, for the log.
 */
export type ScheduleEvent =
  | { readonly type: "waiting"; readonly next: Date }
  | { readonly type: "started"; readonly run: number; readonly scheduledAt: Date }
  | { readonly type: "finished"; readonly run: number; readonly ms: number }
  | { readonly type: "failed"; readonly run: number; readonly ms: number; readonly error: unknown }
  | { readonly type: "skipped"; readonly scheduledAt: Date; readonly running: number }
  | { readonly type: "stopping"; readonly running?: number }
  | { readonly type: "stopped"; readonly reason: "max-runs" | "signal" | "schedule-ended" };

/**
 * Options of {@link runSchedule}.
 */
export interface ScheduleOptions {
  /** Cron expression: `m h dom mon dow`, or with seconds first `s m h dom mon dow`. */
  readonly cron: string;
  /** IANA time zone of the expression (default: the system's). */
  readonly timezone?: string;
  readonly job: (tick: Tick) => Promise<unknown>;
  /** Stop after this many runs have finished (skipped ticks do not count). */
  readonly maxRuns?: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly onEvent?: (event: ScheduleEvent) => void;
}

/**
 * What a schedule did.
 */
export interface ScheduleSummary {
  readonly runs: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Longest single wait: setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * Parses a cron expression, failing with a RangeError that names it when it
 * is malformed, its time zone is unknown or it never fires.
 *
 * @example
 * ```ts
 * parseCron("0 1 * * *").nextRun(new Date("2026-01-01T12:00:00Z")); // 2026-01-02 01:00 (system time zone)
 * parseCron("every day"); // throws RangeError: bad cron expression "every day": ...
 * parseCron("0 1 * * *", "Mars/Base"); // throws RangeError: unknown time zone "Mars/Base" ...
 * parseCron("0 0 31 2 *"); // throws RangeError: cron expression "0 0 31 2 *" never fires: no date matches it
 * ```
 */
export function parseCron(expression: string, timezone?: string): Cron {
  let cron: Cron;
  try {
    cron = new Cron(expression, { mode: "5-or-6-parts", ...(timezone === undefined ? {} : { timezone }) });
  } catch (error) {
    throw new RangeError(`bad cron expression "${expression}": ${(error as Error).message}`);
  }
  let next: Date | null;
  try {
    // croner checks the time zone only when it computes a time.
    next = cron.nextRun();
  } catch {
    throw new RangeError(`unknown time zone "${timezone}" (expected an IANA name such as Europe/Stockholm)`);
  }
  // There is no year field, so an expression with no next time has none at all (such as 31 February).
  if (next === null) throw new RangeError(`cron expression "${expression}" never fires: no date matches it`);
  return cron;
}

/**
 * The next `count` run times strictly after `from`.
 *
 * @example
 * ```ts
 * nextRuns("0 1 * * *", new Date("2026-03-01T00:30:00Z"), 2, "UTC");
 * // [2026-03-01T01:00:00Z, 2026-03-02T01:00:00Z]
 * ```
 */
export function nextRuns(expression: string, from: Date, count: number, timezone?: string): Date[] {
  return parseCron(expression, timezone).nextRuns(count, from);
}

/**
 * Runs `job` on the schedule until `maxRuns` runs have finished, the signal
 * aborts, or the expression has no more run times.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const summary = await runSchedule({
 *   cron: "0 1 * * *",
 *   job: async ({ run }) => console.log(`retraining, run ${run}`),
 *   signal: controller.signal,
 *   onEvent: (event) => event.type === "waiting" && console.log(`next run at ${event.next.toISOString()}`),
 * });
 * summary.failed; // 0
 * ```
 */
export async function runSchedule(options: ScheduleOptions): Promise<ScheduleSummary> {
  const cron = parseCron(options.cron, options.timezone);
  const clock = options.clock ?? systemClock;
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const maxRuns = options.maxRuns ?? Infinity;
  let started = 0, finished = 0, failed = 0, skipped = 0;
  let current: { run: number; done: Promise<void> } | undefined;
  const start = (run: number, scheduledAt: Date) => {
    emit({ type: "started", run, scheduledAt });
    const began = clock.now();
    // Started from a resolved promise, so that `current` is set before even a synchronous job settles.
    const done = Promise.resolve().then(async () => {
      try {
        await options.job({ run, scheduledAt, signal });
        emit({ type: "finished", run, ms: clock.now() - began });
      } catch (error) {
        failed++;
        emit({ type: "failed", run, ms: clock.now() - began, error });
      } finally {
        finished++;
        current = undefined;
      }
    });
    current = { run, done };
  };
  let reason: "max-runs" | "signal" | "schedule-ended" = "signal";
  while (!signal.aborted) {
    // A run that ends at once (or has just ended) is settled before the schedule moves on.
    if (current !== undefined) await settleOrYield(current.done);
    if (finished >= maxRuns) {
      reason = "max-runs";
      break;
    }
    if (started >= maxRuns) {
      // No run will start any more: wait for the last one instead of for ticks.
      await Promise.race([current?.done, abortion(signal)]);
      continue;
    }
    const next = cron.nextRun(new Date(clock.now()));
    if (next === null) {
      reason = "schedule-ended";
      break;
    }
    emit({ type: "waiting", next });
    if (!await waitUntil(clock, next.getTime(), signal)) break;
    if (current !== undefined) {
      skipped++;
      emit({ type: "skipped", scheduledAt: next, running: current.run });
      continue;
    }
    start(++started, next);
  }
  if (current !== undefined) {
    emit({ type: "stopping", running: current.run });
    await current.done;
  }
  emit({ type: "stopped", reason });
  return { runs: finished, failed, skipped };
}

/** Resolves when `done` settles or after one turn of the event loop, whichever is first. */
function settleOrYield(done: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 0);
    done.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves when the signal aborts. */
function abortion(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Sleeps until `time`; false when the signal aborted first. */
async function waitUntil(clock: Clock, time: number, signal: AbortSignal): Promise<boolean> {
  for (let left = time - clock.now(); left > 0; left = time - clock.now()) {
    try {
      await clock.sleep(Math.min(left, MAX_WAIT_MS), signal);
    } catch {
      return false;
    }
  }
  return !signal.aborted;
}
