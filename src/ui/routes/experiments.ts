/**
 * `/experiments` and `/experiments/:id`: the runs table. Nested runs stay
 * under their parent whatever the sort or filter (a parent that does not
 * match is shown greyed as context); columns, filter (MLflow syntax), sort and
 * page live in the query string; `?format=csv` exports every matching row.
 *
 * The table reads lazily: one search returns every run with only its parent
 * link, sort value and the filter's keys (the filter is applied here), and
 * only the rows of the page shown are read whole (their keys are the columns offered, as
 * MLflow's UI offers the keys of the runs it loaded). On the 5,000-run store
 * of `deno task bench:ui` this replaced reading every run's every file.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { filterRuns, parseSearchFilter, sortRuns } from "../../tracking/search.ts";
import { isTrackingError } from "../../tracking/errors.ts";
import { type Run } from "../../tracking/entities.ts";
import type { UiContext } from "../app.ts";
import { badge, formatNumber, formatTime, type Markup, page, withQuery } from "../views/layout.ts";

/**
 * Rows per page: a page holds whole groups (a run and its nested runs) up to
 * this many rows, and at least one group.
 */
export const PAGE_ROWS = 100;
const PARENT_TAG = "mlflow.parentRunId";
const EVERY_RUN = Number.MAX_SAFE_INTEGER;

/** A top-level run and its nested runs, as shown. */
export interface RunGroup {
  readonly run: Run;
  /** False when only a nested run matched the filter. */
  readonly matched: boolean;
  readonly children: readonly Run[];
}

/**
 * Groups the matching runs under their top-level ancestors and sorts both
 * levels by the same order, so children never leave their parent.
 *
 * @example
 * ```ts
 * declare const runs: import("../../tracking/entities.ts").Run[];
 * const groups = groupRuns(runs, runs, ["metrics.test_auc DESC"]);
 * ```
 */
export function groupRuns(all: readonly Run[], matching: readonly Run[], orderBy: readonly string[]): RunGroup[] {
  const byId = new Map(all.map((run) => [run.info.runId, run]));
  const rootOf = (run: Run): Run => {
    const seen = new Set<string>();
    let current = run;
    for (;;) {
      const parent = byId.get(current.data.tags[PARENT_TAG] ?? "");
      if (parent === undefined || seen.has(parent.info.runId)) return current;
      seen.add(current.info.runId);
      current = parent;
    }
  };
  const matchedIds = new Set(matching.map((run) => run.info.runId));
  const children = new Map<string, Run[]>();
  const roots = new Map<string, Run>();
  for (const run of matching) {
    const root = rootOf(run);
    roots.set(root.info.runId, root);
    if (root !== run) children.set(root.info.runId, [...children.get(root.info.runId) ?? [], run]);
  }
  return sortRuns([...roots.values()], orderBy).map((run) => ({
    run,
    matched: matchedIds.has(run.info.runId),
    children: sortRuns(children.get(run.info.runId) ?? [], orderBy),
  }));
}

/** The value of a column key (`metrics.x`, `params.x`, `tags.x`, `attributes.run_name`...). */
function cell(run: Run, column: string): string | number | undefined {
  const dot = column.indexOf(".");
  const [entity, key] = [column.slice(0, dot), column.slice(dot + 1)];
  if (entity === "metrics") return run.data.metrics[key];
  if (entity === "params") return run.data.params[key];
  if (entity === "tags") return run.data.tags[key];
  const info = run.info as unknown as Record<string, string | number | undefined>;
  return info[key.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase())];
}

const BASE_COLUMNS = [
  ["attributes.run_name", "run"],
  ["attributes.status", "status"],
  ["attributes.start_time", "started"],
] as const;

/**
 * The experiments routes.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = experimentRoutes(context);
 * ```
 */
export function experimentRoutes(context: UiContext): Hono {
  const { client } = context;
  return new Hono()
    .get("/experiments", async (c) => {
      const { items } = await client.listExperiments();
      return c.html(page(
        "Experiments",
        html`
          <h1>Experiments</h1>
          <table><tr><th>id</th><th>name</th><th>created</th></tr>${items.map((experiment) =>
            html`
              <tr>
                <td>${experiment.experimentId}</td>
                <td><a href="/experiments/${experiment.experimentId}">${experiment.name}</a></td>
                <td>${formatTime(experiment.creationTime)}</td>
              </tr>
            `
          )}</table>
        `,
      ));
    })
    .get("/experiments/:id", async (c) => {
      const experiment = await client.getExperiment(c.req.param("id"));
      const url = new URL(c.req.url);
      const filter = c.req.query("filter")?.trim() ?? "";
      const sort = c.req.query("sort") ?? "attributes.start_time";
      const descending = (c.req.query("dir") ?? (c.req.query("sort") ? "asc" : "desc")) === "desc";
      const order = `${sort} ${descending ? "DESC" : "ASC"}`;
      const experimentIds = [experiment.experimentId];
      let groups: RunGroup[] = [];
      let error: string | undefined;
      try {
        // One pass over the runs reads the parent links, the sort key and the filter's keys; the filter is then
        // applied here (a second search for it read every run's info again: 423 vs 264 ms warm in bench:ui).
        const filterColumns = parseSearchFilter(filter).filter((clause) => clause.entity !== "attribute")
          .map((clause) => `${clause.entity}s.\`${clause.key}\``);
        const structure = [`tags.${PARENT_TAG}`, ...(sort.startsWith("attributes.") ? [] : [sort]), ...filterColumns];
        const { items: all } = await client.searchRuns({ experimentIds, maxResults: EVERY_RUN, columns: structure });
        const matching = filter === "" ? all : filterRuns(all, filter);
        groups = groupRuns(all, matching, [order]);
      } catch (caught) {
        if (!isTrackingError(caught, "INVALID_PARAMETER_VALUE")) throw caught;
        error = caught.message;
      }
      const pages = paginate(groups);
      const current = Math.min(pages.length, Math.max(1, Number.parseInt(c.req.query("page") ?? "1") || 1));
      const shown = pages[current - 1];
      const full = await readRuns(client, experimentIds, shown.flatMap((group) => [group.run, ...group.children]));
      const metricKeys = [...new Set(full.flatMap((run) => Object.keys(run.data.metrics)))].sort();
      const paramKeys = [...new Set(full.flatMap((run) => Object.keys(run.data.params)))].sort();
      const available = [...metricKeys.map((key) => `metrics.${key}`), ...paramKeys.map((key) => `params.${key}`)];
      const chosen = c.req.queries("col") ?? available.filter((key) => key.startsWith("metrics.test_")).slice(0, 6);
      const columns = chosen.filter((key) => available.includes(key));
      const keys = [...BASE_COLUMNS.map(([key]) => key), ...columns];
      if (c.req.query("format") === "csv" && error === undefined) {
        const values = new Map(
          (await client.searchRuns({ experimentIds, maxResults: EVERY_RUN, columns })).items.map((
            run,
          ) => [run.info.runId, run]),
        );
        const rows = groups.flatMap((group) => [group.run, ...group.children])
          .map((run) => values.get(run.info.runId) ?? run);
        const csv = [["run_id", ...keys], ...rows.map((run) => [run.info.runId, ...keys.map((key) => cell(run, key))])]
          .map((row) => row.map(csvField).join(",")).join("\n") + "\n";
        return c.body(csv, 200, {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="experiment-${experiment.experimentId}-runs.csv"`,
        });
      }
      const byId = new Map(full.map((run) => [run.info.runId, run]));
      const whole = (run: Run) => byId.get(run.info.runId) ?? run;
      const header = (key: string, label: string) => {
        const active = key === sort;
        const next = active && !descending ? "desc" : "asc";
        const arrow = active ? (descending ? " ▼" : " ▲") : "";
        return html`<th class="${key.startsWith("metrics.") ? "num" : ""}"><a class="sort" href="${
          withQuery(url, { sort: key, dir: next, page: undefined })
        }">${label}${arrow}</a></th>`;
      };
      const row = (run: Run, kind: string): Markup =>
        html`
          <tr class="${kind}"
            data-run="${run.info.runId}"><td><input type="checkbox" name="runs" value="${run.info
              .runId}" form="compare">
          <a href="/runs/${run.info.runId}">${run.info.runName || run.info.runId}</a></td><td>${badge(
            run.info.status,
            "state",
          )}</td>
          <td>${formatTime(run.info.startTime)}</td>${columns.map((key) => {
            const value = cell(run, key);
            return typeof value === "number"
              ? html`<td class="num">${formatNumber(value)}</td>`
              : html`<td>${value ?? "-"}</td>`;
          })}</tr>
        `;
      return c.html(
        page(
          experiment.name,
          html`
            <h1>${experiment.name} <span class="muted small">experiment ${experiment.experimentId}</span></h1>
            <form class="bar" method="get"><label>filter (MLflow syntax)<input name="filter" size="60" value="${filter}"
            placeholder="metrics.test_auc > 0.8 and tags.family = 'linear'"></label>
            <input type="hidden" name="sort" value="${sort}"><input type="hidden" name="dir" value="${descending
              ? "desc"
              : "asc"}">
            ${columns.map((key) => html`<input type="hidden" name="col" value="${key}">`)}
            <button class="primary">Search</button> <a href="${withQuery(url, {
              format: "csv",
              page: undefined,
            })}">CSV export</a></form>
            ${error === undefined ? "" : html`<p class="error">Bad filter: ${error}</p>`}
            <details>
              <summary>Columns (${columns.length} of ${available.length})</summary>
              <form method="get" class="bar">
            <input type="hidden" name="filter" value="${filter}"><input type="hidden" name="sort" value="${sort}">
            <input type="hidden" name="dir" value="${descending ? "desc" : "asc"}">${available.map((key) =>
              html`<label style="flex-direction:row"><input type="checkbox" name="col" value="${key}" ${
                columns.includes(key) ? "checked" : ""
              }>${key}</label>`
            )}<button>Apply</button></form>
            </details>
            <form id="compare" method="get" action="/compare"><button>Compare selected runs</button></form>
            <p class="muted small">${groups.length} top-level runs; page ${current} of ${pages.length}</p>
            <table id="runs">
              <thead>
                <tr>${BASE_COLUMNS.map(([key, label]) => header(key, label))}${columns.map((key) =>
                  header(key, key.replace(/^(metrics|params)\./, ""))
                )}</tr>
              </thead>
              <tbody>${shown.map((group) => [
                row(whole(group.run), group.matched ? "parent" : "parent context"),
                ...group.children.map((child) => row(whole(child), "child")),
              ])}</tbody>
            </table>
            <div class="pager">${current > 1
              ? html`<a href="${withQuery(url, { page: String(current - 1) })}">previous</a>`
              : ""}${current < pages.length
              ? html`<a href="${withQuery(url, { page: String(current + 1) })}">next</a>`
              : ""}</div>
          `,
        ),
        error === undefined ? 200 : 400,
      );
    });
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Splits the groups into pages of at most {@link PAGE_ROWS} rows (a larger group gets a page of its own). */
function paginate(groups: readonly RunGroup[]): RunGroup[][] {
  const pages: RunGroup[][] = [[]];
  let rows = 0;
  for (const group of groups) {
    const size = 1 + group.children.length;
    if (rows > 0 && rows + size > PAGE_ROWS) {
      pages.push([]);
      rows = 0;
    }
    pages[pages.length - 1].push(group);
    rows += size;
  }
  return pages;
}

/** The whole runs (all keys) behind some rows, in one search by id. */
async function readRuns(client: UiContext["client"], experimentIds: string[], runs: readonly Run[]): Promise<Run[]> {
  if (runs.length === 0) return [];
  const ids = runs.map((run) => `'${run.info.runId.replaceAll("'", "''")}'`).join(", ");
  const filter = `attributes.run_id IN (${ids})`;
  return (await client.searchRuns({ experimentIds, filter, maxResults: runs.length })).items;
}
