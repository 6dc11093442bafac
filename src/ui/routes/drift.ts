/**
 * `/drift` and `/drift/:id`: batch-scoring runs and their drift reports
 * (status, score PSI, per-field PSI against the 0.1 and 0.25 bands, missing
 * and out-of-range shares), read from the runs' `drift/` artifacts.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../../plots/render.ts";
import { DRIFT_BANDS, type DriftReport } from "../../ops/drift.ts";
import type { Run } from "../../tracking/entities.ts";
import type { Tracking } from "../../tracking/tracking.ts";
import { type UiContext, UiError } from "../app.ts";
import { badge, chart, formatNumber, formatTime, page } from "../views/layout.ts";

/** The tag the batch-scoring flow sets on its tracking runs. */
const BATCH_FILTER = "tags.pipeline = 'batch-scoring'";

/**
 * The latest batch-scoring runs, newest first.
 *
 * @example
 * ```ts
 * declare const client: import("../../tracking/tracking.ts").Tracking;
 * const [last] = await latestBatchRuns(client, 1);
 * ```
 */
export async function latestBatchRuns(client: Tracking, limit: number): Promise<Run[]> {
  const { items } = await client.searchRuns({
    filter: BATCH_FILTER,
    orderBy: ["attributes.start_time DESC"],
    maxResults: limit,
  });
  return items;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * The drift routes.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = driftRoutes(context);
 * ```
 */
export function driftRoutes(context: UiContext): Hono {
  const { client } = context;
  return new Hono()
    .get("/drift", async (c) => {
      const runs = await latestBatchRuns(client, 200);
      return c.html(page(
        "Drift",
        html`<h1>Batch scoring and drift</h1>${
          runs.length === 0
            ? html`<p class="muted">No batch-scoring run yet: <code>deno task score:batch --tracking-uri ...</code> records one.</p>`
            : html`<table><tr><th>run</th><th>started</th><th>model</th><th>drift</th><th class="num">rows</th>
<th class="num">score PSI</th><th class="num">max field PSI</th></tr>${
              runs.map((run) =>
                html`
                  <tr>
                    <td><a href="/drift/${run.info.runId}">${run.info.runName}</a></td>
                    <td>${formatTime(run.info.startTime)}</td>
                    <td>${run.data.params.model_uri ?? "-"}</td>
                    <td>${badge(run.data.tags.drift_status ?? "unknown", "status")}</td>
                    <td class="num">${formatNumber(run.data.metrics.rows_out)}</td>
                    <td class="num">${formatNumber(run.data.metrics.score_psi)}</td>
                    <td class="num">${formatNumber(run.data.metrics.max_feature_psi)}</td>
                  </tr>
                `
              )
            }</table>`
        }`,
      ));
    })
    .get("/drift/:id", async (c) => {
      const run = await client.getRun(c.req.param("id"));
      const files = await client.listArtifacts(run.info.runId, "drift").catch(() => []);
      const json = files.find((file) => file.path.endsWith(".json"));
      const htmlReport = files.find((file) => file.path.endsWith(".html"));
      if (json === undefined) throw new UiError(404, `Run ${run.info.runId} has no drift report`);
      const report = JSON.parse(await client.readArtifactText(run.info.runId, json.path)) as DriftReport;
      const fields = [...report.features].sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0));
      const bars = fields.map((field) => ({ field: field.name, psi: field.psi ?? 0, status: field.status }));
      return c.html(page(
        `Drift ${run.info.runName}`,
        html`
          <h1>Drift: ${run.info.runName} ${badge(report.status, "status")}</h1>
          <table>
            <tr>
              <th>model</th>
              <td>${report.model.name ?? report.model.uri}${report.model.version === undefined
                ? ""
                : ` v${report.model.version}`} (${report.model.candidate})</td>
            </tr>
            <tr>
              <th>rows compared</th>
              <td class="num">${report.rows}</td>
            </tr>
            <tr>
              <th>score PSI</th>
              <td>${formatNumber(report.score.psi)} ${badge(report.score.status, "status")}</td>
            </tr>
            <tr>
              <th>run</th>
              <td><a href="/runs/${run.info.runId}">${run.info.runId}</a></td>
            </tr>
          </table>
          <h2>Field PSI</h2>${chart(renderPlot({
            width: 760,
            height: 40 + 24 * bars.length,
            marginLeft: 160,
            x: { grid: true, label: "PSI" },
            y: { label: null, domain: bars.map((bar) => bar.field) },
            color: { domain: ["stable", "warning", "alert"], range: ["#1a7f37", "#9a6700", "#cf222e"], legend: true },
            marks: [
              Plot.barX(bars, { x: "psi", y: "field", fill: "status" }),
              Plot.ruleX([DRIFT_BANDS.warning], { stroke: "#9a6700", strokeDasharray: "4 3" }),
              Plot.ruleX([DRIFT_BANDS.alert], { stroke: "#cf222e", strokeDasharray: "4 3" }),
            ],
          }))}
          <table><tr><th>field</th><th>status</th><th class="num">PSI</th><th class="num">missing</th><th class="num">training missing</th>
          <th class="num">out of range</th></tr>${fields.map((field) =>
            html`
              <tr>
                <td>${field.name}</td>
                <td>${badge(field.status, "status")}</td>
                <td class="num">${formatNumber(field.psi)}</td>
                <td class="num">${percent(field.missingShare)}</td>
                <td class="num">${field.trainMissingShare === null ? "-" : percent(field.trainMissingShare)}</td>
                <td class="num">${percent(field.outOfRangeShare)}</td>
              </tr>
            `
          )}</table>${htmlReport === undefined ? "" : html`
            <h2>Report</h2>
            <iframe class="report" sandbox="" title="drift report"
              src="/runs/${run.info.runId}/artifacts/${htmlReport.path}"></iframe>
          `}
        `,
      ));
    });
}
