/**
 * `/runs/:id`: one run's params, metrics (last, min, max, history charts),
 * tags, parent and children, flow run, and artifacts with inline previews.
 * `/runs/:id/artifacts/<path>` serves an artifact: confined to the run's
 * artifact folder, HTML only inside a sandbox with a restrictive CSP.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import type { ArtifactInfo, Metric } from "../../tracking/entities.ts";
import { isTrackingError } from "../../tracking/errors.ts";
import type { Tracking } from "../../tracking/tracking.ts";
import { type UiContext, UiError } from "../app.ts";
import { artifactBrowser, artifactHeaders, type ArtifactSource, fileHref, requestedPath } from "../views/artifacts.ts";
import { badge, chart, formatNumber, formatTime, type Markup, page } from "../views/layout.ts";

const PARENT_TAG = "mlflow.parentRunId";
/** Every file of a run's artifact tree, depth first (the listing is per folder). */
async function artifactTree(client: Tracking, runId: string, path = ""): Promise<ArtifactInfo[]> {
  const entries = await client.listArtifacts(runId, path);
  const nested = await Promise.all(
    entries.map(async (entry) => entry.isDir ? [entry, ...await artifactTree(client, runId, entry.path)] : [entry]),
  );
  return nested.flat();
}

/**
 * The runs routes.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = runRoutes(context);
 * ```
 */
export function runRoutes(context: UiContext): Hono {
  const { client } = context;
  return new Hono()
    .get("/runs/:id/artifacts/*", async (c) => {
      const runId = c.req.param("id");
      const path = requestedPath(c.req.url, `/runs/${runId}/artifacts/`);
      const bytes = await client.readArtifact(runId, path).catch((error) => {
        throw isTrackingError(error, "RESOURCE_DOES_NOT_EXIST") ? new UiError(404, `No artifact ${path}`) : error;
      });
      return c.body(new Uint8Array(bytes), 200, artifactHeaders(path, c.req.query("download") !== undefined));
    })
    .get("/runs/:id/children", async (c) => {
      const run = await client.getRun(c.req.param("id"));
      const { items } = await client.searchRuns({
        experimentIds: [run.info.experimentId],
        filter: nestedFilter(run.info.runId),
        orderBy: ["attributes.run_name ASC"],
      });
      const list = items.length === 0 ? html`<section id="nested"></section>` : html`
        <section
          id="nested"><h2>Nested runs</h2><ul>${items.map((child) =>
            html`<li><a href="/runs/${child.info.runId}">${child.info.runName}</a> ${
              badge(child.info.status, "state")
            }</li>`
          )}</ul><a href="/compare?runs=${items.map((child) => child.info.runId).join(
            ",",
          )}">compare nested runs</a></section>
      `;
      return c.html(c.req.header("HX-Request") ? list : page(`Nested runs of ${run.info.runName}`, list));
    })
    .get("/runs/:id", async (c) => {
      const run = await client.getRun(c.req.param("id"));
      const { info, data } = run;
      const metricKeys = Object.keys(data.metrics).sort();
      const histories = new Map<string, Metric[]>(
        await Promise.all(
          metricKeys.map(async (key) => [key, await client.getMetricHistory(info.runId, key)] as const),
        ),
      );
      const parentId = data.tags[PARENT_TAG];
      const files = await artifactTree(client, info.runId);
      const charts = metricKeys.filter((key) => (histories.get(key)?.length ?? 0) > 1).map((key) =>
        html`<h3>${key}</h3>${
          chart(renderPlot({
            width: 520,
            height: 220,
            marginLeft: 50,
            y: { grid: true, label: key },
            x: { label: "step" },
            marks: [
              Plot.line(histories.get(key)!, { x: "step", y: "value" }),
              Plot.dot(histories.get(key)!, { x: "step", y: "value", tip: true }),
            ],
          }))
        }`
      );
      const flowRunId = data.tags.flow_run_id;
      return c.html(page(
        info.runName || info.runId,
        html`
          <h1>${info.runName || info.runId} ${badge(info.status, "state")}</h1>
          <table><tr><th>run id</th><td>${info.runId}</td></tr>
          <tr><th>experiment</th><td><a href="/experiments/${info.experimentId}">${info.experimentId}</a></td></tr>
          <tr><th>started / ended</th><td>${formatTime(info.startTime)} / ${formatTime(info.endTime)}</td></tr>
          ${parentId
            ? html`
              <tr>
                <th>parent run</th>
                <td><a href="/runs/${parentId}">${parentId}</a></td>
              </tr>
            `
            : ""}
          ${flowRunId
            ? html`
              <tr>
                <th>flow run</th>
                <td><a href="/flows/${flowRunId}">${flowRunId}</a></td>
              </tr>
            `
            : ""}
          </table>
          ${nestedRunsPlaceholder(info.runId, info.experimentId)}
          <h2>Metrics</h2><table
            id="metrics"><tr><th>metric</th><th class="num">last</th><th class="num">min</th><th class="num">max</th>
          <th class="num">values</th></tr>${metricKeys.map((key) => {
            const values = (histories.get(key) ?? []).map((metric) => metric.value);
            return html`
              <tr>
                <td>${key}</td>
                <td class="num">${formatNumber(data.metrics[key])}</td>
                <td class="num">${formatNumber(Math.min(...values))}</td>
                <td class="num">${formatNumber(Math.max(...values))}</td>
                <td class="num">${values.length}</td>
              </tr>
            `;
          })}</table>${charts.length === 0 ? "" : html`
            <h2>Metric history</h2>
            <div class="panels">${charts.map((item) => html`<div>${item}</div>`)}</div>
          `}
          <h2>Parameters</h2>${keyValueTable(data.params)}
          <h2>Tags</h2>${keyValueTable(data.tags)}
          <h2>Artifacts</h2>${files.length === 0
            ? html`<p class="muted">No artifacts.</p>`
            : artifactBrowser(runArtifacts(client, info.runId), files, c.req.query("artifact"))}
        `,
      ));
    });
}

function nestedFilter(runId: string): string {
  return `tags.\`${PARENT_TAG}\` = '${runId}'`;
}

/**
 * Finding nested runs means searching the whole experiment, too slow for a run
 * page on a large store: htmx loads the list after the page, and without
 * JavaScript the link opens the filtered runs table.
 */
function nestedRunsPlaceholder(runId: string, experimentId: string): Markup {
  const filter = encodeURIComponent(nestedFilter(runId));
  return html`
    <section id="nested" hx-get="/runs/${runId}/children" hx-trigger="load" hx-swap="outerHTML">
      <p><a href="/experiments/${experimentId}?filter=${filter}">nested runs</a></p>
    </section>
  `;
}

function keyValueTable(values: Readonly<Record<string, string>>): Markup {
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table>${
    keys.map((key) =>
      html`
        <tr>
          <th>${key}</th>
          <td class="wrap">${values[key]}</td>
        </tr>
      `
    )
  }</table>`;
}

/** A run's artifacts as a browsing source. */
function runArtifacts(client: Tracking, runId: string): ArtifactSource {
  return {
    readText: (path) => client.readArtifactText(runId, path),
    href: (path) => fileHref(`/runs/${runId}/artifacts`, path),
  };
}
