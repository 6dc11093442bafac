/**
 * The web UI as a Hono app: read-only pages over the tracking store, the
 * flow-run records and the batch-scoring runs, plus one write (alias
 * promotion, behind a CSRF token and an Origin check). `main.ts` serves it;
 * tests call `app.request()`.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { getCookie, setCookie } from "hono/cookie";
import { timingSafeEqual } from "hono/utils/buffer";
import { isTrackingError } from "../tracking/errors.ts";
import { openTracking } from "../tracking/open.ts";
import type { Tracking } from "../tracking/tracking.ts";
import { STYLESHEET } from "../style/stylesheet.ts";
import { page } from "./views/layout.ts";
import { homeRoutes } from "./routes/home.ts";
import { experimentRoutes } from "./routes/experiments.ts";
import { runRoutes } from "./routes/runs.ts";
import { modelRoutes } from "./routes/models.ts";
import { flowRoutes } from "./routes/flows.ts";
import { compareRoutes } from "./routes/compare.ts";
import { driftRoutes } from "./routes/drift.ts";
import { artifactRoutes } from "./routes/artifacts.ts";

/** Where the UI reads from, and how it guards itself. */
export interface UiOptions {
  /** The tracking store (default: `MLFLOW_TRACKING_URI`, else `file:./mlruns`). */
  readonly trackingUri?: string;
  /** Flow-run records (default `flowruns`). */
  readonly flowrunsDir?: string;
  /** The pipelines' output folder (default `data/artifacts`). */
  readonly artifactsDir?: string;
  /** When set, every request must carry it (cookie, `?token=` or a Bearer header). */
  readonly token?: string;
  /** The CSRF token of promotion forms (default: random per process). */
  readonly csrfToken?: string;
}

/** What every route reads. */
export interface UiContext {
  readonly client: Tracking;
  readonly flowrunsDir: string;
  readonly artifactsDir: string;
  readonly csrfToken: string;
}

/** A page-level failure with its HTTP status (404 unknown id, 400 bad input, 403 refused). */
export class UiError extends Error {
  constructor(readonly status: 400 | 403 | 404, message: string) {
    super(message);
  }
}

const HTMX_FILE = new URL(import.meta.resolve("htmx.org/dist/htmx.min.js"));
const TOKEN_COOKIE = "ui_token";

/**
 * Builds the UI app.
 *
 * @example
 * ```ts
 * const app = createUiApp({ trackingUri: "file:./mlruns", flowrunsDir: "flowruns" });
 * const response = await app.request("/experiments");
 * response.status; // 200
 * ```
 */
export function createUiApp(options: UiOptions = {}): Hono {
  const context: UiContext = {
    client: openTracking(options.trackingUri),
    flowrunsDir: options.flowrunsDir ?? "flowruns",
    artifactsDir: options.artifactsDir ?? "data/artifacts",
    csrfToken: options.csrfToken ?? crypto.randomUUID(),
  };
  const app = new Hono();
  if (options.token !== undefined) app.use(requireToken(options.token));
  app.use(async (c, next) => {
    await next();
    // Downloads stay byte for byte what the run logged.
    if (c.res.headers.get("Content-Type")?.startsWith("text/html") && c.req.query("download") === undefined) {
      c.res = new Response(hidePaths(await c.res.text()), c.res);
    }
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'",
      );
    }
  });
  app.get("/static/style.css", (c) => c.body(STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8" }));
  app.get("/static/htmx.min.js", async (c) =>
    c.body(await Deno.readFile(HTMX_FILE), 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "max-age=3600",
    }));
  for (
    const routes of [
      homeRoutes,
      experimentRoutes,
      runRoutes,
      modelRoutes,
      flowRoutes,
      compareRoutes,
      driftRoutes,
      artifactRoutes,
    ]
  ) {
    app.route("/", routes(context));
  }
  app.notFound((c) => c.html(errorPage(404, `No page at ${new URL(c.req.url).pathname}`), 404));
  app.onError((error, c) => {
    const status = error instanceof UiError
      ? error.status
      : isTrackingError(error, "RESOURCE_DOES_NOT_EXIST") || isTrackingError(error, "INVALID_PARAMETER_VALUE")
      // Ids come from the URL: one the store rejects as malformed names nothing, like an unknown one.
      ? 404
      : 500;
    if (status === 500) console.error(error);
    const message = status === 500 ? "Internal error (see the server log)" : error.message;
    return c.html(errorPage(status, message), status);
  });
  return app;
}

/** The status line and message as a page (no stack, no server paths). */
function errorPage(status: number, message: string) {
  const title = status === 404 ? "Not found" : status === 400 ? "Bad request" : status === 403 ? "Forbidden" : "Error";
  return page(
    title,
    html`
      <h1>${status} ${title}</h1>
      <p class="error">${message}</p>
    `,
  );
}

/**
 * Pages never show absolute server paths: logged params, log lines, flow
 * parameters and store errors carry them, so every HTML response keeps only
 * each path's last segment. Attribute values (our own links) are quoted and
 * so untouched.
 */
function hidePaths(text: string): string {
  return text.replace(
    /(?<![\w:/.~"'=-])(?:file:)?(?:\/[^/\s"'<>,;:()&]+){2,}/g,
    (path) => `…/${path.slice(path.lastIndexOf("/") + 1)}`,
  );
}

/** Every request needs the token; a `?token=` link sets a cookie so later pages need not carry it. */
function requireToken(token: string) {
  const expected = new TextEncoder().encode(token);
  const matches = async (given: string | undefined) =>
    given !== undefined && await timingSafeEqual(new TextEncoder().encode(given), expected);
  return async (c: import("hono").Context, next: () => Promise<void>) => {
    const bearer = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    const query = c.req.query("token");
    if (await matches(query)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
    } else if (!(await matches(bearer)) && !(await matches(getCookie(c, TOKEN_COOKIE)))) {
      return c.html(errorPage(401, "This UI needs its token: open it with ?token=..."), 401);
    }
    await next();
  };
}
