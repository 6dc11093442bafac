/**
 * Scoring many records without holding the event loop: a big request is
 * scored a slice at a time, giving the loop a turn between slices, so that
 * `/health` and the other requests keep being answered while it runs (the
 * scorer is synchronous, and 340,000 rows in one call stalled the server for
 * over a second). Answers are identical to one call: the scorer is row by row.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { ScoreOptions, Scorer, ScoreResult } from "../../src/bundle/scorer.ts";

/** Rows scored per turn of the event loop: a few milliseconds of work at most. */
const SLICE_ROWS = 250;

/**
 * Scores `records` in slices of `sliceRows`, yielding to the event loop between slices.
 *
 * @example
 * ```ts
 * import type { ServingModel } from "./serving_model.ts";
 * declare const model: ServingModel;
 * const results = await scoreInSlices(model.scorer, Array(1000).fill({ frequency: 3 }), { reasons: 3 });
 * results.length; // 1000
 * ```
 */
export async function scoreInSlices(
  scorer: Scorer,
  records: readonly unknown[],
  options: ScoreOptions,
  sliceRows: number = SLICE_ROWS,
): Promise<ScoreResult[]> {
  if (records.length <= sliceRows) return scorer.scoreRecords(records, options);
  const results: ScoreResult[] = [];
  for (let start = 0; start < records.length; start += sliceRows) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const result of scorer.scoreRecords(records.slice(start, start + sliceRows), options)) {
      results.push(result);
    }
  }
  return results;
}
