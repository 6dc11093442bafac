/**
 * Saves a flow run's record while the run goes on, so a reader in another
 * process (the web UI, `deno task flow:runs`) sees task runs start and end
 * instead of one record at the start and one at the end.
 *
 * @module
 */
import { type Clock, systemClock } from "../resilience/clock.ts";
import { type FlowRunRecord, saveRunRecord } from "./record.ts";

/** Pause between progress saves: a record holds every log line, and saving on each task event would rewrite it per event. */
export const PROGRESS_INTERVAL_MS = 500;

/**
 * Writes one record: `changed()` asks for a progress save, `save()` writes
 * the current state now. Progress saves are coalesced (at most one every
 * `intervalMs`) and every write is serialised, so an older snapshot never
 * lands after a newer one; `save()` drops a pending progress save instead of
 * waiting for it.
 *
 * @example
 * ```ts
 * import type { FlowRunRecord } from "./record.ts";
 * declare const record: FlowRunRecord;
 * const writer = new RecordWriter("flowruns", record);
 * writer.changed(); // saved within 500 ms
 * await writer.save(); // the final state, after any write in progress
 * ```
 */
export class RecordWriter {
  #cancelTimer: (() => void) | undefined;
  #writing: Promise<unknown> = Promise.resolve();

  /** A writer of `record` into `dir`, timing progress saves on `clock`. */
  constructor(
    readonly dir: string,
    readonly record: FlowRunRecord,
    readonly clock: Clock = systemClock,
    readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  /** Asks for a progress save within `intervalMs`; a failed progress save is skipped (the next one retries). */
  changed(): void {
    if (this.#cancelTimer !== undefined) return;
    this.#cancelTimer = this.clock.setTimer(() => {
      this.#cancelTimer = undefined;
      this.#writing = this.#writing.then(() => saveRunRecord(this.dir, this.record)).catch(() => {});
    }, this.intervalMs);
  }

  /** Saves the record now, after any write in progress; returns its path. */
  save(): Promise<string> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const saved = this.#writing.then(() => saveRunRecord(this.dir, this.record));
    this.#writing = saved.catch(() => {});
    return saved;
  }
}
