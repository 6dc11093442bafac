/**
 * The page frame and the small formatting helpers every view shares.
 *
 * @module
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** What a view returns: escaped markup (possibly still resolving). */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * A full page: navigation, title, content. htmx is loaded from our own
 * server, so pages work offline; every page also works without it.
 *
 * @example
 * ```ts
 * import { html } from "hono/html";
 * const markup = await page("Runs", html`<p>none</p>`);
 * ```
 */
export function page(title: string, content: Markup): Markup {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        <title>${title} · Conversion scorecard</title>
        <link rel="stylesheet" href="/static/style.css">
        <link rel="icon" href="data:,">
        <script src="/static/htmx.min.js" defer></script>
      </head>
      <body>
        <nav class="top"><a class="brand" href="/">Conversion scorecard</a><a href="/experiments">Experiments</a>
    <a href="/models">Models</a><a href="/flows">Flow runs</a><a href="/drift">Drift</a><a href="/artifacts">Artifacts</a></nav>
        <main>${content}</main>
      </body>
    </html>
  `;
}

/**
 * A number for a table: 4 significant decimals, `-` when absent.
 *
 * @example
 * ```ts
 * formatNumber(0.923951); // "0.9240"
 * ```
 */
export function formatNumber(value: number | undefined | null): string {
  if (value === undefined || value === null) return "-";
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toFixed(4);
}

/**
 * A UTC timestamp without seconds' fractions.
 *
 * @example
 * ```ts
 * formatTime(0); // "1970-01-01 00:00:00"
 * ```
 */
export function formatTime(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return "-";
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * A coloured state badge (run, task or drift state).
 *
 * @example
 * ```ts
 * const markup = await badge("FINISHED", "state");
 * ```
 */
export function badge(value: string, kind: "state" | "status" | "alias"): Markup {
  const cls = kind === "alias" ? value : `${kind}-${value}`;
  return html`<span class="badge ${cls}">${value}</span>`;
}

/**
 * Inline SVG made by our own renderers (Plot, the run graph): trusted, so not escaped.
 *
 * @example
 * ```ts
 * const markup = await chart("<svg></svg>");
 * ```
 */
export function chart(svg: string): Markup {
  return html`<div class="plot">${raw(svg)}</div>`;
}

/**
 * A query string from the current one with some keys changed (`undefined` or
 * `""` removes a key): every view state lives in the URL.
 *
 * @example
 * ```ts
 * withQuery(new URL("http://x/e/1?sort=a&page=2"), { page: undefined }); // "?sort=a"
 * ```
 */
export function withQuery(url: URL, changes: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "") params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : "?";
}
