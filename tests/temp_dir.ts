/**
 * Temporary folders and files for tests, removed when the test file's process
 * ends (`unload`, which runs after failed tests too), so test runs stop piling
 * up folders in the system temp folder.
 *
 * @module
 */

const made = new Set<string>();

globalThis.addEventListener("unload", () => {
  for (const dir of made) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // Already removed by the test itself: nothing to clean.
    }
  }
});

/**
 * `Deno.makeTempDir`, removed with everything in it when the process ends.
 *
 * @example
 * ```ts
 * const dir = await makeTestDir({ prefix: "store-" });
 * await Deno.writeTextFile(`${dir}/a.txt`, "a"); // gone after the test file's run
 * ```
 */
export async function makeTestDir(options?: Deno.MakeTempOptions): Promise<string> {
  const dir = await Deno.makeTempDir(options);
  made.add(dir);
  return dir;
}

/** `Deno.makeTempFile`, removed when the process ends. */
export async function makeTestFile(options?: Deno.MakeTempOptions): Promise<string> {
  const file = await Deno.makeTempFile(options);
  made.add(file);
  return file;
}

/** `Deno.makeTempFileSync`, removed when the process ends. */
export function makeTestFileSync(options?: Deno.MakeTempOptions): string {
  const file = Deno.makeTempFileSync(options);
  made.add(file);
  return file;
}
