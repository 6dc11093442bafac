/**
 * Runs a command-line entry point as a real `deno` process, as a user would.
 *
 * @module
 */

/** Exit code and decoded output of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Runs `deno run -A <script> <args>` (script relative to the repository
 * root), in `cwd` when given (the CLI's relative outputs then land there).
 *
 * @example
 * ```ts
 * const { code, stderr } = await runCli("src/cli/generate.ts", ["--customers", "x"]);
 * ```
 */
export async function runCli(script: string, args: readonly string[] = [], { cwd }: { cwd?: string } = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, `${ROOT}${script}`, ...args],
    ...(cwd ? { cwd } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const run: CliRun = {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
  return run;
}
