/**
 * `deno task bench serve`: the in-process costs behind the server's design
 * choices, in microseconds per record (the HTTP figures are
 * `deno task bench:serve`, which needs `wrk`): zod against the fast check on
 * a valid record, one scorer call per record against coalesced calls, and a
 * whole `/score` through `app.fetch` one at a time and 64 at once.
 *
 * @module
 */
import { join } from "node:path";
import { DEFAULT_TRAIN_OPTIONS } from "../src/pipeline/options.ts";
import { train } from "../src/pipeline/train.ts";
import { createApp } from "../server/app.ts";
import { ModelHolder } from "../server/model/holder.ts";
import { SEED_CLIENT_BODY } from "../server/client/seed_example.ts";

const RECORD = SEED_CLIENT_BODY;

const dir = await Deno.makeTempDir({ prefix: "bench-serve-" });
try {
  const summary = await train({ ...DEFAULT_TRAIN_OPTIONS, out: join(dir, "model"), cache: false }, "plain");
  const holder = new ModelHolder({ uri: summary.bundle, maxBatch: 1000 });
  const model = await holder.load();
  const { app } = createApp({ holder });
  console.log(`model: ${model.bundle.candidate} (default training options); microseconds per record`);

  const perRecord = (name: string, records: number, repeats: number, work: () => unknown) => {
    for (let i = 0; i < Math.max(1, repeats / 10); i++) work();
    const began = performance.now();
    for (let i = 0; i < repeats; i++) work();
    console.log(
      `${name.padEnd(52)} ${((performance.now() - began) * 1000 / (repeats * records)).toFixed(2).padStart(8)}`,
    );
  };
  perRecord("validation: zod safeParse", 1, 200_000, () => model.schemas.record.safeParse(RECORD));
  perRecord("validation: fast check", 1, 200_000, () => model.schemas.isRecord(RECORD));
  for (const reasons of [3, 0]) {
    perRecord(
      `scoring, reasons=${reasons}: one record per call`,
      1,
      20_000,
      () => model.scorer.scoreRecords([RECORD], { reasons }),
    );
    const batch = Array.from({ length: 32 }, () => RECORD);
    perRecord(
      `scoring, reasons=${reasons}: 32 records per call (coalesced)`,
      32,
      1_000,
      () => model.scorer.scoreRecords(batch, { reasons }),
    );
  }

  const body = JSON.stringify(RECORD);
  const request = async () =>
    await (await app.fetch(
      new Request("http://bench/score", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "content-length": String(body.length) },
      }),
    )).text();
  for (const concurrent of [1, 64]) {
    const rounds = concurrent === 1 ? 20_000 : 400;
    for (let i = 0; i < rounds / 10; i++) await Promise.all(Array.from({ length: concurrent }, request));
    const began = performance.now();
    for (let i = 0; i < rounds; i++) await Promise.all(Array.from({ length: concurrent }, request));
    const us = (performance.now() - began) * 1000 / (rounds * concurrent);
    console.log(`${`app.fetch POST /score, ${concurrent} at once`.padEnd(52)} ${us.toFixed(2).padStart(8)}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
