/**
 * Operations routes: liveness (`/health`), readiness (`/ready`), the serving
 * model (`/model`) and Prometheus metrics (`/metrics`).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { withoutPaths } from "../middleware/errors.ts";
import { modelInfo } from "../model/serving_model.ts";
import { type Describe, getPath } from "../openapi/document.ts";
import { noModel } from "./score.ts";

/**
 * The operations routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * declare const deps: ServerDeps;
 * new Hono().route("/", opsRoutes(deps).app);
 * ```
 */
export function opsRoutes(deps: ServerDeps, { startedAt = Date.now() }: { startedAt?: number } = {}): RouteModule {
  const app = new Hono<AppEnv>();
  const { holder, metrics } = deps;

  app.get("/health", (c) => c.json({ status: "ok", uptime_seconds: (Date.now() - startedAt) / 1000 }));

  app.get("/ready", (c) => {
    const model = holder.current;
    if (model === undefined) return noModel(c, deps);
    return c.json({ status: "ready", model_name: model.name, model_version: model.version });
  });

  app.get("/model", (c) => {
    const model = holder.current;
    if (model === undefined) return noModel(c, deps);
    const info = modelInfo(model);
    const failure = holder.lastError;
    // Where the server keeps its files is none of a client's business (the logs have the full paths).
    return c.json({
      ...info,
      uri: withoutPaths(info.uri),
      limits: { max_batch: deps.maxBatch, max_body_bytes: deps.maxBodyBytes },
      last_load_error: failure
        ? { ...failure, uri: withoutPaths(failure.uri), message: withoutPaths(failure.message) }
        : null,
    });
  });

  app.get("/metrics", (c) => {
    const model = holder.current;
    const text = metrics.render({
      loads: holder.loads,
      ...(model
        ? {
          model: {
            name: model.name,
            version: model.version,
            alias: model.source.alias,
            runId: model.source.runId,
            candidate: model.bundle.candidate,
          },
        }
        : {}),
    });
    return c.text(text, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  return { app, describe };
}

const describe: Describe = () => ({
  paths: {
    "/health": getPath("Liveness", "200 while the process answers.", "operations"),
    "/ready": getPath("Readiness", "200 when a model is loaded, else 503.", "operations"),
    "/model": getPath(
      "The serving model",
      "Name, version, alias, run id, input schema, training metrics.",
      "operations",
    ),
    "/metrics": getPath("Prometheus metrics", "Requests, errors, latency by route, model version.", "operations"),
  },
});
