/**
 * Small file-system helpers of the flow runtime: random names and removal
 * that tolerates a missing path. Atomic writes are src/fs/atomic.ts.
 *
 * @module
 */

/**
 * A short random hex string (for temporary names and run ids).
 *
 * @example
 * ```ts
 * randomHex(4).length; // 8
 * ```
 */
export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Removes a path recursively; a path that is already gone is not an error.
 *
 * @example
 * ```ts
 * await removeIfExists("/tmp/does-not-exist"); // resolves
 * ```
 */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
