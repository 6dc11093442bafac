/**
 * `/flows` (filter by state and name) and `/flows/:id` with tabs: the run
 * graph, task runs (attempts, cache, errors), logs (level filter, download)
 * and parameters. A running flow's page polls itself through htmx.
 *
 * @module
 */
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { listRunRecords, readRunRecord } from "../../flow/record.ts";
import type { FlowRunRecord } from "../../flow/record.ts";
import { renderRunGraph } from "../../flow/graph.ts";
import { type UiContext, UiError } from "../app.ts";
import { badge, chart, formatTime, type Markup, page, withQuery } from "../views/layout.ts";

const TABS = ["graph", "tasks", "logs", "parameters"] as const;
const LEVELS = ["debug", "info", "warn", "error"];
const ACTIVE_STATES = new Set(["Pending", "Running", "Retrying"]);
/** How often a running flow's page refreshes. */
const POLL_SECONDS = 2;

/**
 * The flow-run routes.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = flowRoutes(context);
 * ```
 */
export function flowRoutes(context: UiContext): Hono {
  const read = async (id: string): Promise<FlowRunRecord> => {
    if (!/^[\w-]+$/.test(id)) throw new UiError(404, `No flow run ${id}`);
    try {
      return await readRunRecord(context.flowrunsDir, id);
    } catch {
      throw new UiError(404, `No flow run ${id}`);
    }
  };
  return new Hono()
    .get("/flows", async (c) => {
      const state = c.req.query("state") ?? "";
      const name = c.req.query("name") ?? "";
      const all = await listRunRecords(context.flowrunsDir);
      const shown = all.filter((run) => (state === "" || run.state === state) && run.name.includes(name));
      const states = [...new Set(all.map((run) => run.state))].sort();
      return c.html(page(
        "Flow runs",
        html`
          <h1>Flow runs</h1><form method="get"
            class="bar"><label>state<select name="state"><option value="">any</option>${states.map((value) =>
              html`<option ${value === state ? "selected" : ""}>${value}</option>`
            )}</select></label><label>name contains<input name="name" value="${name}"></label><button>Filter</button></form>
          <table id="flows"><tr><th>flow run</th><th>flow</th><th>state</th><th>started</th><th class="num">seconds</th>
          <th class="num">task runs</th></tr>${shown.map((run) =>
            html`
              <tr>
                <td><a href="/flows/${run.id}">${run.id}</a></td>
                <td>${run.name}</td>
                <td>${badge(run.state, "state")}</td>
                <td>${formatTime(run.start)}</td>
                <td class="num">${run.durationMs === undefined ? "-" : (run.durationMs / 1000).toFixed(1)}</td>
                <td class="num">${run.taskRuns}</td>
              </tr>
            `
          )}</table>${shown.length === 0 ? html`<p class="muted">No flow run matches.</p>` : ""}
        `,
      ));
    })
    .get("/flows/:id/logs.txt", async (c) => {
      const record = await read(c.req.param("id"));
      const text = record.logs.map((log) =>
        `${log.time} ${log.level.toUpperCase()} ${log.taskRun ?? record.name} ${log.message}`
      )
        .join("\n");
      return c.body(`${text}\n`, 200, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${record.id}.log"`,
      });
    })
    .get("/flows/:id", async (c) => {
      const record = await read(c.req.param("id"));
      const url = new URL(c.req.url);
      const tab = TABS.find((name) => name === c.req.query("tab")) ?? "graph";
      const running = ACTIVE_STATES.has(record.state);
      const poll = running
        ? raw(
          ` hx-get="${url.pathname}${url.search}" hx-trigger="every ${POLL_SECONDS}s" hx-select="#flow" hx-swap="outerHTML"`,
        )
        : "";
      return c.html(page(
        `Flow run ${record.id}`,
        html`
          <div id="flow" ${poll}><h1>${record.name} ${badge(record.state, "state")}</h1>
          <p class="muted">${record.id} · started ${formatTime(record.start)}${record.durationMs === undefined
            ? ""
            : ` · ${(record.durationMs / 1000).toFixed(1)} s`} · ${record.taskRuns.length} task runs${running
            ? " · updates live"
            : ""}</p>
          ${record.error ? html`<pre class="error">${record.error.name}: ${record.error.message}</pre>` : ""}
          <nav class="tabs">${TABS.map((name) =>
            html`<a href="${withQuery(url, { tab: name })}" class="${name === tab ? "active" : ""}">${name}</a>`
          )}</nav>${tabContent(record, tab, c.req.query("level") ?? "", running)}</div>
        `,
      ));
    });
}

function tabContent(record: FlowRunRecord, tab: typeof TABS[number], level: string, running: boolean): Markup {
  if ((tab === "graph" || tab === "tasks") && record.taskRuns.length === 0) {
    // Task runs appear as the flow saves its progress; an empty chart or table would look broken.
    return html`<p class="muted" id="no-tasks">${
      running
        ? `No task runs recorded yet: they appear as they start (this page refreshes every ${POLL_SECONDS} s).`
        : "This flow run recorded no task runs."
    }</p>`;
  }
  if (tab === "graph") return chart(renderRunGraph(record));
  if (tab === "parameters") return html`<pre>${JSON.stringify(record.parameters, null, 2)}</pre>`;
  if (tab === "logs") {
    const minimum = Math.max(0, LEVELS.indexOf(level));
    const logs = record.logs.filter((log) => LEVELS.indexOf(log.level.toLowerCase()) >= minimum);
    return html`<form method="get" class="bar"><input type="hidden" name="tab" value="logs"><label>level at least
<select name="level">${
      LEVELS.map((name) => html`<option ${name === level ? "selected" : ""}>${name}</option>`)
    }</select></label><button>Filter</button> <a href="/flows/${record.id}/logs.txt">download logs</a></form>
<table id="logs"><tr><th>time</th><th>level</th><th>task run</th><th>message</th></tr>${
      logs.map((log) =>
        html`
          <tr class="log-${log.level}">
            <td>${formatTime(log.time)}</td>
            <td>${log.level}</td>
            <td>${log.taskRun ?? ""}</td>
            <td>${log.message}</td>
          </tr>
        `
      )
    }</table>`;
  }
  return html`<table id="tasks"><tr><th>task run</th><th>state</th><th class="num">attempts</th><th class="num">seconds</th>
<th>cache</th><th>error</th></tr>${
    record.taskRuns.map((task) =>
      html`
        <tr data-task="${task.id}">
          <td>${task.name}</td>
          <td>${badge(task.state, "state")}</td>
          <td class="num">${task.attempts.length}</td>
          <td class="num">${task.durationMs === undefined ? "-" : (task.durationMs / 1000).toFixed(2)}</td>
          <td>${task.cache.status}${task.cache.key
            ? html`<div class="small muted">${task.cache.key.slice(0, 16)}…</div>`
            : ""}</td>
          <td>${task.error
            ? html`
              <details>
                <summary>${task.error.name}: ${task.error.message}</summary>
                <pre>${task.error.stack ?? ""}</pre>
              </details>
            `
            : ""}${task.attempts.filter((attempt) => attempt.error).map((attempt) =>
              html`<div class="small">attempt ${attempt.attempt}: ${attempt.error?.message}</div>`
            )}</td>
        </tr>
      `
    )
  }</table>`;
}
