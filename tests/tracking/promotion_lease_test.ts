/** The promotion lease's settle delay and what it hands the work it guards. */
import assert from "node:assert/strict";
import type { RegisteredModel } from "../../src/tracking/entities.ts";
import {
  LEASE_TAG,
  SETTLE_CEILING_MS,
  SETTLE_FLOOR_MS,
  settleDelayMs,
  withPromotionLease,
} from "../../src/tracking/promotion_lease.ts";
import type { Tracking } from "../../src/tracking/tracking.ts";

Deno.test("the settle delay is 5 round trips, never under the floor nor over the old fixed 500 ms", () => {
  assert.equal(settleDelayMs(0), SETTLE_FLOOR_MS);
  assert.equal(settleDelayMs(10), 150);
  assert.equal(settleDelayMs(60), 300);
  assert.equal(settleDelayMs(99), 495);
  assert.equal(settleDelayMs(400), SETTLE_CEILING_MS);
  assert.equal(SETTLE_CEILING_MS, 500);
});

Deno.test("the lease hands its work the registered model of the verifying read, then releases", async () => {
  const tags = new Map<string, string>();
  let reads = 0;
  const model = (): RegisteredModel => ({
    name: "m",
    creationTimestamp: 0,
    lastUpdatedTimestamp: 0,
    description: null,
    tags: Object.fromEntries(tags),
    aliases: { champion: reads },
  });
  // Only the three registry calls the lease makes; anything else would throw.
  const tracking = {
    getRegisteredModel: () => {
      reads++;
      return Promise.resolve(model());
    },
    setRegisteredModelTag: (_name: string, key: string, value: string) => Promise.resolve(void tags.set(key, value)),
    deleteRegisteredModelTag: (_name: string, key: string) => Promise.resolve(void tags.delete(key)),
  } as unknown as Tracking;
  const seen = await withPromotionLease(tracking, "m", "owner-1", (_confirm, verified) => {
    assert.equal(JSON.parse(verified.tags[LEASE_TAG]).owner, "owner-1");
    return Promise.resolve({ champion: verified.aliases.champion, readsSoFar: reads });
  }, { settleMs: 1 });
  // Read 1 finds no lease, read 2 verifies ours: the work decides on read 2 and reads nothing more itself.
  assert.deepEqual(seen, { champion: 2, readsSoFar: 2 });
  assert.equal(tags.has(LEASE_TAG), false, "released");
});
