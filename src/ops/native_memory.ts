/**
 * Keeping a long batch's resident memory flat. polars frames live in native
 * memory that is freed only when V8 collects their small JavaScript wrappers;
 * V8 does not see that memory, so with a heap of ~40 MiB it rarely collects,
 * and the frames of every chunk read so far stay resident: a 1,000,000-row
 * `score:batch` ended at 524 MiB resident with a 67 MiB heap and grew with
 * the input (measured with `Deno.memoryUsage()`; one full collection per chunk
 * brought the peak from 536 to 311 MiB). A guard collects garbage only when
 * the process has grown by {@link HEADROOM_BYTES} since the last collection
 * settled, so the cost is a few collections per run, not one per chunk.
 *
 * @module
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Growth of the resident set since the last collection that triggers the next one. */
export const HEADROOM_BYTES = 128 * 1024 * 1024;

let collectGarbage: (() => void) | undefined;

/** V8's full collection, made callable at run time (Node's documented `--expose-gc` route: a new context gets `gc`). */
function fullCollection(): () => void {
  if (collectGarbage === undefined) {
    setFlagsFromString("--expose-gc");
    collectGarbage = runInNewContext("gc") as () => void;
  }
  return collectGarbage;
}

/**
 * Call {@link NativeMemoryGuard.check} between chunks, after the event loop
 * has had a turn (polars' finalizers free the native memory then).
 *
 * @example
 * ```ts
 * const guard = new NativeMemoryGuard();
 * for (let chunk = 0; chunk < 20; chunk++) {
 *   // read, score and write a chunk of polars frames
 *   await new Promise((resolve) => setTimeout(resolve, 0));
 *   guard.check();
 * }
 * ```
 */
export class NativeMemoryGuard {
  readonly #headroom: number;
  readonly #resident: () => number;
  #floor: number;
  #settling = false;
  /** Full collections so far. */
  collections = 0;

  /**
   * `headroomBytes`: growth that triggers a collection (default
   * {@link HEADROOM_BYTES}); `residentBytes`: the process's resident set
   * (tests may give their own).
   */
  constructor(
    { headroomBytes = HEADROOM_BYTES, residentBytes = () => Deno.memoryUsage().rss }: {
      headroomBytes?: number;
      residentBytes?: () => number;
    } = {},
  ) {
    this.#headroom = headroomBytes;
    this.#resident = residentBytes;
    this.#floor = residentBytes();
  }

  /**
   * Collects garbage if the resident set has grown by the headroom since the
   * last collection; the first check after a collection only records the new
   * floor (the finalizers have run by then).
   */
  check(): void {
    const rss = this.#resident();
    if (this.#settling) {
      this.#floor = rss;
      this.#settling = false;
    } else if (rss - this.#floor > this.#headroom) {
      fullCollection()();
      this.collections++;
      this.#settling = true;
    }
  }
}
