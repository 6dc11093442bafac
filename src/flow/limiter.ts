/**
 * A counting semaphore with a FIFO queue: the flow's concurrency limit.
 *
 * @module
 */
import { CancelledError } from "./errors.ts";

/**
 * Limits how many holders run at once.
 *
 * @example
 * ```ts
 * const limiter = new Limiter(1);
 * const release = await limiter.acquire();
 * limiter.active; // 1
 * release();
 * ```
 */
export class Limiter {
  #active = 0;
  readonly #queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1) || !Number.isInteger(limit)) {
      throw new RangeError(`concurrency limit must be an integer >= 1, got ${limit}`);
    }
  }

  /** Holders currently running. */
  get active(): number {
    return this.#active;
  }

  /** Waits for a slot; the returned function frees it (calling it twice is harmless). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.#queue.indexOf(grant);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(signal?.reason ?? new CancelledError("aborted while waiting for a concurrency slot"));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#queue.push(grant);
      });
    } else {
      this.#active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    };
  }
}
