/**
 * The JSON error bodies: FastAPI's `{"detail": ...}` (a message, or a list of
 * `{"loc", "msg", "type"}` entries for input errors) everywhere, and MLflow's
 * `{"error_code", "message"}` on the MLflow protocol routes.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorDetail } from "../model/validation.ts";

/**
 * A FastAPI-style error answer.
 *
 * @example
 * ```ts
 * app.get("/x", (c) => detailError(c, 404, "Not Found")); // 404 {"detail":"Not Found"}
 * ```
 */
export function detailError(
  c: Context,
  status: ContentfulStatusCode,
  detail: string | readonly ErrorDetail[],
): Response {
  return c.json({ detail }, status);
}

/** MLflow's error codes used here (from its `databricks_pb2.ErrorCode`). */
export type MlflowErrorCode = "BAD_REQUEST" | "REQUEST_LIMIT_EXCEEDED" | "TEMPORARILY_UNAVAILABLE" | "INTERNAL_ERROR";

/**
 * An MLflow scoring-server error answer.
 *
 * @example
 * ```ts
 * app.post("/invocations", (c) => mlflowError(c, 400, "The input must be a JSON dictionary ..."));
 * ```
 */
export function mlflowError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errorCode: MlflowErrorCode = "BAD_REQUEST",
): Response {
  return c.json({ error_code: errorCode, message }, status);
}

/**
 * The `detail` entry of a body that is not JSON (FastAPI's `json_invalid`),
 * located at the character where parsing stopped when known.
 *
 * @example
 * ```ts
 * jsonInvalid("Unexpected end of JSON input"); // { loc: ["body"], msg: "JSON decode error", type: "json_invalid", ... }
 * ```
 */
export function jsonInvalid(error: string, position?: number): ErrorDetail {
  return {
    loc: position === undefined ? ["body"] : ["body", position],
    msg: "JSON decode error",
    type: "json_invalid",
    ctx: { error },
  };
}
