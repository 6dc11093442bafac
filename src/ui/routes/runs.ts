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
import type { TrackingClient } from "../../tracking/client.ts";
import { type UiContext, UiError } from "../app.ts";
import { badge, chart, formatNumber, formatTime, type Markup, page } from "../views/layout.ts";

const PARENT_TAG = "mlflow.parentRunId";
const TEXT_TYPES: Readonly<Record<string, string>> = {
  json: "application/json",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  yaml: "text/plain",
  yml: "text/plain",
  md: "text/plain",
  MLmodel: "text/plain",
};
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ...TEXT_TYPES,
  svg: "image/svg+xml",
  png: "image/png",
  html: "text/html",
  parquet: "application/octet-stream",
};
/** Served artifacts run nothing and load nothing: a report's own inline styles and images only. */
const ARTIFACT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
/** Larger text artifacts are download links only. */
const PREVIEW_BYTES = 256_000;

/**
 * A relative artifact path checked to stay inside the artifact root: `..`,
 * absolute paths, backslashes and empty segments are refused (404).
 *
 * @example
 * ```ts
 * confinedPath("report/index.html"); // "report/index.html"
 * ```
 */
export function confinedPath(path: string): string {
  const segments = path.split("/");
  if (
    path === "" || path.includes("\\") || path.includes("\0") ||
    segments.some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new UiError(404, `No artifact ${path}`);
  }
  return path;
}

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : name;
}

/** Every file of a run's artifact tree, depth first (the listing is per folder). */
async function artifactTree(client: TrackingClient, runId: string, path = ""): Promise<ArtifactInfo[]> {
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
      const prefix = `/runs/${runId}/artifacts/`;
      const path = confinedPath(decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length)));
      const bytes = await client.readArtifact(runId, path).catch((error) => {
        throw error instanceof Deno.errors.NotFound || error?.code === "RESOURCE_DOES_NOT_EXIST"
          ? new UiError(404, `No artifact ${path}`)
          : error;
      });
      const type = CONTENT_TYPES[extension(path)] ?? "application/octet-stream";
      const headers: Record<string, string> = {
        "Content-Type": type.startsWith("text/") || type === "application/json" ? `${type}; charset=utf-8` : type,
        "Content-Security-Policy": ARTIFACT_CSP,
      };
      if (c.req.query("download") !== undefined || !(extension(path) in CONTENT_TYPES)) {
        headers["Content-Disposition"] = `attachment; filename="${path.slice(path.lastIndexOf("/") + 1)}"`;
      }
      return c.body(new Uint8Array(bytes), 200, headers);
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
            : artifactBrowser(client, info.runId, files, c.req.query("artifact"))}
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

function artifactHref(runId: string, path: string): string {
  return `/runs/${runId}/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** The tree beside a preview of the chosen file (`?artifact=` keeps the choice in the URL). */
function artifactBrowser(
  client: TrackingClient,
  runId: string,
  files: readonly ArtifactInfo[],
  chosen: string | undefined,
): Markup {
  const selected = files.find((file) => !file.isDir && file.path === chosen);
  return html`
    <div class="artifacts" id="artifact">
      <table class="tree"><tr><th>path</th><th class="num">bytes</th><th></th></tr>${files.map((file) => {
        const depth = file.path.split("/").length - 1;
        const name = file.path.split("/").at(-1);
        return html`
          <tr class="${file === selected ? "selected" : ""}">
            <td style="padding-left:${10 + depth * 18}px">${file.isDir
              ? html`<strong>${name}/</strong>`
              : html`<a href="?artifact=${encodeURIComponent(file.path)}#artifact">${name}</a>`}</td>
            <td class="num">${file.fileSize ?? ""}</td>
            <td>${file.isDir ? "" : html`<a href="${artifactHref(runId, file.path)}?download">download</a>`}</td>
          </tr>
        `;
      })}</table>
      <section class="preview">${selected === undefined
        ? html`<p class="muted">Choose a file to preview it.</p>`
        : html`<h3>${selected.path}</h3>${preview(client, runId, selected)}`}</section>
    </div>
  `;
}

async function preview(client: TrackingClient, runId: string, file: ArtifactInfo): Promise<Markup> {
  const type = extension(file.path);
  const href = artifactHref(runId, file.path);
  if (type === "svg" || type === "png") return html`<img src="${href}" alt="${file.path}" class="artifact-image">`;
  if (type === "html") return html`<iframe class="report" sandbox="" src="${href}" title="${file.path}"></iframe>`;
  if (type in TEXT_TYPES && (file.fileSize ?? 0) <= PREVIEW_BYTES) {
    const text = await client.readArtifactText(runId, file.path);
    return html`<pre>${type === "json" ? JSON.stringify(JSON.parse(text), null, 2) : text}</pre>`;
  }
  return html`<p class="muted">No preview for this file: <a href="${href}?download">download it</a>.</p>`;
}
