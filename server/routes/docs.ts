/**
 * `GET /openapi.json` and `GET /docs` (`/` redirects there), both describing
 * the model that is serving; built once per loaded model.
 *
 * @module
 */
import { Hono } from "hono";
import { docsPage } from "../openapi/docs_page.ts";
import type { AppEnv, ServerDeps } from "../env.ts";
import { type OpenApiDocument, openApiDocument } from "../openapi/document.ts";
import type { ServingModel } from "../model/serving_model.ts";

/**
 * The documentation routes.
 *
 * @example
 * ```ts
 * app.route("/", docsRoutes(deps));
 * ```
 */
export function docsRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const built = new WeakMap<ServingModel, { doc: OpenApiDocument; page: string }>();
  const limits = { maxBatch: deps.maxBatch, maxBodyBytes: deps.maxBodyBytes };
  const documents = () => {
    const model = deps.holder.current;
    const cached = model && built.get(model);
    if (cached) return cached;
    const doc = openApiDocument(model, limits);
    const fresh = { doc, page: docsPage(doc) };
    if (model) built.set(model, fresh);
    return fresh;
  };

  app.get("/openapi.json", (c) => c.json(documents().doc));
  app.get("/docs", (c) => c.html(documents().page));
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}
