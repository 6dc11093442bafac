/**
 * The request id and the metrics of every request, in one middleware: each
 * layer of async middleware costs a few microseconds on a request that takes
 * a few tens.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { type Metrics, UNMATCHED_ROUTE } from "./metrics.ts";

/** The header carrying the request id, in both directions. */
const REQUEST_ID_HEADER = "X-Request-Id";
// Hono's request-id rule for ids a client sends.
const VALID_REQUEST_ID = /^[\w\-=]+$/;

/**
 * Sets the request id (the client's own when it is safe, else a new one) on
 * the context and the answer, and records the answer in `metrics` under its
 * route, or under {@link UNMATCHED_ROUTE} for paths not in `routes` (keeps the
 * label set bounded).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { AppEnv } from "../env.ts";
 * import { Metrics } from "./metrics.ts";
 * const app = new Hono<AppEnv>();
 * app.use(observe(new Metrics(), new Set(["/health"])));
 * ```
 */
export function observe(metrics: Metrics, routes: ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  const nextId = requestIds();
  return async (c, next) => {
    const began = performance.now();
    const given = c.req.raw.headers.get(REQUEST_ID_HEADER);
    const id = given !== null && given.length <= 255 && VALID_REQUEST_ID.test(given) ? given : nextId();
    c.set("requestId", id);
    metrics.inFlight++;
    try {
      await next();
    } finally {
      metrics.inFlight--;
      // Set on the finished response: cheaper in Deno than Hono's prepared headers, and covers error answers too.
      c.res.headers.set(REQUEST_ID_HEADER, id);
      const route = routes.has(c.req.path) ? c.req.path : UNMATCHED_ROUTE;
      metrics.observe(c.req.method, route, c.res.status, (performance.now() - began) / 1000);
    }
  };
}

/** Request ids unique per process (a random prefix and a counter): far cheaper than a UUID per request. */
function requestIds(): () => string {
  const prefix = crypto.randomUUID().slice(0, 8);
  let sequence = 0;
  return () => `${prefix}-${(++sequence).toString(36)}`;
}
