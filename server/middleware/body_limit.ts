/**
 * The request body size limit. Hono's `bodyLimit` first touches
 * `request.body`, which in Deno turns the body into a stream and costs about
 * 10 µs a request; a body with a declared length (which Deno's HTTP server
 * holds the client to) only needs that number checked, so Hono's middleware
 * runs only for bodies without one (chunked uploads), where it counts bytes as
 * they arrive.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit as streamingBodyLimit } from "hono/body-limit";

/**
 * A middleware answering `onError` for bodies over `maxSize` bytes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().post("/score", bodyLimit(1 << 20, (c) => c.json({ detail: "too large" }, 413)), (c) => c.text("ok"));
 * ```
 */
export function bodyLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const streaming = streamingBodyLimit({ maxSize, onError });
  return (c, next) => {
    const headers = c.req.raw.headers;
    const length = headers.get("content-length");
    if (length === null || headers.has("transfer-encoding")) return streaming(c, next);
    return Number(length) > maxSize ? Promise.resolve(onError(c)) : next();
  };
}
