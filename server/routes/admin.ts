/**
 * Administration routes: `POST /admin/reload` loads the model URI afresh and
 * swaps it in.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { detailError } from "../middleware/errors.ts";
import type { Describe } from "../openapi/document.ts";

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

  return { app, describe };
}

const describe: Describe = () => ({
  paths: {
    "/admin/reload": {
      post: {
        summary: "Reload the model",
        description: "Loads the model URI afresh and swaps it in; 409 (still serving the old model) if it fails.",
        tags: ["operations"],
        responses: { "200": { description: "Reloaded." }, "409": { description: "The new model failed to load." } },
      },
    },
  },
});
