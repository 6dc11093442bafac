/**
 * A lease on a registered model's aliases, for backends without
 * compare-and-set. MLflow's alias API (`POST registered-models/alias`) simply
 * overwrites, so two trainings that each read the champion, decide, and set
 * the alias can lose a promotion. The lease is a registered-model tag
 * `promotion_lease` = `{"owner", "expires"}`:
 *
 * 1. acquire: wait while another owner holds an unexpired lease; write ours;
 *    wait a settle delay (longer than a competitor's read-then-write); re-read;
 *    only if the tag still names us do we hold it (a competitor that wrote in
 *    between wins and we go back to waiting);
 * 2. before moving an alias, `confirm()` re-reads the tag: if the lease was
 *    lost (expired and taken), the decision is stale and is made again;
 * 3. after the move, the caller re-reads the alias to verify it;
 * 4. release: the tag is deleted if it still names us; a crashed holder's
 *    lease expires after `ttlMs`.
 *
 * The same code serves both backends (the file store also has registered
 * model tags), so pipelines do not know which one they talk to.
 *
 * @module
 */
import type { Tracking } from "./tracking.ts";
import { TrackingError } from "./errors.ts";

/** The registered-model tag holding the lease. */
export const LEASE_TAG = "promotion_lease";

/** Timings of {@link withPromotionLease}. */
export interface LeaseOptions {
  /** How long a lease lives without release (default 60 s). */
  readonly ttlMs?: number;
  /** The pause between writing the lease and re-reading it (default 500 ms). */
  readonly settleMs?: number;
  /** How long to wait for another holder (default 120 s). */
  readonly waitMs?: number;
  /** The clock (ms). */
  readonly now?: () => number;
}

interface Lease {
  readonly owner: string;
  readonly expires: number;
}

function readLease(text: string | undefined): Lease | undefined {
  if (text === undefined) return undefined;
  try {
    const lease = JSON.parse(text) as Lease;
    return typeof lease.owner === "string" && typeof lease.expires === "number" ? lease : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while holding the promotion lease of `modelName`. `work` gets
 * `confirm()`, which throws if the lease is no longer ours (call it right
 * before moving an alias); a lost lease makes the whole `work` run again.
 *
 * @example
 * ```ts
 * import type { Tracking } from "./tracking.ts";
 * declare const tracking: Tracking;
 * await withPromotionLease(tracking, "customer_conversion_model", "run-1", async (confirm) => {
 *   await confirm();
 *   await tracking.setAlias("customer_conversion_model", "champion", 3);
 * });
 * ```
 */
export async function withPromotionLease<T>(
  tracking: Tracking,
  modelName: string,
  owner: string,
  work: (confirm: () => Promise<void>) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 60_000;
  const settleMs = options.settleMs ?? 500;
  const deadline = now() + (options.waitMs ?? 120_000);
  const current = async () => readLease((await tracking.getRegisteredModel(modelName)).tags[LEASE_TAG]);
  for (;;) {
    const held = await current();
    if (held && held.owner !== owner && held.expires > now()) {
      if (now() > deadline) {
        throw new TrackingError(
          "LOCK_TIMEOUT",
          `promotion lease of "${modelName}" held by ${held.owner} until ${new Date(held.expires).toISOString()}`,
        );
      }
      await sleep(200 + Math.random() * 300);
      continue;
    }
    const mine = { owner, expires: now() + ttlMs };
    try {
      await tracking.setRegisteredModelTag(modelName, LEASE_TAG, JSON.stringify(mine));
    } catch (error) {
      // MLflow's SQL store writes a tag with select-then-insert: two writers at once make one of them fail
      // (HTTP 400, UNIQUE constraint). That writer lost the race; it waits and reads again.
      if (now() > deadline) throw error;
      await sleep(100 + Math.random() * 200);
      continue;
    }
    await sleep(settleMs);
    if ((await current())?.owner !== owner) continue;
    const confirm = async () => {
      const lease = await current();
      if (lease?.owner !== owner || lease.expires <= now()) throw new LeaseLost(modelName);
    };
    try {
      return await work(confirm);
    } catch (error) {
      if (error instanceof LeaseLost) continue;
      throw error;
    } finally {
      if ((await current().catch(() => undefined))?.owner === owner) {
        await tracking.deleteRegisteredModelTag(modelName, LEASE_TAG).catch(() => {});
      }
    }
  }
}

class LeaseLost extends Error {
  constructor(modelName: string) {
    super(`the promotion lease of "${modelName}" was lost; deciding again`);
  }
}
