/**
 * `/`: what a user checks first: the latest flow runs, each registered
 * model's champion and challenger with their test AUC, and the last batch
 * scoring with its drift status.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { listRunRecords } from "../../flow/record.ts";
import type { UiContext } from "../app.ts";
import { badge, formatNumber, formatTime, type Markup, page } from "../views/layout.ts";
import { aliasBadges, HOME_ALIASES, modelSummaries } from "./models.ts";
import { latestBatchRuns } from "./drift.ts";
import { readScheduleState, type ScheduleState } from "../../ops/schedule_state.ts";
import { formatDuration } from "../../flow/units.ts";

/**
 * A recorded next run this far in the past, with no run going on, means the
 * scheduler is no longer running (killed without a chance to record it).
 */
const OVERDUE_MS = 60_000;

/**
 * The home page route.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = homeRoutes(context);
 * ```
 */
export function homeRoutes(context: UiContext): Hono {
  return new Hono().get("/", async (c) => {
    const [flows, models, batches, schedule] = await Promise.all([
      listRunRecords(context.flowrunsDir, 5),
      modelSummaries(context.client),
      latestBatchRuns(context.client, 1),
      readScheduleState(context.flowrunsDir).catch((error: Error) => error),
    ]);
    const batch = batches[0];
    return c.html(page(
      "Overview",
      html`
        <h1>Overview</h1>
        <div class="panels">
          <section class="panel"><h2>Latest flow runs</h2>${flows.length === 0
            ? html`<p class="muted">No flow runs yet.</p>`
            : html`<table><tr><th>flow run</th><th>state</th>
<th>started</th><th class="num">tasks</th></tr>${
              flows.map((flow) =>
                html`
                  <tr>
                    <td><a href="/flows/${flow.id}">${flow.name}</a><div class="small muted">${flow.id}</div></td>
                    <td>${badge(flow.state, "state")}</td>
                    <td>${formatTime(flow.start)}</td>
                    <td class="num">${flow.taskRuns}</td>
                  </tr>
                `
              )
            }</table>`}<a href="/flows">all flow runs</a></section>
          <section class="panel"><h2>Registered models</h2>${models.length === 0
            ? html`<p class="muted">No registered model yet.</p>`
            : html`<table id="home-models"><tr><th>model</th>
<th>alias</th><th>version</th><th class="num">test AUC</th></tr>${
              models.flatMap((model) =>
                model.aliases.map((alias) =>
                  html`
                    <tr>
                      <td><a href="/models/${model.name}">${model.name}</a></td>
                      <td>${aliasBadges([alias.alias])}</td>
                      <td><a href="/models/${model.name}/versions/${alias.version}">v${alias.version}</a></td>
                      <td class="num">${formatNumber(alias.testAuc)}</td>
                    </tr>
                  `
                )
              )
            }</table>${
              // Only where both aliases exist: a link to a comparison that cannot resolve would be a 404.
              models.filter((model) => model.aliases.length === HOME_ALIASES.length).map((model) =>
                html`
                  <a href="/models/${model.name}/compare?a=champion&b=challenger">compare ${model
                    .name} champion and challenger</a>
                `
              )}`}</section>
          <section class="panel"><h2>Last batch scoring</h2>${batch === undefined
            ? html`<p class="muted">No batch scoring run yet.</p>`
            : html`
              <p><a href="/drift/${batch.info.runId}">${batch.info.runName}</a>
              ${badge(batch.info.status, "state")} drift ${badge(
                batch.data.tags.drift_status ?? "unknown",
                "status",
              )}</p>
              <table>
                <tr>
                  <th>started</th>
                  <td>${formatTime(batch.info.startTime)}</td>
                </tr>
                <tr>
                  <th>model</th>
                  <td>${batch.data.params.model_uri ?? "-"}</td>
                </tr>
                <tr>
                  <th>rows scored</th>
                  <td class="num">${formatNumber(batch.data.metrics.rows_out)}</td>
                </tr>
                <tr>
                  <th>score PSI</th>
                  <td class="num">${formatNumber(batch.data.metrics.score_psi)}</td>
                </tr>
                <tr>
                  <th>largest field PSI</th>
                  <td class="num">${formatNumber(batch.data.metrics.max_feature_psi)}</td>
                </tr>
                <tr>
                  <th>fields in warning / alert</th>
                  <td class="num">${formatNumber(batch.data.metrics.features_warning)} / ${formatNumber(
                    batch.data.metrics.features_alert,
                  )}</td>
                </tr>
              </table>
            `}</section>
          ${schedulePanel(schedule, new Date())}
        </div>
      `,
    ));
  });
}

/** The retraining schedule: its next run, the run in progress, the last outcome, or why there is none. */
function schedulePanel(schedule: ScheduleState | Error | undefined, now: Date): Markup {
  const body = schedule === undefined
    ? html`<p class="muted">No schedule configured: <code>deno task schedule --cron "0 1 * * *"</code> retrains on
one and shows its next run here.</p>`
    : schedule instanceof Error
    ? html`<p class="error">The schedule's state cannot be read: ${schedule.message}</p>`
    : html`
      <table id="schedule">
        <tr>
          <th>cron</th>
          <td><code>${schedule.cron}</code>${schedule.timezone
            ? ` (${schedule.timezone})`
            : " (the scheduler's system time zone)"}</td>
        </tr>
        <tr>
          <th>next run</th>
          <td id="schedule-next">${scheduleStatus(schedule, now)}</td>
        </tr>
        <tr>
          <th>last run</th>
          <td>${schedule.lastRun === null
            ? "-"
            : html`run ${schedule.lastRun.run} ${
              badge(schedule.lastRun.outcome === "finished" ? "Completed" : "Failed", "state")
            } ${formatTime(schedule.lastRun.at)}`}</td>
        </tr>
        <tr>
          <th>scheduler started</th>
          <td>${formatTime(schedule.startedAt)}</td>
        </tr>
      </table>
    `;
  return html`<section class="panel"><h2>Retraining schedule</h2>${body}</section>`;
}

function scheduleStatus(schedule: ScheduleState, now: Date): Markup | string {
  if (schedule.stopped !== null) {
    return html`none: the scheduler stopped ${formatTime(schedule.stopped.at)} (${schedule.stopped.reason})`;
  }
  if (schedule.running !== null) return html`${badge("Running", "state")} run ${schedule.running} is in progress`;
  if (schedule.next === null) return "-";
  const late = now.getTime() - Date.parse(schedule.next);
  return late > OVERDUE_MS
    ? html`${formatTime(schedule.next)} UTC <span class="badge status-warning">overdue</span>
<span class="small muted">the scheduler seems to have stopped without recording it</span>`
    : html`<strong>${formatTime(schedule.next)} UTC</strong> <span class="muted">(in ${
      formatDuration(Math.max(0, Date.parse(schedule.next) - now.getTime()))
    })</span>`;
}
