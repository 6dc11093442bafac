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
 *    between wins and we go back to waiting). That re-read is handed to the
 *    work as the registered model it decides on (its aliases), saving a read;
 * 2. before moving an alias, `confirm()` re-reads the tag: if the lease was
 *    lost (expired and taken), the decision is stale and is made again;
 * 3. after the move, the caller re-reads the alias to verify it;
 * 4. release: the tag is deleted if it still names us; a crashed holder's
 *    lease expires after `ttlMs`.
 *
 * The settle delay. A competitor that read "free" just before our write
 * lands its own write one of its round trips later; the settle must outlast
 * that. It was a fixed 500 ms; it is now {@link SETTLE_ROUND_TRIPS} times the
 * slowest round trip this lease has seen (its reads and its write), at least
 * {@link SETTLE_FLOOR_MS} and at most {@link SETTLE_CEILING_MS}: on a local
 * server (round trips of 5-50 ms) that is 150-250 ms instead of 500 ms, and a
 * slow or remote server gets the old 500 ms. It is a timing assumption, as
 * before: a competitor whose read-to-write gap exceeds it (a process paused
 * that long between the two requests) can still hold the lease with us; the
 * confirm read right before the move and the read-back after it narrow that
 * window further and turn a detected overlap into an error, not a silent
 * lost promotion.
 *
 * The same code serves both backends (the file store also has registered
 * model tags), so pipelines do not know which one they talk to.
 *
 * @module
 */
import type { Tracking } from "./tracking.ts";
import type { RegisteredModel } from "./entities.ts";
import { TrackingError } from "./errors.ts";

/** The registered-model tag holding the lease. */
export const LEASE_TAG = "promotion_lease";

/** The settle delay in round trips of the lease's own requests (see the module notes). */
export const SETTLE_ROUND_TRIPS = 5;
/** The shortest settle delay (ms), whatever the round trips. */
export const SETTLE_FLOOR_MS = 150;
/** The longest settle delay (ms): the fixed delay used before it adapted. */
export const SETTLE_CEILING_MS = 500;

/** Timings of {@link withPromotionLease}. */
export interface LeaseOptions {
  /** How long a lease lives without release (default 60 s). */
  readonly ttlMs?: number;
  /** The pause between writing the lease and re-reading it (default: adapted to round trips, see the module). */
  readonly settleMs?: number;
  /** How long to wait for another holder (default 120 s). */
  readonly waitMs?: number;
  /** The clock (ms). */
  readonly now?: () => number;
}

/**
 * The settle delay after writing the lease, given the slowest round trip (ms) of the lease's own requests so far:
 * {@link SETTLE_ROUND_TRIPS} of them, within [{@link SETTLE_FLOOR_MS}, {@link SETTLE_CEILING_MS}].
 *
 * @example
 * ```ts
 * settleDelayMs(10); // 150 (the floor)
 * settleDelayMs(60); // 300
 * settleDelayMs(400); // 500 (the ceiling)
 * ```
 */
export function settleDelayMs(slowestRoundTripMs: number): number {
  return Math.min(SETTLE_CEILING_MS, Math.max(SETTLE_FLOOR_MS, SETTLE_ROUND_TRIPS * slowestRoundTripMs));
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
 * before moving an alias), and the registered model as read when the lease
 * was verified; a lost lease makes the whole `work` run again.
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
  work: (confirm: () => Promise<void>, model: RegisteredModel) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 60_000;
  const deadline = now() + (options.waitMs ?? 120_000);
  let slowestRoundTrip = 0;
  const timed = async <R>(request: Promise<R>): Promise<R> => {
    const started = performance.now();
    const answer = await request;
    slowestRoundTrip = Math.max(slowestRoundTrip, performance.now() - started);
    return answer;
  };
  const read = () => timed(tracking.getRegisteredModel(modelName));
  const current = async () => readLease((await read()).tags[LEASE_TAG]);
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
      await timed(tracking.setRegisteredModelTag(modelName, LEASE_TAG, JSON.stringify(mine)));
    } catch (error) {
      // MLflow's SQL store writes a tag with select-then-insert: two writers at once make one of them fail
      // (HTTP 400, UNIQUE constraint). That writer lost the race; it waits and reads again.
      if (now() > deadline) throw error;
      await sleep(100 + Math.random() * 200);
      continue;
    }
    await sleep(options.settleMs ?? settleDelayMs(slowestRoundTrip));
    const verified = await read();
    if (readLease(verified.tags[LEASE_TAG])?.owner !== owner) continue;
    const confirm = async () => {
      const lease = await current();
      if (lease?.owner !== owner || lease.expires <= now()) throw new LeaseLost(modelName);
    };
    try {
      return await work(confirm, verified);
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
