/**
 * Operations routes: liveness (`/health`), readiness (`/ready`), the serving
 * model (`/model`), Prometheus metrics (`/metrics`) and an explicit reload
 * (`POST /admin/reload`).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, ServerDeps } from "../env.ts";
import { detailError } from "../middleware/errors.ts";
import { modelInfo } from "../model/serving_model.ts";
import { noModel } from "./score.ts";

/**
 * The operations routes.
 *
 * @example
 * ```ts
 * app.route("/", opsRoutes(deps));
 * ```
 */
export function opsRoutes(deps: ServerDeps, { startedAt = Date.now() }: { startedAt?: number } = {}): Hono<AppEnv> {
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
    return c.json({
      ...modelInfo(model),
      limits: { max_batch: deps.maxBatch, max_body_bytes: deps.maxBodyBytes },
      last_load_error: holder.lastError ?? null,
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

  // A failed reload is 409, not 5xx: the server is fine and keeps serving; the registry's new target is not loadable.
  app.post("/admin/reload", async (c) => {
    const outcome = await holder.reload();
    if (outcome.status === "failed") {
      const serving = outcome.model
        ? `still serving ${outcome.model.name} version ${outcome.model.version}`
        : "no model";
      return detailError(c, 409, `Reload of ${holder.uri} failed: ${outcome.error.message}; ${serving}`);
    }
    return c.json({
      status: outcome.status,
      model_name: outcome.model.name,
      model_version: outcome.model.version,
      previous_version: outcome.status === "reloaded" ? outcome.previous?.version ?? null : outcome.model.version,
    });
  });

  return app;
}
