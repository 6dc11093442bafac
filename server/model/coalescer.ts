/**
 * Scores the single records of concurrent `/score` requests together. The
 * scorer's cost per call is mostly fixed (a table and a design matrix are
 * allocated per call), so one call for the 64 records that arrived in the
 * same event-loop turn costs about as much as three calls of one. Records
 * wait at most until the loop has taken in the other requests that were ready
 * (`setImmediate`, a few microseconds), never for a timer. Answers are
 * identical to scoring each record alone: the scorer is row by row.
 *
 * A batch never mixes models (so a request finishes on the model it took even
 * when a reload swaps in another), and a batch that throws is scored again
 * record by record, so that one bad record fails only its own request.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ScoreOptions, ScoreResult } from "../../src/bundle/scorer.ts";
import type { ServingModel } from "./serving_model.ts";
import type { ScoreRecord } from "./validation.ts";

interface Waiting {
  readonly record: ScoreRecord;
  readonly resolve: (result: ScoreResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces single-record scoring calls.
 *
 * @example
 * ```ts
 * import type { ServingModel } from "./serving_model.ts";
 * declare const model: ServingModel;
 * const coalescer = new ScoreCoalescer();
 * const [a, b] = await Promise.all([
 *   coalescer.score(model, { frequency: 3 }, { reasons: 3 }),
 *   coalescer.score(model, { frequency: 9 }, { reasons: 3 }),
 * ]); // one scorer call for both
 * ```
 */
export class ScoreCoalescer {
  // By model, then by the reason-code options asked for: each group is one scorer call.
  #waiting = new Map<ServingModel, Map<string, { options: ScoreOptions; group: Waiting[] }>>();
  #scheduled = false;
  readonly #schedule: (flush: () => void) => void;

  /** `schedule` runs the flush later (default `setImmediate`); tests may flush by hand. */
  constructor(schedule: (flush: () => void) => void = setImmediate) {
    this.#schedule = schedule;
  }

  /** Scores one record with `model`, together with the other records waiting. */
  score(model: ServingModel, record: ScoreRecord, options: ScoreOptions): Promise<ScoreResult> {
    return new Promise((resolve, reject) => {
      let byOptions = this.#waiting.get(model);
      if (byOptions === undefined) this.#waiting.set(model, byOptions = new Map());
      const key = `${options.reasons}/${options.method}`;
      let waiting = byOptions.get(key);
      if (waiting === undefined) byOptions.set(key, waiting = { options, group: [] });
      waiting.group.push({ record, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.#schedule(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const waiting = this.#waiting;
    this.#waiting = new Map();
    this.#scheduled = false;
    for (const [model, byOptions] of waiting) {
      for (const { options, group } of byOptions.values()) scoreGroup(model, options, group);
    }
  }
}

function scoreGroup(model: ServingModel, options: ScoreOptions, group: readonly Waiting[]): void {
  let results: ScoreResult[];
  try {
    results = model.scorer.scoreRecords(group.map((waiting) => waiting.record), options);
  } catch {
    for (const waiting of group) {
      try {
        waiting.resolve(model.scorer.scoreRecords([waiting.record], options)[0]);
      } catch (error) {
        waiting.reject(error);
      }
    }
    return;
  }
  group.forEach((waiting, i) => waiting.resolve(results[i]));
}
