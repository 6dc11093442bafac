/**
 * The registry: `/models`, `/models/:name`, `/models/:name/versions/:v`, the
 * scorecard with its what-if form (`/scorecard`, scored by the server's
 * Scorer), `/models/:name/compare?a=&b=` and the one write of the UI,
 * `POST /models/:name/promote` (CSRF token and same-origin check).
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { loadModel } from "../../bundle/load_model.ts";
import { Scorer } from "../../bundle/scorer.ts";
import type { BundleField, ModelBundle } from "../../bundle/bundle.ts";
import { driftStatus } from "../../ops/drift.ts";
import {
  type ComparedVersion,
  compareOnHeldout,
  type HeldoutComparison,
  type NoComparison,
  type RowsFrom,
} from "../model_comparison.ts";
import type { ModelVersion } from "../../tracking/entities.ts";
import type { Tracking } from "../../tracking/tracking.ts";
import { type UiContext, UiError } from "../app.ts";
import { badge, chart, formatNumber, formatTime, type Markup, page, withQuery } from "../views/layout.ts";

/** The aliases the overview shows, in this order. */
export const HOME_ALIASES = ["champion", "challenger"];
const COMPARED_METRICS = ["auc", "gini", "ks", "logloss", "brier"] as const;
/** How many version comparisons stay cached (each holds two SVG charts and a few metric tables: tens of kB). */
const COMPARISONS_KEPT = 32;
/**
 * Below this many rows the score PSI gets a caution: with 10 bands an empty
 * band contributes (0.1 - 1e-4)·ln(0.1 / 1e-4) ≈ 0.69, and at 50 rows per
 * band a band empties by chance.
 */
const PSI_STEADY_ROWS = 500;
/** Lower is better for these (a negative delta is an improvement). */
const LOWER_IS_BETTER = new Set(["logloss", "brier"]);

/** A registered model with its champion and challenger. */
export interface ModelSummary {
  readonly name: string;
  readonly aliases: readonly { readonly alias: string; readonly version: number; readonly testAuc?: number }[];
}

/**
 * Every registered model with its champion and challenger and their source runs' test AUC.
 *
 * @example
 * ```ts
 * declare const client: import("../../tracking/tracking.ts").Tracking;
 * const models = await modelSummaries(client);
 * ```
 */
export async function modelSummaries(client: Tracking): Promise<ModelSummary[]> {
  const { items } = await client.listRegisteredModels();
  return await Promise.all(items.map(async (model) => ({
    name: model.name,
    aliases: await Promise.all(
      HOME_ALIASES.filter((alias) => alias in model.aliases).map(async (alias) => {
        const version = await client.getModelVersion(model.name, model.aliases[alias]);
        return { alias, version: version.version, testAuc: await testAuc(client, version) };
      }),
    ),
  })));
}

async function testAuc(client: Tracking, version: ModelVersion): Promise<number | undefined> {
  if (version.runId === null) return undefined;
  return (await client.getRun(version.runId)).data.metrics.test_auc;
}

/**
 * Alias badges (champion and challenger coloured).
 *
 * @example
 * ```ts
 * const markup = await aliasBadges(["champion"]);
 * ```
 */
export function aliasBadges(aliases: readonly string[]): Markup {
  return html`${
    aliases.map((alias) =>
      html`
        <span class="badge ${alias}" data-alias="${alias}">@${alias}</span>
      `
    )
  }`;
}

/**
 * The model routes. Bundles are read once per version (versions are immutable).
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = modelRoutes(context);
 * ```
 */
export function modelRoutes(context: UiContext): Hono {
  const { client } = context;
  const scorers = promiseCache<Scorer>();
  const scorer = (name: string, version: number): Promise<Scorer> =>
    scorers(
      `${name}/${version}`,
      async () => new Scorer((await loadModel(`models:/${name}/${version}`, client.trackingUri)).bundle),
    );
  // Versions and their training runs' samples do not change, so a comparison is computed once per pair and choice of
  // rows: at the 5,000-row cap it takes about 0.5 s on the loaded test machine (reading the sample, scoring both,
  // charts), a cached one nothing.
  const comparisons = promiseCache<HeldoutComparison | NoComparison>(COMPARISONS_KEPT);
  const comparison = (a: ComparedVersion, b: ComparedVersion, rows: RowsFrom | undefined) =>
    comparisons(
      `${a.version.name}/${a.version.version}/${b.version.version}/${rows ?? ""}`,
      () => compareOnHeldout(client, a, b, rows),
    );
  const resolveVersion = async (name: string, ref: string): Promise<ModelVersion> => {
    if (/^v?\d+$/.test(ref)) return await client.getModelVersion(name, ref.replace(/^v/, ""));
    return await client.getModelVersionByAlias(name, ref);
  };
  return new Hono()
    .get("/models", async (c) => {
      const { items } = await client.listRegisteredModels();
      return c.html(page(
        "Models",
        html`
          <h1>Registered models</h1>
          <table><tr><th>name</th><th>aliases</th><th>updated</th></tr>${items.map((model) =>
            html`
              <tr>
                <td><a href="/models/${model.name}">${model.name}</a></td>
                <td>${Object.entries(model.aliases).map(([alias, version]) =>
                  html`
                    ${aliasBadges([alias])} v${version}
                  `
                )}</td>
                <td>${formatTime(model.lastUpdatedTimestamp)}</td>
              </tr>
            `
          )}</table>
        `,
      ));
    })
    .get("/models/:name", async (c) => {
      const model = await client.getRegisteredModel(c.req.param("name"));
      const { items: versions } = await client.listModelVersions(model.name);
      const rows = await Promise.all(
        versions.sort((a, b) => b.version - a.version).map(async (version) => ({
          version,
          auc: await testAuc(client, version),
        })),
      );
      return c.html(page(
        model.name,
        html`<h1>${model.name}</h1>${model.description ? html`<p>${model.description}</p>` : ""}
${compareLink(model.name, model.aliases, versions.map((version) => version.version))}
<table id="versions"><tr><th>version</th><th>aliases</th><th>tags</th><th>source run</th><th class="num">test AUC</th>
<th>registered</th></tr>${
          rows.map(({ version, auc }) =>
            html`
              <tr data-version="${version.version}">
                <td><a href="/models/${model.name}/versions/${version.version}">v${version.version}</a></td>
                <td>${aliasBadges(version.aliases)}</td>
                <td class="small">${Object.entries(version.tags).map(([key, value]) => html`${key}=${value}<br>`)}</td>
                <td>${version.runId
                  ? html`<a href="/runs/${version.runId}">${version.runId.slice(0, 8)}</a>`
                  : "-"}</td>
                <td class="num">${formatNumber(auc)}</td>
                <td>${formatTime(version.creationTimestamp)}</td>
              </tr>
            `
          )
        }</table>`,
      ));
    })
    .get("/models/:name/versions/:v", async (c) => {
      const version = await resolveVersion(c.req.param("name"), c.req.param("v"));
      const { bundle } = await scorer(version.name, version.version);
      return c.html(page(
        `${version.name} v${version.version}`,
        html`
          <h1>${version.name} v${version.version} ${aliasBadges(version.aliases)}</h1>
          <p><a href="/models/${version.name}/versions/${version.version}/scorecard">scorecard and what-if</a></p>
          <table>
            <tr>
              <th>candidate</th>
              <td>${bundle.candidate}</td>
            </tr>
            <tr>
              <th>description</th>
              <td>${bundle.description}</td>
            </tr>
            <tr>
              <th>source run</th>
              <td>${version.runId ? html`<a href="/runs/${version.runId}">${version.runId}</a>` : "-"}</td>
            </tr>
            <tr>
              <th>registered</th>
              <td>${formatTime(version.creationTimestamp)}</td>
            </tr>
            <tr>
              <th>threshold</th>
              <td>${formatNumber(bundle.threshold.probability)} (${bundle.threshold.rule})</td>
            </tr>
            <tr>
              <th>rows</th>
              <td>${bundle.metrics.trainRows} train, ${bundle.metrics.testRows} test</td>
            </tr>
            <tr>
              <th>CV AUC</th>
              <td>${formatNumber(bundle.metrics.cv.meanAuc)} ± ${formatNumber(bundle.metrics.cv.stdAuc)}</td>
            </tr>
            <tr>
              <th>tags</th>
              <td>${Object.entries(version.tags).map(([key, value]) => html`${key}=${value}<br>`)}</td>
            </tr>
          </table>
          <h2>Test metrics</h2><table>${Object.entries(bundle.metrics.test).map(([key, value]) =>
            html`
              <tr>
                <th>${key}</th>
                <td class="num">${formatNumber(value)}</td>
              </tr>
            `
          )}</table>${inputSchema(bundle)}
        `,
      ));
    })
    .get("/models/:name/versions/:v/scorecard", async (c) => {
      const version = await resolveVersion(c.req.param("name"), c.req.param("v"));
      const scoring = await scorer(version.name, version.version);
      const { bundle } = scoring;
      const query = c.req.query();
      const asked = bundle.fields.some((field) => (query[field.name] ?? "") !== "");
      // Until the form is sent it shows the reason-code reference: a typical converting customer to vary.
      const shown = (field: BundleField): string => {
        if (asked) return query[field.name] ?? "";
        const reference = field.reference;
        return reference === null
          ? ""
          : typeof reference === "number"
          ? String(Number(reference.toPrecision(6)))
          : reference;
      };
      let result: Markup = html``;
      let status: 200 | 400 = 200;
      if (asked) {
        const record = Object.fromEntries(
          bundle.fields.filter((field) => (query[field.name] ?? "") !== "").map((field) => {
            const raw = query[field.name];
            const value = field.kind === "numeric" ? Number(raw) : raw;
            if (field.kind === "numeric" && !Number.isFinite(value)) {
              throw new UiError(400, `Field ${field.name}: "${raw}" is not a number`);
            }
            return [field.name, value];
          }),
        );
        try {
          const [score] = scoring.scoreRecords([record]);
          result = html`<section class="panel" id="what-if-result"><h2>Result</h2><table>
<tr><th>probability</th><td class="num" data-probability="${score.probability}">${
            formatNumber(score.probability)
          }</td></tr>
<tr><th>score</th><td class="num">${score.score.toFixed(1)}</td></tr>
<tr><th>decision</th><td>${score.decision}</td></tr></table>
<h3>Reason codes</h3>${
            score.reasons.length === 0
              ? html`<p class="muted">None: no feature lowers the score.</p>`
              : html`<ol>${
                score.reasons.map((reason) =>
                  html`<li>${reason.feature} = ${reason.value ?? "missing"}: ${reason.points.toFixed(1)} points</li>`
                )
              }</ol>`
          }</section>`;
        } catch (error) {
          status = 400;
          result = html`<p class="error">${error instanceof Error ? error.message : String(error)}</p>`;
        }
      }
      return c.html(
        page(
          `Scorecard ${version.name} v${version.version}`,
          html`
            <h1>Scorecard: <a href="/models/${version.name}/versions/${version.version}">${version.name} v${version
              .version}</a>
            ${aliasBadges(version.aliases)}</h1>
            <p>Points scaling: ${bundle.scaling.basePoints} points at odds ${bundle.scaling.baseOdds}:1, ${bundle
              .scaling.pdo} points to
            double the odds. Decision threshold: probability ${formatNumber(bundle.threshold.probability)}.</p>
            <div class="panels">
              <section><h2>What if</h2><p class="small muted">Starts from a typical converting customer (the reason-code reference); change fields and score.</p><form method="get" class="bar" id="what-if">${bundle
                .fields.map((field) =>
                  field.kind === "categorical"
                    ? html`<label>${field.name}<select name="${field.name}"><option value="">(missing)</option>${
                      (field.levels ?? []).map((level) =>
                        html`<option ${shown(field) === level ? "selected" : ""}>${level}</option>`
                      )
                    }</select></label>`
                    : html`<label title="${
                      field.description ?? ""
                    }">${field.name}<input type="number" step="any" name="${field.name}"
 value="${shown(field)}"></label>`
                )}<button class="primary">Score</button></form>${result}</section>
              <section><h2>Points</h2>${pointsTable(bundle)}</section>
            </div>
          `,
        ),
        status,
      );
    })
    .get("/models/:name/compare", async (c) => {
      const name = c.req.param("name");
      const rowsParam = c.req.query("rows") ?? "";
      if (rowsParam !== "" && rowsParam !== "a" && rowsParam !== "b") {
        throw new UiError(400, `rows must be a or b (whose held-out rows to score), got "${rowsParam}"`);
      }
      const [a, b] = await Promise.all([
        resolveVersion(name, c.req.query("a") ?? "champion"),
        resolveVersion(name, c.req.query("b") ?? "challenger"),
      ]);
      const [left, right] = await Promise.all([scorer(name, a.version), scorer(name, b.version)]);
      const heldout = await comparison(
        { version: a, scorer: left },
        { version: b, scorer: right },
        rowsParam === "" ? undefined : rowsParam,
      );
      const url = new URL(c.req.url);
      return c.html(page(
        `Compare ${name}`,
        html`<h1>${name}: v${a.version} vs v${b.version}</h1>
<form method="get" class="bar"><label>A<input name="a" value="${c.req.query("a") ?? "champion"}"></label>
<label>B<input name="b" value="${c.req.query("b") ?? "challenger"}"></label><button>Compare</button></form>
${heldoutSection(heldout, url, a, b)}
<h2>As logged by each training</h2>
<p class="small muted">Each version's own test metrics, on its own training's test rows (not comparable when the
trainings used different data).</p>
<table id="logged-metrics"><tr><th>metric (own test rows)</th><th class="num">A: v${a.version} ${
          aliasBadges(a.aliases)
        }</th>
<th class="num">B: v${b.version} ${aliasBadges(b.aliases)}</th><th class="num">B − A</th></tr>${
          COMPARED_METRICS.map((key) => metricRow(key, left.bundle.metrics.test[key], right.bundle.metrics.test[key]))
        }</table>
<h2>Promote</h2><p>Move an alias to a version (the only change this UI makes to the store).</p>
${
          HOME_ALIASES.flatMap((alias) =>
            [a, b].filter((version) => !version.aliases.includes(alias)).map((version) =>
              html`
                <form method="post" action="/models/${name}/promote" class="inline">
                <input type="hidden" name="csrf" value="${context
                  .csrfToken}"><input type="hidden" name="alias" value="${alias}">
                <input type="hidden" name="version" value="${version
                  .version}"><input type="hidden" name="back" value="${new URL(c.req.url)
                  .search}"><button class="primary" data-promote="${alias}-${version.version}">Make v${version
                  .version} @${alias}</button></form>
              `
            )
          )
        }`,
      ));
    })
    .post("/models/:name/promote", async (c) => {
      const name = c.req.param("name");
      const origin = c.req.header("Origin");
      if (origin !== new URL(c.req.url).origin) {
        throw new UiError(403, "Promotion refused: the request is not from this UI");
      }
      const form = await c.req.parseBody();
      if (form.csrf !== context.csrfToken) throw new UiError(403, "Promotion refused: missing or wrong CSRF token");
      const alias = String(form.alias ?? "");
      if (!/^[A-Za-z][\w-]*$/.test(alias) || /^v\d+$/.test(alias)) throw new UiError(400, `Bad alias "${alias}"`);
      const version = await client.getModelVersion(name, String(form.version ?? ""));
      await client.setAlias(name, alias, version.version);
      const back = String(form.back ?? "");
      return c.redirect(`/models/${encodeURIComponent(name)}/compare${back.startsWith("?") ? back : ""}`, 303);
    });
}

/**
 * `make()`'s promise per key, made once; a rejected one is forgotten so that
 * the next request tries again, and beyond `limit` keys the oldest goes.
 */
function promiseCache<T>(limit = Infinity): (key: string, make: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  return (key, make) => {
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = make();
      entry.catch(() => entries.delete(key));
      entries.set(key, entry);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    }
    return entry;
  };
}

/**
 * The comparison a model page offers: champion and challenger when both
 * exist, else the champion (or latest version) against the version before
 * it; nothing for a single version.
 */
function compareLink(name: string, aliases: Readonly<Record<string, number>>, versions: readonly number[]): Markup {
  if (HOME_ALIASES.every((alias) => alias in aliases)) {
    return html`<p><a href="/models/${name}/compare?a=champion&b=challenger" id="compare-link">compare champion and
challenger</a></p>`;
  }
  const newest = aliases.champion ?? Math.max(...versions);
  const earlier = versions.filter((version) => version < newest);
  if (earlier.length === 0) return html``;
  const previous = Math.max(...earlier);
  return html`<p><a href="/models/${name}/compare?a=${previous}&b=${newest}" id="compare-link">compare v${newest} with
v${previous}</a></p>`;
}

/** A metric's row: both values and the delta, coloured by whether B improves on A. */
function metricRow(key: typeof COMPARED_METRICS[number], x: number, y: number): Markup {
  const delta = y - x;
  const better = LOWER_IS_BETTER.has(key) ? delta < 0 : delta > 0;
  return html`
    <tr data-metric="${key}">
      <td>${key}</td>
      <td class="num">${formatNumber(x)}</td>
      <td class="num">${formatNumber(y)}</td>
      <td class="num ${delta === 0 ? "" : better ? "delta-up" : "delta-down"}">${Number.isFinite(delta)
        ? (delta > 0 ? "+" : "") + delta.toFixed(4)
        : "-"}</td>
    </tr>
  `;
}

/** The comparison on shared held-out rows: which rows, metric deltas, PSI, ROC and calibration overlays. */
function heldoutSection(
  result: HeldoutComparison | NoComparison,
  url: URL,
  a: ModelVersion,
  b: ModelVersion,
): Markup {
  if (result.kind === "unavailable") {
    return html`
      <h2>On the same held-out rows</h2>
      <p class="muted" id="heldout-unavailable">No comparison on shared
      rows: ${result.reason}.</p>
    `;
  }
  const other: RowsFrom = result.rowsFrom === "a" ? "b" : "a";
  const otherVersion = other === "a" ? a : b;
  return html`
    <h2>On the same held-out rows</h2>
    <p id="heldout-rows">Both versions scored by the server's scorer on <strong>${result.rows}</strong> held-out rows of
    v${result.sourceVersion}'s training${result.rows < result.testRows
      ? ` (an evenly spaced sample of its ${result.testRows} test rows)`
      : " (its whole test split)"}, ${result.a.positives} of them positive. <a href="${withQuery(url, {
        rows: other,
      })}">Use v${otherVersion.version}'s held-out rows instead</a>.</p>
    <table id="heldout-metrics"><tr><th>metric (same rows)</th><th class="num">A: v${a.version} ${aliasBadges(
      a.aliases,
    )}</th>
    <th class="num">B: v${b.version} ${aliasBadges(b.aliases)}</th><th class="num">B − A</th></tr>${COMPARED_METRICS
      .map((key) => metricRow(key, result.a[key], result.b[key]))}</table>
    <p
      id="heldout-psi">PSI of B's probabilities against A's (bands at A's deciles): <strong>${formatNumber(
        result.psi.psi,
      )}</strong> ${badge(driftStatus(result.psi.psi), "status")}${result.rows < PSI_STEADY_ROWS
        ? html`
          <span
            class="small muted">(on ${result.rows} rows a band holds about ${Math.round(
              result.rows / 10,
            )} rows, so this PSI is noisy: one band left empty adds about 0.7 by itself)</span>
        `
        : ""}</p>
    <div class="panels">
      <section><h3>ROC</h3>${chart(result.rocSvg)}</section>
      <section><h3>Calibration</h3>${chart(result.calibrationSvg)}</section>
    </div>
  `;
}

function inputSchema(bundle: ModelBundle): Markup {
  return html`
    <h2>Input schema</h2>
    <table><tr><th>field</th><th>kind</th><th>training range / levels</th>
    <th>reference</th><th>description</th></tr>${bundle.fields.map((field) =>
      html`
        <tr>
          <td>${field.name}</td>
          <td>${field.kind}</td>
          <td>${field.kind === "numeric"
            ? `${formatNumber(field.min)} … ${formatNumber(field.max)}`
            : (field.levels ?? []).join(", ")}</td>
          <td>${field.reference ?? "-"}</td>
          <td class="small">${field.description ?? ""}</td>
        </tr>
      `
    )}</table>
  `;
}

function pointsTable(bundle: ModelBundle): Markup {
  if (bundle.pointsTable === undefined) {
    return html`<p class="muted">The ${bundle.candidate} candidate has no points table: its reason codes compare each
field with its reference value (see the input schema on the version page).</p>`;
  }
  return html`
    <table
      id="points"><tr><th>field</th><th>bin</th><th class="num">WoE</th><th class="num">points</th></tr>${bundle
        .pointsTable.map((row) =>
          html`
            <tr>
              <td>${row.feature}</td>
              <td>${row.bin}</td>
              <td class="num">${row.woe.toFixed(3)}</td>
              <td class="num">${row.points.toFixed(1)}</td>
            </tr>
          `
        )}</table>
  `;
}
