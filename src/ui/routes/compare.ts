/**
 * `/compare?runs=a,b,c`: params and metrics side by side (any experiments),
 * "differences only", a metric overlay and a scatter of two chosen columns.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { Run } from "../../tracking/entities.ts";
import { type UiContext, UiError } from "../app.ts";
import { chart, formatNumber, type Markup, page, withQuery } from "../views/layout.ts";

/**
 * The comparison route.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = compareRoutes(context);
 * ```
 */
export function compareRoutes(context: UiContext): Hono {
  return new Hono().get("/compare", async (c) => {
    const url = new URL(c.req.url);
    const ids = [...new Set((c.req.queries("runs") ?? []).flatMap((value) => value.split(",")).filter(Boolean))];
    if (ids.length < 2) throw new UiError(400, "Pick at least two runs to compare (?runs=ID,ID)");
    const runs = await Promise.all(ids.map((id) => context.client.getRun(id)));
    const differencesOnly = c.req.query("diff") === "1";
    const rows = (entity: "params" | "metrics") => {
      const keys = [...new Set(runs.flatMap((run) => Object.keys(run.data[entity])))].sort();
      return keys.filter((key) => {
        if (!differencesOnly) return true;
        const values = runs.map((run) => String(run.data[entity][key] ?? ""));
        return new Set(values).size > 1;
      });
    };
    const metricKeys = [...new Set(runs.flatMap((run) => Object.keys(run.data.metrics)))].sort();
    const fallback = (preferred: string, index: number) =>
      metricKeys.includes(preferred) ? preferred : metricKeys[index] ?? metricKeys[0] ?? "";
    const x = c.req.query("x") ?? fallback("test_auc", 0);
    const y = c.req.query("y") ?? fallback("test_logloss", 1);
    // Nested runs of different trainings share names (one "scorecard" per training): the id prefix tells them apart.
    const label = (run: Run) => `${run.info.runName || "run"} · ${run.info.runId.slice(0, 6)}`;
    const overlay = runs.flatMap((run) =>
      metricKeys.filter((key) => key.startsWith("test_")).map((key) => ({
        run: label(run),
        metric: key,
        value: run.data.metrics[key],
      }))
    );
    const points = runs.filter((run) => Number.isFinite(run.data.metrics[x]) && Number.isFinite(run.data.metrics[y]))
      .map((run) => ({ run: label(run), x: run.data.metrics[x], y: run.data.metrics[y] }));
    const table = (entity: "params" | "metrics"): Markup =>
      html`<table class="compare"><tr><th>${entity === "params" ? "parameter" : "metric"}</th>${
        runs.map((run) => html`<th><a href="/runs/${run.info.runId}">${label(run)}</a></th>`)
      }</tr>${
        rows(entity).map((key) =>
          html`<tr data-key="${key}"><td>${key}</td>${
            runs.map((run) => {
              const value = run.data[entity][key];
              return typeof value === "number"
                ? html`<td class="num">${formatNumber(value)}</td>`
                : html`<td>${value ?? "-"}</td>`;
            })
          }</tr>`
        )
      }</table>`;
    const select = (name: string, chosen: string) =>
      html`<label>${name}<select name="${name}">${
        metricKeys.map((key) => html`<option ${key === chosen ? "selected" : ""}>${key}</option>`)
      }</select></label>`;
    return c.html(page(
      "Compare runs",
      html`
        <h1>Compare ${runs.length} runs</h1>
        <p><a id="toggle-diff" href="${withQuery(url, { diff: differencesOnly ? undefined : "1" })}">${differencesOnly
          ? "show all rows"
          : "differences only"}</a></p>
        <h2>Parameters</h2>${table("params")}<h2>Metrics</h2>${table("metrics")}
        ${overlay.length === 0 ? "" : html`<h2>Test metrics overlay</h2>${
          chart(renderPlot({
            width: 900,
            height: 40 + 26 * new Set(overlay.map((d) => d.metric)).size * 1.2,
            marginLeft: 110,
            x: { grid: true, label: "value" },
            y: { label: null },
            color: { legend: true },
            marks: [Plot.dot(overlay, { x: "value", y: "metric", fill: "run", r: 5, tip: true })],
          }))
        }`}
        <h2>Scatter</h2><form method="get"
          class="bar"><input type="hidden" name="runs" value="${ids.join(",")}">${differencesOnly
            ? html`<input type="hidden" name="diff" value="1">`
            : ""}${select("x", x)}${select("y", y)}<button>Plot</button></form>${points.length === 0
            ? html`<p class="muted">No run has both ${x} and ${y}.</p>`
            : chart(renderPlot({
              width: 520,
              height: 360,
              marginLeft: 60,
              marginRight: 80,
              inset: 24,
              grid: true,
              x: { label: x },
              y: { label: y },
              marks: [
                Plot.dot(points, { x: "x", y: "y", r: 5, fill: "#0969da" }),
                Plot.text(points, { x: "x", y: "y", text: "run", dy: -10 }),
              ],
            }))}
      `,
    ));
  });
}
