/**
 * A fingerprint of the code that trained a model: SHA-256 over the sources of
 * `src/` (paths and contents, in path order), so a bundle says which code made
 * it even outside a git checkout.
 *
 * @module
 */
import { relative } from "node:path";
import { hashStrings } from "./hash.ts";

let cached: string | undefined;

/**
 * The fingerprint of this checkout's `src/` folder (computed once per process).
 *
 * @example
 * ```ts
 * codeFingerprint().length; // 64
 * ```
 */
export function codeFingerprint(): string {
  cached ??= compute();
  return cached;
}

function compute(): string {
  const root = new URL("../", import.meta.url).pathname;
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(folder)) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  walk(root.replace(/\/$/, ""));
  files.sort();
  return hashStrings(files.flatMap((path) => [relative(root, path), Deno.readTextFileSync(path)]));
}
