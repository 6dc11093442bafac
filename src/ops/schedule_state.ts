/**
 * What a running `deno task schedule` is doing, kept in a small JSON file
 * next to the flow-run records it produces (`flowruns/schedule.state.json`),
 * so that the web UI (or a person) can see the configured schedule, its next
 * run, the run in progress and the last outcome. Written atomically on every
 * schedule event: a reader sees the previous state or the new one.
 *
 * The name is not a flow-run id (ids have no dot), so `/flows/:id` never
 * resolves to it, and flow-run listings skip it (it has no record format).
 *
 * @module
 */
import { join } from "node:path";
import { DataError } from "../data/errors.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import type { ScheduleEvent } from "./schedule.ts";

/** The file name inside the flow-run records folder. */
export const SCHEDULE_STATE_FILE = "schedule.state.json";
const FORMAT = "schedule-state/1";

/** The recorded state of a schedule. */
export interface ScheduleState {
  readonly format: typeof FORMAT;
  readonly cron: string;
  /** IANA zone of the expression; null means the scheduler's system zone. */
  readonly timezone: string | null;
  /** When the scheduler started (ISO). */
  readonly startedAt: string;
  /** The next run time it waits for (ISO); null while a run goes on or once stopped. */
  readonly next: string | null;
  /** The run in progress, if any. */
  readonly running: number | null;
  readonly lastRun: { readonly run: number; readonly outcome: "finished" | "failed"; readonly at: string } | null;
  /** When the scheduler stopped (ISO), and why; null while it is active. */
  readonly stopped: { readonly at: string; readonly reason: string } | null;
}

/**
 * Keeps the schedule's state file up to date from its events.
 *
 * @example
 * ```ts
 * const recorder = new ScheduleRecorder("flowruns", { cron: "0 1 * * *" });
 * await recorder.record({ type: "waiting", next: new Date("2026-01-02T01:00:00Z") });
 * (await readScheduleState("flowruns"))?.next; // "2026-01-02T01:00:00.000Z"
 * ```
 */
export class ScheduleRecorder {
  #state: ScheduleState;
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string, config: { readonly cron: string; readonly timezone?: string }, now = new Date()) {
    this.#state = {
      format: FORMAT,
      cron: config.cron,
      timezone: config.timezone ?? null,
      startedAt: now.toISOString(),
      next: null,
      running: null,
      lastRun: null,
      stopped: null,
    };
  }

  /** Resolves when every write so far is done (rejects when the last one failed). */
  settled(): Promise<void> {
    return this.#writing;
  }

  /** Applies an event and writes the file; writes are queued, so the file ends with the last event's state. */
  record(event: ScheduleEvent, now = new Date()): Promise<void> {
    const state = this.#state;
    const at = now.toISOString();
    switch (event.type) {
      case "waiting":
        this.#state = { ...state, next: event.next.toISOString() };
        break;
      case "started":
        this.#state = { ...state, next: null, running: event.run };
        break;
      case "finished":
      case "failed":
        this.#state = { ...state, running: null, lastRun: { run: event.run, outcome: event.type, at } };
        break;
      case "stopped":
        this.#state = { ...state, next: null, running: null, stopped: { at, reason: event.reason } };
        break;
      default:
        return this.#writing;
    }
    const text = JSON.stringify(this.#state, null, 2);
    this.#writing = this.#writing.catch(() => {}).then(() =>
      writeFileAtomic(join(this.dir, SCHEDULE_STATE_FILE), text)
    );
    return this.#writing;
  }
}

/**
 * The recorded schedule in a flow-run records folder, or undefined when none
 * was ever recorded; a file that is not a schedule state is a DataError
 * naming it.
 *
 * @example
 * ```ts
 * const state = await readScheduleState("flowruns");
 * state?.next; // e.g. "2026-01-02T01:00:00.000Z"
 * ```
 */
export async function readScheduleState(dir: string): Promise<ScheduleState | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, SCHEDULE_STATE_FILE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let state: ScheduleState;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not JSON (${(error as Error).message})`, { file: SCHEDULE_STATE_FILE });
  }
  if (state?.format !== FORMAT || typeof state.cron !== "string") {
    throw new DataError(`not a schedule state of format ${FORMAT}`, { file: SCHEDULE_STATE_FILE });
  }
  return state;
}
