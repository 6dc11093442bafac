/**
 * A run's output folder, written all or nothing: files are staged in a hidden
 * folder inside it and moved into place (one rename each) only when the run
 * succeeds, so a failed or killed run leaves no partial bundle or report
 * beside the previous good ones.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** A staged set of output files. */
export interface StagedOutput {
  /** The folder the files will land in. */
  readonly folder: string;
  /** Stages a file at a path relative to the folder. */
  write(path: string, content: string | Uint8Array): void;
  /** Paths staged so far, relative to the folder. */
  readonly files: readonly string[];
  /** Moves every staged file into the folder and removes the stage; returns the final paths. */
  commit(): string[];
  /** Drops the stage; the folder is left as it was. */
  abort(): void;
}

/**
 * Opens a stage inside `folder` (created if needed).
 *
 * @example
 * ```ts
 * const out = stageOutput(await Deno.makeTempDir());
 * out.write("metrics.json", "{}");
 * out.commit(); // [".../metrics.json"]
 * ```
 */
export function stageOutput(folder: string): StagedOutput {
  const stage = join(folder, `.staging-${crypto.randomUUID()}`);
  Deno.mkdirSync(stage, { recursive: true });
  const files: string[] = [];
  return {
    folder,
    files,
    write(path, content) {
      if (path.startsWith("/") || path.split("/").includes("..")) throw new RangeError(`bad output path ${path}`);
      const target = join(stage, path);
      Deno.mkdirSync(dirname(target), { recursive: true });
      if (typeof content === "string") Deno.writeTextFileSync(target, content);
      else Deno.writeFileSync(target, content);
      if (!files.includes(path)) files.push(path);
    },
    commit() {
      const landed = files.map((path) => {
        const target = join(folder, path);
        Deno.mkdirSync(dirname(target), { recursive: true });
        Deno.renameSync(join(stage, path), target);
        return target;
      });
      Deno.removeSync(stage, { recursive: true });
      return landed;
    },
    abort() {
      Deno.removeSync(stage, { recursive: true });
    },
  };
}
