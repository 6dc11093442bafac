/**
 * The scoring server's Hono app: request ids, metrics, the routes, and JSON
 * answers for unknown routes and for anything that throws. Built around a
 * {@link ModelHolder}, so it can be served (`server.ts`) or driven with
 * `app.request()` in tests.
 *
 * @module
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DataError } from "../src/data/errors.ts";
import type { AppEnv, ServerDeps } from "./env.ts";
import { detailError } from "./middleware/errors.ts";
import { type Logger, silentLogger } from "./middleware/log.ts";
import { Metrics, UNMATCHED_ROUTE } from "./middleware/metrics.ts";
import type { ModelHolder } from "./model/holder.ts";
import { docsRoutes } from "./routes/docs.ts";
import { mlflowRoutes } from "./routes/mlflow.ts";
import { opsRoutes } from "./routes/ops.ts";
import { scoreRoutes } from "./routes/score.ts";

/** Default largest request body: room for a full batch of records with long ids. */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;
/** Default largest `/score/batch` array. */
export const DEFAULT_MAX_BATCH = 1000;

/** The header carrying the request id, in both directions. */
export const REQUEST_ID_HEADER = "X-Request-Id";
// Hono's request-id rule for ids a client sends.
const VALID_REQUEST_ID = /^[\w\-=]+$/;

/** Options of {@link createApp}. */
export interface AppOptions {
  readonly holder: ModelHolder;
  readonly log?: Logger;
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** Must equal the holder's `maxBatch` (it builds the schemas); default {@link DEFAULT_MAX_BATCH}. */
  readonly maxBatch?: number;
}

/** The app and the parts a server or test may look at. */
export interface ScoringApp {
  readonly app: Hono<AppEnv>;
  readonly metrics: Metrics;
}

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * const holder = new ModelHolder({ uri: "/tmp/srv-art/model_bundle.json", maxBatch: 1000 });
 * await holder.load();
 * const { app } = createApp({ holder });
 * const res = await app.request("/score", { method: "POST", body: JSON.stringify({ customer_id: 1, frequency: 3 }) });
 * (await res.json()).decision; // "convert" or "no_convert"
 * ```
 */
export function createApp(options: AppOptions): ScoringApp {
  const log = options.log ?? silentLogger;
  const metrics = new Metrics();
  const routes = new Hono<AppEnv>();
  const deps: ServerDeps = {
    holder: options.holder,
    metrics,
    log,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
  };
  routes.route("/", scoreRoutes(deps));
  routes.route("/", mlflowRoutes(deps));
  routes.route("/", opsRoutes(deps));
  routes.route("/", docsRoutes(deps));

  const methods = new Map<string, Set<string>>();
  for (const { path, method } of routes.routes) {
    if (!methods.has(path)) methods.set(path, new Set());
    methods.get(path)!.add(method);
  }

  const app = new Hono<AppEnv>();
  const nextId = requestIds();
  // One middleware for the request id and the metrics: each layer of async middleware costs a few microseconds.
  app.use(async (c, next) => {
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
      const route = methods.has(c.req.path) ? c.req.path : UNMATCHED_ROUTE;
      metrics.observe(c.req.method, route, c.res.status, (performance.now() - began) / 1000);
    }
  });
  app.route("/", routes);

  app.notFound((c) => {
    const allowed = methods.get(c.req.path);
    if (allowed === undefined) return detailError(c, 404, "Not Found");
    c.header("Allow", [...allowed].join(", "));
    return detailError(c, 405, "Method Not Allowed");
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
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
    log("error", "unhandled error", {
      request_id: c.get("requestId"),
      path: c.req.path,
      error: String(error?.stack ?? error),
    });
    return detailError(c, 500, "Internal Server Error");
  });

  return { app, metrics };
}

/** Request ids unique per process (a random prefix and a counter): far cheaper than a UUID per request. */
function requestIds(): () => string {
  const prefix = crypto.randomUUID().slice(0, 8);
  let sequence = 0;
  return () => `${prefix}-${(++sequence).toString(36)}`;
}
