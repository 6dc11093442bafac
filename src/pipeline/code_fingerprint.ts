/**
 * A fingerprint of the code that trained a model: SHA-256 over the sources of
 * `src/` (paths and contents, in path order), so a bundle says which code made
 * it even outside a git checkout.
 *
 * @module
 */
import { relative } from "node:path";
import { sha256 } from "./dataset.ts";

let cached: Promise<string> | undefined;

/**
 * The fingerprint of this checkout's `src/` folder (computed once per process).
 *
 * @example
 * ```ts
 * (await codeFingerprint()).length; // 64
 * ```
 */
export function codeFingerprint(): Promise<string> {
  cached ??= compute();
  return cached;
}

async function compute(): Promise<string> {
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
  const parts = files.map((path) => `${relative(root, path)}\n${Deno.readTextFileSync(path)}`);
  return await sha256(parts.join("\n\0"));
}
