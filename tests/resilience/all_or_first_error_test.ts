import assert from "node:assert/strict";
import { allOrFirstError } from "../../src/resilience/all_or_first_error.ts";

Deno.test("allOrFirstError: values in order; on failure the first rejection, after every promise settled", async () => {
  assert.deepEqual(await allOrFirstError([Promise.resolve(1), Promise.resolve("two")]), [1, "two"]);
  let slowDone = false;
  const slow = new Promise<number>((resolve) =>
    setTimeout(() => {
      slowDone = true;
      resolve(3);
    }, 20)
  );
  await assert.rejects(
    allOrFirstError([Promise.reject(new Error("first")), slow, Promise.reject(new Error("second"))]),
    /first/,
  );
  assert.equal(slowDone, true, "the slow one had settled when the error arrived");
});
