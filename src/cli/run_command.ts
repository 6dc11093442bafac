/**
 * The shared shell of every command-line entry point: parse flags with
 * `node:util`'s `parseArgs` (strict: an unknown flag is an error), run, and
 * turn an expected failure (bad input, bad usage) into one readable line on
 * stderr and exit code 1 instead of a stack trace, whether the command ran
 * it directly or as a flow (a failed flow run is reported by what failed in
 * it, the same line in every mode). Unexpected errors keep their stack, since
 * that is then the useful part.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { FlowRunError } from "../flow/flow.ts";
import { isDeterministic } from "../resilience/classify.ts";

/** A mistake in how a command was called. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Runs a command's body with parsed flags and exits with its code (0 unless it
 * returns another), printing `usage` on `--help`.
 *
 * @example
 * ```ts
 * await runCommand({ usage: "deno task hello [--name NAME]", options: { name: { type: "string" } } }, (flags) => {
 *   console.log(`hello ${flags.values.name ?? "world"}`);
 * });
 * ```
 */
export async function runCommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  spec: { usage: string; options: T; allowPositionals?: boolean },
  body: (
    flags: ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>>,
  ) => Promise<number | void> | number | void,
): Promise<never> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(spec.usage);
    Deno.exit(0);
  }
  try {
    const flags = parseArgs({
      args: Deno.args,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    const code = await body(flags);
    Deno.exit(code ?? 0);
  } catch (error) {
    const err = (error instanceof FlowRunError ? error.cause : error) as Error;
    if (isExpected(err)) {
      console.error(`error: ${err.message}`);
      if (isArgumentError(err)) console.error(`usage: ${spec.usage}`);
    } else {
      console.error(err?.stack ?? String(err));
    }
    Deno.exit(1);
  }
}

/** Errors that are the user's input or setup, not our bug: printed as one line. */
function isExpected(error: Error): boolean {
  return isDeterministic(error) || error?.name === "TrackingError" || isArgumentError(error);
}

function isArgumentError(error: Error): boolean {
  return (error as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS") ?? false;
}

/**
 * Parses a flag value as a number, failing with a {@link UsageError} naming the flag.
 *
 * @example
 * ```ts
 * numberFlag("customers", "1000"); // 1000
 * ```
 */
export function numberFlag(name: string, value: string | undefined, { integer = true } = {}): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${name} must be ${integer ? "a whole number" : "a number"}, got "${value}"`);
  }
  return number;
}

/**
 * Parses a flag value as a `YYYY-MM-DD` date (UTC).
 *
 * @example
 * ```ts
 * dateFlag("cutoff", "1997-09-30")?.toISOString(); // "1997-09-30T00:00:00.000Z"
 * ```
 */
export function dateFlag(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${name} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  return date;
}
