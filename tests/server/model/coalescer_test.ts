/** Coalesced scoring: same answers as scoring alone, one scorer call per model and reason count, failures isolated. */
import assert from "node:assert/strict";
import type { ScoreResult } from "../../../src/bundle/scorer.ts";
import { ScoreCoalescer } from "../../../server/model/coalescer.ts";
import type { ServingModel } from "../../../server/model/serving_model.ts";
import type { ScoreRecord } from "../../../server/model/validation.ts";
import { loadedHolder } from "../fixtures.ts";

/** A coalescer flushed by hand, and a model whose scorer counts its calls. */
async function setup() {
  let flush: (() => void) | undefined;
  const coalescer = new ScoreCoalescer((f) => flush = f);
  const model = (await loadedHolder()).current!;
  const calls: number[] = [];
  const scoreRecords = model.scorer.scoreRecords.bind(model.scorer);
  const counting: ServingModel = {
    ...model,
    scorer: Object.assign(Object.create(model.scorer), {
      scoreRecords: (records: readonly unknown[], options?: { reasons?: number }) => {
        calls.push(records.length);
        return scoreRecords(records, options);
      },
    }),
  };
  return { coalescer, model: counting, calls, flush: () => flush!() };
}

Deno.test("ScoreCoalescer scores waiting records in one call, each answer equal to scoring it alone", async () => {
  const { coalescer, model, calls, flush } = await setup();
  const records = [{ frequency: 1 }, { frequency: 30, recency_days: 2 }, { preferred_channel: "app" }];
  const pending = records.map((record) => coalescer.score(model, record, { reasons: 3 }));
  flush();
  const results = await Promise.all(pending);
  assert.deepEqual(calls, [3]);
  records.forEach((record, i) => assert.deepEqual(results[i], model.scorer.scoreRecords([record], { reasons: 3 })[0]));
});

Deno.test("ScoreCoalescer groups by model and by reason count, never mixing them", async () => {
  const { coalescer, model, calls, flush } = await setup();
  const other: ServingModel = { ...model };
  const pending: Promise<ScoreResult>[] = [
    coalescer.score(model, { frequency: 1 }, { reasons: 3 }),
    coalescer.score(other, { frequency: 1 }, { reasons: 3 }),
    coalescer.score(model, { frequency: 2 }, { reasons: 0 }),
    coalescer.score(model, { frequency: 3 }, { reasons: 3 }),
  ];
  flush();
  const results = await Promise.all(pending);
  assert.deepEqual(calls.sort(), [1, 1, 2]);
  assert.deepEqual(results[2].reasons, []);
});

Deno.test("ScoreCoalescer: a record that breaks the batch fails only its own request", async () => {
  const { coalescer, model, flush } = await setup();
  const used = model.scorer.features[0];
  const good = coalescer.score(model, { [used]: 4 }, { reasons: 3 });
  // Validation keeps such a value out; the coalescer must still not let it fail the others.
  const bad = coalescer.score(model, { [used]: { not: "a number" } } as unknown as ScoreRecord, { reasons: 3 });
  flush();
  assert.equal((await good).probability, model.scorer.scoreRecords([{ [used]: 4 }])[0].probability);
  await assert.rejects(bad, new RegExp(`column "${used}", row 1: not a`));
});
