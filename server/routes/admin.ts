/**
 * Administration routes: `POST /admin/reload` loads the model URI afresh and
 * swaps it in, behind {@link adminGuard} (same origin, JSON, the admin token
 * when there is one). Concurrent reloads share one load (see the holder).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { adminGuard } from "../middleware/admin_guard.ts";
import { detailError } from "../middleware/errors.ts";
import { type Describe, jsonContent, ref } from "../openapi/document.ts";

/**
 * The administration routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * declare const deps: ServerDeps;
 * new Hono().route("/", adminRoutes(deps).app);
 * ```
 */
export function adminRoutes(deps: ServerDeps): RouteModule {
  const app = new Hono<AppEnv>();
  const { holder } = deps;

  // A failed reload is 409, not 5xx: the server is fine and keeps serving; the registry's new target is not loadable.
  app.post("/admin/reload", adminGuard(deps.adminToken), async (c) => {
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

  return { app, describe };
}

const describe: Describe = () => ({
  paths: {
    "/admin/reload": {
      post: {
        summary: "Reload the model",
        description: "Loads the model URI afresh and swaps it in; 409 (still serving the old model) if it fails. " +
          "Needs Content-Type: application/json, a same-origin request, and Authorization: Bearer <admin token> " +
          "when the server has one (always when it listens beyond loopback). Concurrent reloads share one load.",
        tags: ["operations"],
        responses: {
          "200": { description: "Reloaded." },
          "401": { description: "Missing or wrong admin token.", content: jsonContent(ref("HTTPError")) },
          "403": { description: "A cross-site request.", content: jsonContent(ref("HTTPError")) },
          "409": { description: "The new model failed to load.", content: jsonContent(ref("HTTPError")) },
          "415": { description: "A content type other than JSON.", content: jsonContent(ref("HTTPError")) },
        },
      },
    },
  },
});
