/**
 * The shared validation hook of the FastAPI-style routes: read the body,
 * parse it as JSON, check it against a zod schema, and on failure answer as
 * FastAPI does (400 for a body that is not JSON, 422 with one `detail` entry
 * per problem, each located by its path under `body`).
 *
 * Hono's `zValidator` is not used because the schema belongs to the model
 * that is serving (it changes on reload), and because it would answer a body
 * with `NaN` as malformed instead of naming the field.
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import { detailError, jsonInvalid } from "./errors.ts";
import { parseJson } from "./json_body.ts";
import { type FastCheck, issueDetails } from "../model/validation.ts";

/** A valid body, or the error answer already made. */
export type Validated<T> = { readonly ok: true; readonly data: T } | {
  readonly ok: false;
  readonly response: Response;
};

/**
 * Reads and validates a JSON body; `fast`, when given, accepts exactly what
 * `schema` accepts, and zod then only runs to explain a rejection.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { RequestSchemas } from "../model/validation.ts";
 * declare const schemas: RequestSchemas;
 * new Hono().post("/score", async (c) => {
 *   const body = await validJson(c, schemas.record, schemas.isRecord);
 *   if (!body.ok) return body.response;
 *   return c.json(body.data);
 * });
 * ```
 */
export async function validJson<T>(c: Context, schema: z.ZodType<T>, fast?: FastCheck<T>): Promise<Validated<T>> {
  const text = await c.req.text();
  if (text.trim() === "") {
    return { ok: false, response: detailError(c, 422, [{ loc: ["body"], msg: "Field required", type: "missing" }]) };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, response: detailError(c, 400, [jsonInvalid(parsed.error, parsed.position)]) };
  if (fast?.(parsed.value)) return { ok: true, data: parsed.value };
  const result = schema.safeParse(parsed.value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, response: detailError(c, 422, issueDetails(result.error.issues, ["body"], parsed.value)) };
}
