/**
 * `GET /openapi.json` and `GET /docs` (`/` redirects there), both describing
 * the model that is serving; built once per loaded model from the route
 * modules' own descriptions.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { docsPage } from "../openapi/docs_page.ts";
import { type Describe, getPath, type OpenApiDocument, openApiDocument } from "../openapi/document.ts";
import type { ServingModel } from "../model/serving_model.ts";

/**
 * The documentation routes, describing the given route modules and themselves.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * import { opsRoutes } from "./ops.ts";
 * declare const deps: ServerDeps;
 * new Hono().route("/", docsRoutes(deps, [opsRoutes(deps)]).app);
 * ```
 */
export function docsRoutes(deps: ServerDeps, routes: readonly RouteModule[]): RouteModule {
  const app = new Hono<AppEnv>();
  const built = new WeakMap<ServingModel, { doc: OpenApiDocument; page: string }>();
  const limits = { maxBatch: deps.maxBatch, maxBodyBytes: deps.maxBodyBytes };
  const describes = [...routes.map((route) => route.describe), describe];
  const documents = () => {
    const model = deps.holder.current;
    const cached = model && built.get(model);
    if (cached) return cached;
    const doc = openApiDocument(describes, model, limits);
    const fresh = { doc, page: docsPage(doc) };
    if (model) built.set(model, fresh);
    return fresh;
  };

  app.get("/openapi.json", (c) => c.json(documents().doc));
  app.get("/docs", (c) => c.html(documents().page));
  app.get("/", (c) => c.redirect("/docs"));
  return { app, describe };
}

const describe: Describe = () => ({
  paths: {
    "/openapi.json": getPath("This document", "OpenAPI 3.1.", "documentation"),
    "/docs": getPath("Documentation page", "This API as a page that needs no network access.", "documentation"),
  },
});
