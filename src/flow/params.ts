/**
 * Flow parameter validation: a zod schema (anything with `safeParse`) or a
 * function that returns the parameters or throws.
 *
 * @module
 */
import { ParamsError } from "./errors.ts";

/** An issue as zod reports it. */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * A schema with zod's `safeParse` shape.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const parser: SafeParser<{ n: number }> = z.object({ n: z.number() });
 * ```
 */
export interface SafeParser<P> {
  safeParse(value: unknown):
    | { readonly success: true; readonly data: P }
    | { readonly success: false; readonly error: { readonly issues: readonly Issue[] } };
}

/**
 * How a flow validates its parameters.
 *
 * @example
 * ```ts
 * const check: ParamsValidator<number> = (v) => {
 *   if (typeof v !== "number") throw new Error("expected a number");
 *   return v;
 * };
 * ```
 */
export type ParamsValidator<P> = SafeParser<P> | ((value: unknown) => P);

/**
 * Validates parameters; throws {@link ParamsError} listing every problem as
 * `path: message`.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * validateParams(z.object({ days: z.number() }), { days: 30 }, "train"); // { days: 30 }
 * ```
 */
export function validateParams<P>(validator: ParamsValidator<P> | undefined, value: unknown, flowName: string): P {
  if (validator === undefined) return value as P;
  if (typeof validator === "function") {
    try {
      return validator(value);
    } catch (error) {
      throw new ParamsError(flowName, [(error as Error).message ?? String(error)]);
    }
  }
  const parsed = validator.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ParamsError(
    flowName,
    parsed.error.issues.map((issue) =>
      `${issue.path.length ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`
    ),
  );
}
