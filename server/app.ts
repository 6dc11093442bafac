/**
 * The scoring server's Hono app: request ids and metrics around the route
 * modules (scoring, MLflow protocol, operations, administration, docs), and
 * JSON answers for unknown routes and for anything that throws. Built around
 * a {@link ModelHolder}, so it can be served (`server.ts`) or driven with
 * `app.request()` in tests.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, ServerDeps } from "./env.ts";
import { errorHandler, notFoundHandler } from "./middleware/errors.ts";
import { type Logger, silentLogger } from "./middleware/log.ts";
import { Metrics } from "./middleware/metrics.ts";
import { observe } from "./middleware/observe.ts";
import { DEFAULT_BODY_TIMEOUT_MS } from "./middleware/read_body.ts";
import type { ModelHolder } from "./model/holder.ts";
import { adminRoutes } from "./routes/admin.ts";
import { docsRoutes } from "./routes/docs.ts";
import { mlflowRoutes } from "./routes/mlflow.ts";
import { opsRoutes } from "./routes/ops.ts";
import { scoreRoutes } from "./routes/score.ts";

/** Default largest request body: room for a full batch of records with long ids. */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;
/** Default most records in one request (`/score/batch` and `/invocations`). */
export const DEFAULT_MAX_BATCH = 1000;

/** Options of {@link createApp}. */
export interface AppOptions {
  readonly holder: ModelHolder;
  readonly log?: Logger;
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** Must equal the holder's `maxBatch` (it builds the schemas); default {@link DEFAULT_MAX_BATCH}. */
  readonly maxBatch?: number;
  /** Time a client has to send a request body; default {@link DEFAULT_BODY_TIMEOUT_MS}. */
  readonly bodyTimeoutMs?: number;
  /** The Bearer token the admin routes need (default none: only for a server on loopback). */
  readonly adminToken?: string;
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
 * import { ModelHolder } from "./model/holder.ts";
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
  const deps: ServerDeps = {
    holder: options.holder,
    metrics,
    log,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
  };
  const modules = [scoreRoutes(deps), mlflowRoutes(deps), opsRoutes(deps), adminRoutes(deps)];
  modules.push(docsRoutes(deps, modules));
  const routes = new Hono<AppEnv>();
  for (const module of modules) routes.route("/", module.app);

  const methods = new Map<string, Set<string>>();
  for (const { path, method } of routes.routes) {
    if (!methods.has(path)) methods.set(path, new Set());
    methods.get(path)!.add(method);
  }

  const app = new Hono<AppEnv>();
  app.use(observe(metrics, new Set(methods.keys())));
  app.route("/", routes);
  app.notFound(notFoundHandler(methods));
  app.onError(errorHandler(log));
  return { app, metrics };
}
