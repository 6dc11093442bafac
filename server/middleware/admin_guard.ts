/**
 * What stands in front of the administration routes. A reload is cheap to
 * ask for and costly to serve, and any web page a user visits could once
 * trigger one (a cross-site `POST` with `Content-Type: text/plain` needs no
 * CORS preflight), so: a request from another origin is refused (its
 * `Origin` or `Sec-Fetch-Site` header says so); the body must be declared
 * `application/json` (which a cross-site page cannot send without a
 * preflight this server never grants); and when the server has an admin
 * token, `Authorization: Bearer TOKEN` must carry it (Hono's `bearerAuth`,
 * which compares in constant time). `main.ts` requires a token whenever the
 * server listens beyond loopback.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { detailError } from "./errors.ts";

/** What an admin token may consist of (what a Bearer header can carry), and its least length. */
export const ADMIN_TOKEN_RULE = /^[A-Za-z0-9._~+/-]{16,}$/;

/**
 * The guard of the admin routes; `token` undefined: no token is asked for
 * (a server on loopback without one).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.post("/admin/reload", adminGuard("a-long-random-admin-token"), (c) => c.json({ status: "reloaded" }));
 * ```
 */
export function adminGuard(token: string | undefined): MiddlewareHandler {
  const auth = token === undefined ? undefined : bearerAuth({
    token,
    noAuthenticationHeader: { message: { detail: "Admin routes need Authorization: Bearer <admin token>" } },
    invalidAuthenticationHeader: { message: { detail: "Malformed Authorization header: expected Bearer <token>" } },
    invalidToken: { message: { detail: "Invalid admin token" } },
  });
  return (c, next) => {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const crossSite = (origin !== undefined && origin !== new URL(c.req.url).origin) ||
      (site !== undefined && site !== "same-origin" && site !== "none");
    if (crossSite) return Promise.resolve(detailError(c, 403, "Cross-site requests to admin routes are refused"));
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return Promise.resolve(
        detailError(c, 415, "Admin routes take only Content-Type: application/json (an empty body or {})"),
      );
    }
    return auth ? auth(c, next) : next();
  };
}
