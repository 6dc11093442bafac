/**
 * The JSON error bodies: FastAPI's `{"detail": ...}` (a message, or a list of
 * `{"loc", "msg", "type"}` entries for input errors) everywhere, and MLflow's
 * `{"error_code", "message"}` on the MLflow protocol routes; their schemas for
 * the OpenAPI document; the app's handlers for errors and unknown routes.
 *
 * @module
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DataError } from "../../src/data/errors.ts";
import type { AppEnv } from "../env.ts";
import type { ErrorDetail } from "../model/validation.ts";
import type { Logger } from "./log.ts";
import { CLIENT_CLOSED_REQUEST, isClientAbort } from "./read_body.ts";

/**
 * A FastAPI-style error answer.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().get("/x", (c) => detailError(c, 404, "Not Found")); // 404 {"detail":"Not Found"}
 * ```
 */
export function detailError(
  c: Context,
  status: ContentfulStatusCode,
  detail: string | readonly ErrorDetail[],
): Response {
  return c.json({ detail: typeof detail === "string" ? withoutPaths(detail) : detail }, status);
}

/** MLflow's error codes used here (from its `databricks_pb2.ErrorCode`). */
export type MlflowErrorCode = "BAD_REQUEST" | "REQUEST_LIMIT_EXCEEDED" | "TEMPORARILY_UNAVAILABLE" | "INTERNAL_ERROR";

/**
 * An MLflow scoring-server error answer.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().post("/invocations", (c) => mlflowError(c, 400, "The input must be a JSON dictionary ..."));
 * ```
 */
export function mlflowError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errorCode: MlflowErrorCode = "BAD_REQUEST",
): Response {
  return c.json({ error_code: errorCode, message: withoutPaths(message) }, status);
}

// An absolute path: a slash not preceded by a word character, colon, dot, slash or tilde (so `models:/m@champion`,
// `runs:/...`, URLs and relative paths stay), then path segments; `file:` URLs are paths too.
const ABSOLUTE_PATH = /(?:file:(?:\/\/)?(?=\/)|(?<![\w:./~]))\/(?:[^\s/'"`(),;:]+\/)*([^\s/'"`(),;:]*)/g;

/**
 * Text for a client, with every absolute server path cut to its last part:
 * where the server keeps its files is none of a client's business (the logs
 * keep the full message).
 *
 * @example
 * ```ts
 * withoutPaths("cannot read /srv/mlruns/1/model_bundle.json: denied"); // "cannot read model_bundle.json: denied"
 * withoutPaths("alias models:/m@champion not found"); // unchanged
 * ```
 */
export function withoutPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (_path, last: string) => last === "" ? "<path>" : last);
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

/** The JSON Schemas of the error bodies above, as OpenAPI components. */
export const ERROR_SCHEMAS: Readonly<Record<string, unknown>> = {
  HTTPValidationError: {
    type: "object",
    properties: {
      detail: {
        type: "array",
        items: {
          type: "object",
          required: ["loc", "msg", "type"],
          properties: {
            loc: { type: "array", items: { type: ["string", "integer"] } },
            msg: { type: "string" },
            type: { type: "string" },
            input: {},
            ctx: { type: "object" },
          },
        },
      },
    },
  },
  HTTPError: { type: "object", properties: { detail: { type: "string" } } },
  MlflowError: {
    type: "object",
    properties: { error_code: { type: "string" }, message: { type: "string" } },
  },
};

/**
 * The app's `onError`: an `HTTPException` keeps its status, a `DataError`
 * from the scorer is the input's fault (422), a client that hung up mid-body
 * is logged at info and answered 499 (counted apart, never sent); anything
 * else is logged with its stack and answered 500 without it.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { AppEnv } from "../env.ts";
 * import { silentLogger } from "./log.ts";
 * new Hono<AppEnv>().onError(errorHandler(silentLogger));
 * ```
 */
export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (error instanceof HTTPException) {
      // A middleware's own answer (bearer auth's 401 with its WWW-Authenticate header).
      if (error.res) return error.getResponse();
      return detailError(c, error.status as ContentfulStatusCode, error.message || "Request failed");
    }
    // The scorer's own checks, should validation ever let a bad value through: still the input's fault.
    if (error instanceof DataError) {
      return detailError(c, 422, [{
        loc: ["body", error.location.column ?? ""],
        msg: error.message,
        type: "value_error",
      }]);
    }
    if (isClientAbort(error)) {
      log("info", "request aborted by the client", { request_id: c.get("requestId"), path: c.req.path });
      return new Response(null, { status: CLIENT_CLOSED_REQUEST });
    }
    log("error", "unhandled error", {
      request_id: c.get("requestId"),
      path: c.req.path,
      error: String(error?.stack ?? error),
    });
    return detailError(c, 500, "Internal Server Error");
  };
}

/**
 * The app's `notFound`: 404 for an unknown path, 405 with `Allow` for a known
 * path asked with another method (`methods`: the methods of each path).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().notFound(notFoundHandler(new Map([["/score", new Set(["POST"])]])));
 * ```
 */
export function notFoundHandler(methods: ReadonlyMap<string, ReadonlySet<string>>): NotFoundHandler {
  return (c) => {
    const allowed = methods.get(c.req.path);
    if (allowed === undefined) return detailError(c, 404, "Not Found");
    c.header("Allow", [...allowed].join(", "));
    return detailError(c, 405, "Method Not Allowed");
  };
}
