/**
 * File writes that never leave a half-written file: write a uniquely named
 * temporary sibling, then rename it over the target (rename is atomic within
 * a file system), so a crash or a concurrent reader sees the old or the new
 * content, never a mix.
 *
 * @module
 */
import { dirname } from "node:path";

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
 * Writes a file atomically, creating its folder if needed.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a/run.json`, "{}");
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomHex(6)}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
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
