import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { createUiApp } from "../../src/ui/app.ts";
import { PAGE_ROWS } from "../../src/ui/routes/experiments.ts";
import { TrackingClient } from "../../src/tracking/client.ts";
import { loadModel } from "../../src/bundle/load_model.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { listRunRecords, readRunRecord, saveRunRecord } from "../../src/flow/record.ts";
import { STYLESHEET } from "../../src/style/stylesheet.ts";
import { buildUiFixture } from "./fixture.ts";
import { cells, rowIds, select } from "./html.ts";
import { SCHEDULE_STATE_FILE, ScheduleRecorder } from "../../src/ops/schedule_state.ts";
import { binaryReport } from "../../src/evaluate/report.ts";
import { HELDOUT_SAMPLE_PATH, parseHeldoutSample } from "../../src/pipeline/heldout_sample.ts";
import { makeTestDir } from "../temp_dir.ts";

const fixture = await buildUiFixture();
const client = new TrackingClient({ trackingUri: fixture.trackingUri });
const app = createUiApp({
  trackingUri: fixture.trackingUri,
  flowrunsDir: fixture.flowrunsDir,
  artifactsDir: `${fixture.dir}/out2`,
  csrfToken: "csrf-test",
});
const experiment = (await client.getExperimentByName("Customer_Conversion_Scorecard"))!;
const { items: allRuns } = await client.searchRuns({ experimentIds: [experiment.experimentId] });
const parents = allRuns.filter((run) => run.data.tags["mlflow.parentRunId"] === undefined);
const children = allRuns.filter((run) => run.data.tags["mlflow.parentRunId"] !== undefined);
const [batch] = (await client.searchRuns({ filter: "tags.pipeline = 'batch-scoring'" })).items;
const [flow] = await listRunRecords(fixture.flowrunsDir, 1);

async function get(path: string, init?: RequestInit) {
  const response = await app.request(path, init);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

Deno.test("every page renders from the real pipeline's store and shows no server path", async () => {
  const pages = [
    "/",
    "/experiments",
    `/experiments/${experiment.experimentId}`,
    `/runs/${parents[0].info.runId}`,
    `/runs/${children[0].info.runId}`,
    "/models",
    "/models/customer_conversion_model",
    "/models/customer_conversion_model/versions/1",
    "/models/customer_conversion_model/versions/2/scorecard",
    "/models/customer_conversion_model/compare?a=1&b=2",
    "/flows",
    `/flows/${flow.id}`,
    `/flows/${flow.id}?tab=tasks`,
    `/flows/${flow.id}?tab=logs`,
    `/flows/${flow.id}?tab=parameters`,
    `/compare?runs=${children.map((run) => run.info.runId).join(",")}`,
    "/drift",
    `/drift/${batch.info.runId}`,
    "/artifacts",
    "/artifacts?artifact=report%2Findex.html",
  ];
  for (const path of pages) {
    const { status, text } = await get(path);
    assert.equal(status, 200, `${path}: ${text.slice(-300)}`);
    assert.match(text.trimStart(), /^<!doctype html>/, path);
    assert.ok(!text.includes(fixture.dir), `${path} shows the server path ${fixture.dir}`);
  }
});

Deno.test("the overview names the champion with its source run's test AUC and the last batch's drift status", async () => {
  const champion = await client.getModelVersionByAlias("customer_conversion_model", "champion");
  const auc = (await client.getRun(champion.runId!)).data.metrics.test_auc;
  const { text } = await get("/");
  const rows = cells(text, "#home-models");
  assert.deepEqual(rows.find((row) => row[1] === "@champion"), [
    "customer_conversion_model",
    "@champion",
    `v${champion.version}`,
    auc.toFixed(4),
  ]);
  assert.ok(text.includes(`status-${batch.data.tags.drift_status}`));
  // The drift status can come from a field while the score PSI is stable: the fields' figures are beside it.
  const batchRows = select(text, "section.panel table tr").map((row) => row.textContent.trim().split(/\s+/));
  assert.ok(
    batchRows.some((row) => row.join(" ") === `largest field PSI ${batch.data.metrics.max_feature_psi.toFixed(4)}`),
  );
});

Deno.test("runs table: sorting by a metric keeps nested runs under their parent, in the same order", async () => {
  for (const dir of ["asc", "desc"]) {
    const { text } = await get(`/experiments/${experiment.experimentId}?sort=metrics.test_auc&dir=${dir}`);
    const ids = rowIds(text);
    assert.equal(ids.length, allRuns.length);
    for (const parent of parents) {
      const own = children.filter((run) => run.data.tags["mlflow.parentRunId"] === parent.info.runId);
      const at = ids.indexOf(parent.info.runId);
      const expected = own.map((run) => run.data.metrics.test_auc).sort((a, b) => dir === "asc" ? a - b : b - a);
      const shown = ids.slice(at + 1, at + 1 + own.length).map((id) => allRuns.find((run) => run.info.runId === id)!);
      assert.ok(shown.every((run) => run.data.tags["mlflow.parentRunId"] === parent.info.runId));
      assert.deepEqual(shown.map((run) => run.data.metrics.test_auc), expected);
    }
  }
});

Deno.test("runs table: a filter matching only nested runs shows their parent as context", async () => {
  const filter = encodeURIComponent("tags.candidate = 'scorecard'");
  const { status, text } = await get(`/experiments/${experiment.experimentId}?filter=${filter}`);
  assert.equal(status, 200);
  const scorecards = children.filter((run) => run.data.tags.candidate === "scorecard");
  assert.equal(scorecards.length, 2);
  assert.equal(rowIds(text).length, parents.length + scorecards.length);
  assert.equal(select(text, "tr.parent.context").length, parents.length);
});

Deno.test("runs table: the rows a filter keeps are the store's own search result, dotted and quoted keys included", async () => {
  for (
    const filter of [
      "metrics.cv_auc > 0.85 and params.model_type != 'logistic'",
      "tags.`mlflow.runName` LIKE '%logistic%' and attributes.status = 'FINISHED'",
      'tags."mlflow.parentRunId" = \'' + parents[0].info.runId + "'",
    ]
  ) {
    const { status, text } = await get(`/experiments/${experiment.experimentId}?filter=${encodeURIComponent(filter)}`);
    assert.equal(status, 200, filter);
    const expected = (await client.searchRuns({ experimentIds: [experiment.experimentId], filter })).items
      .map((run) => run.info.runId).sort();
    assert.ok(expected.length > 0, `${filter} matches some run of the fixture`);
    const matched = select(text, "tr[data-run]").filter((row) => !row.className.includes("context"))
      .map((row) => row.getAttribute("data-run")!).sort();
    assert.deepEqual(matched, expected, filter);
  }
});

Deno.test("runs table: a bad filter is a 400 page quoting the parse error", async () => {
  const { status, text } = await get(
    `/experiments/${experiment.experimentId}?filter=${encodeURIComponent("metrics.auc >")}`,
  );
  assert.equal(status, 400);
  assert.match(text, /Bad filter: .*metrics\.auc &gt;/);
});

Deno.test("runs table: CSV export has every matching run with the chosen columns", async () => {
  const response = await app.request(
    `/experiments/${experiment.experimentId}?format=csv&col=metrics.test_auc&col=params.nope`,
  );
  assert.equal(response.headers.get("Content-Type"), "text/csv; charset=utf-8");
  const lines = (await response.text()).trim().split("\n");
  assert.equal(lines[0], "run_id,attributes.run_name,attributes.status,attributes.start_time,metrics.test_auc");
  assert.equal(lines.length, 1 + allRuns.length);
  const first = allRuns.find((run) => run.info.runId === lines[1].split(",")[0])!;
  assert.equal(Number(lines[1].split(",")[4]), first.data.metrics.test_auc);
});

Deno.test("paging: 100 top-level runs per page, the rest on page 2", async () => {
  const store = await makeTestDir();
  const many = new TrackingClient({ trackingUri: `file:${store}/mlruns` });
  const { experimentId } = await many.getOrCreateExperiment("paging");
  for (let i = 0; i < 103; i++) {
    const run = await many.createRun({ experimentId, runName: `r${i}` });
    await many.logMetric(run.info.runId, "auc", i / 103);
  }
  const paged = createUiApp({ trackingUri: `file:${store}/mlruns`, flowrunsDir: store });
  const first = await (await paged.request(`/experiments/${experimentId}?sort=metrics.auc&dir=desc&col=metrics.auc`))
    .text();
  const second =
    await (await paged.request(`/experiments/${experimentId}?sort=metrics.auc&dir=desc&col=metrics.auc&page=2`))
      .text();
  assert.equal(rowIds(first).length, 100);
  assert.deepEqual(
    select(second, "tr[data-run] a").map((link) => Number(link.textContent.trim().slice(1))),
    [2, 1, 0],
  );
});

Deno.test("paging: pages of at most PAGE_ROWS rows hold whole groups, and the rows shown carry every chosen column", async () => {
  const store = await makeTestDir();
  const grouped = new TrackingClient({ trackingUri: `file:${store}/mlruns` });
  const { experimentId } = await grouped.getOrCreateExperiment("groups");
  const size = Math.floor(PAGE_ROWS / 3) + 1; // a parent and its children: three groups overflow one page
  const parents: string[] = [];
  for (let group = 0; group < 3; group++) {
    const parent = await grouped.createRun({ experimentId, runName: `p${group}` });
    await grouped.logMetric(parent.info.runId, "auc", group / 10);
    parents.push(parent.info.runId);
    for (let child = 1; child < size; child++) {
      const run = await grouped.createRun({ experimentId, runName: `c${child}`, parentRunId: parent.info.runId });
      await grouped.logParams(run.info.runId, { child });
    }
  }
  const paged = createUiApp({ trackingUri: `file:${store}/mlruns`, flowrunsDir: store });
  const path = `/experiments/${experimentId}?sort=metrics.auc&dir=desc&col=metrics.auc&col=params.child`;
  const first = await (await paged.request(path)).text();
  const second = await (await paged.request(`${path}&page=2`)).text();
  assert.equal(rowIds(first).length, 2 * size);
  assert.deepEqual(select(first, "tr.parent").map((row) => row.getAttribute("data-run")), [parents[2], parents[1]]);
  assert.deepEqual(select(second, "tr.parent").map((row) => row.getAttribute("data-run")), [parents[0]]);
  assert.equal(rowIds(second).length, size);
  assert.match(first, /page 1 of 2/);
  // Rows are read whole: the chosen param column shows each child's value.
  assert.deepEqual(
    select(second, "tr.child td:last-child").map((cell) => Number(cell.textContent.trim())).sort((a, b) => a - b),
    Array.from({ length: size - 1 }, (_, index) => index + 1),
  );
});

Deno.test("run page: metric last/min/max from the history and the flow-run link", async () => {
  const store = await makeTestDir();
  const small = new TrackingClient({ trackingUri: `file:${store}/mlruns` });
  const { experimentId } = await small.getOrCreateExperiment("history");
  const run = await small.createRun({ experimentId, runName: "hist" });
  for (const [step, value] of [[0, 0.5], [1, 0.9], [2, 0.7]]) {
    await small.logMetric(run.info.runId, "cv_auc", value, { step });
  }
  await small.setTag(run.info.runId, "flow_run_id", "20260101-000000-abcdef");
  const text = await (await createUiApp({ trackingUri: `file:${store}/mlruns`, flowrunsDir: store }).request(
    `/runs/${run.info.runId}`,
  )).text();
  assert.deepEqual(cells(text, "#metrics").find((row) => row[0] === "cv_auc"), [
    "cv_auc",
    "0.7000",
    "0.5000",
    "0.9000",
    "3",
  ]);
  assert.ok(text.includes(`href="/flows/20260101-000000-abcdef"`));
  assert.ok(text.includes("<svg"), "metric history chart");
});

Deno.test("run page: nested runs arrive as an htmx fragment listing exactly the run's children", async () => {
  const parent = parents[0].info.runId;
  const page = await get(`/runs/${parent}`);
  assert.equal(select(page.text, `#nested[hx-get="/runs/${parent}/children"]`).length, 1);
  const { text } = await get(`/runs/${parent}/children`, { headers: { "HX-Request": "true" } });
  assert.ok(!text.includes("<html"), "a fragment, not a page");
  const own = children.filter((run) => run.data.tags["mlflow.parentRunId"] === parent).map((run) => run.info.runId)
    .sort();
  assert.deepEqual(select(text, "#nested li a").map((link) => link.getAttribute("href")!.slice(6)).sort(), own);
});

Deno.test("unknown ids are 404 pages", async () => {
  for (
    const path of [
      "/runs/0123456789abcdef0123456789abcdef",
      "/experiments/999999",
      "/models/nope",
      "/models/customer_conversion_model/versions/99",
      "/models/customer_conversion_model/versions/99/scorecard",
      "/flows/20000101-000000-000000",
      "/flows/..%2F..%2Fetc",
      `/drift/${parents[0].info.runId}`,
      "/no/such/page",
    ]
  ) {
    const { status, text } = await get(path);
    assert.equal(status, 404, path);
    assert.match(text, /404 Not found/);
  }
});

Deno.test("artifacts: served confined to the run, HTML sandboxed; traversal is 404", async () => {
  const parent = parents[0].info.runId;
  const report = await get(`/runs/${parent}/artifacts/report/index.html`);
  assert.equal(report.status, 200);
  assert.match(report.headers.get("Content-Security-Policy")!, /^sandbox; default-src 'none'/);
  for (
    const path of [
      "..%2F..%2Fmeta.yaml",
      "../meta.yaml",
      "%2e%2e/%2e%2e/meta.yaml",
      "report/..%2F..%2Fmeta.yaml",
      "%2Fetc%2Fpasswd",
    ]
  ) {
    const { status } = await get(`/runs/${parent}/artifacts/${path}`);
    assert.equal(status, 404, path);
  }
});

Deno.test("what-if: the scorecard form returns the server Scorer's probability, score and reasons", async () => {
  const { bundle } = await loadModel("models:/customer_conversion_model/2", fixture.trackingUri);
  const record = { recency_days: 40, frequency: 3, monetary: 120 };
  const [expected] = new Scorer(bundle).scoreRecords([record]);
  const { status, text } = await get(
    "/models/customer_conversion_model/versions/2/scorecard?recency_days=40&frequency=3&monetary=120",
  );
  assert.equal(status, 200);
  assert.ok(text.includes(`data-probability="${expected.probability}"`));
  const result = cells(text, "#what-if-result");
  assert.deepEqual(result.map((row) => row[0]), [
    expected.probability.toFixed(4),
    expected.score.toFixed(1),
    expected.decision,
  ]);
  assert.deepEqual(
    select(text, "#what-if-result li").map((item) => item.textContent.trim().split(" = ")[0]),
    expected.reasons.map((reason) => reason.feature),
  );
  const bad = await get("/models/customer_conversion_model/versions/2/scorecard?recency_days=abc");
  assert.equal(bad.status, 400);
});

Deno.test("compare runs: differences only drops rows equal across runs", async () => {
  const ids = children.slice(0, 2).map((run) => run.info.runId).join(",");
  const all = (await get(`/compare?runs=${ids}`)).text;
  const diff = (await get(`/compare?runs=${ids}&diff=1`)).text;
  const keys = (page: string) => select(page, "tr[data-key]").map((row) => row.getAttribute("data-key")!);
  const [a, b] = children.slice(0, 2);
  const same = Object.keys(a.data.metrics).filter((key) => a.data.metrics[key] === b.data.metrics[key]);
  assert.ok(keys(all).includes("model_type") || keys(all).length > keys(diff).length);
  for (const key of same) assert.ok(!keys(diff).includes(key), key);
  assert.equal((await get(`/compare?runs=${a.info.runId}`)).status, 400);
});

Deno.test("promotion: needs the same Origin and the CSRF token, then moves the alias", async () => {
  const { uri, dir: copy } = await copyStore();
  const ui = createUiApp({ trackingUri: uri, flowrunsDir: copy, csrfToken: "t0ken" });
  const body = (csrf: string) => new URLSearchParams({ csrf, alias: "champion", version: "1", back: "?a=1&b=2" });
  const post = (headers: Record<string, string>, csrf: string) =>
    ui.request("/models/customer_conversion_model/promote", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: body(csrf),
    });
  const copyClient = new TrackingClient({ trackingUri: uri });
  const before = (await copyClient.getModelVersionByAlias("customer_conversion_model", "champion")).version;
  assert.equal(before, 2);
  assert.equal((await post({}, "t0ken")).status, 403);
  assert.equal((await post({ Origin: "http://evil.example" }, "t0ken")).status, 403);
  assert.equal((await post({ Origin: "http://localhost" }, "wrong")).status, 403);
  assert.equal((await copyClient.getModelVersionByAlias("customer_conversion_model", "champion")).version, 2);
  const ok = await post({ Origin: "http://localhost" }, "t0ken");
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("Location"), "/models/customer_conversion_model/compare?a=1&b=2");
  assert.equal((await copyClient.getModelVersionByAlias("customer_conversion_model", "champion")).version, 1);
});

Deno.test("token: every page needs it; ?token= sets a cookie; a Bearer header works", async () => {
  const ui = createUiApp({ trackingUri: fixture.trackingUri, flowrunsDir: fixture.flowrunsDir, token: "s3cret" });
  assert.equal((await ui.request("/")).status, 401);
  assert.equal((await ui.request("/static/style.css")).status, 401);
  assert.equal((await ui.request("/?token=wrong")).status, 401);
  const first = await ui.request("/?token=s3cret");
  assert.equal(first.status, 200);
  const cookie = first.headers.get("Set-Cookie")!.split(";")[0];
  assert.equal((await ui.request("/models", { headers: { Cookie: cookie } })).status, 200);
  assert.equal((await ui.request("/models", { headers: { Authorization: "Bearer s3cret" } })).status, 200);
});

Deno.test("deno task ui refuses a non-local address without a token (real process)", async () => {
  const main = fromFileUrl(new URL("../../src/ui/main.ts", import.meta.url));
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--host", "0.0.0.0", "--port", "0"],
    env: { UI_TOKEN: "" },
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 1);
  const lines = new TextDecoder().decode(stderr).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^ui: --host 0\.0\.0\.0 .* --token or set UI_TOKEN$/);
});

Deno.test("one stylesheet: the UI serves it and the training, EDA and drift reports embed it", async () => {
  const css = await (await app.request("/static/style.css")).text();
  assert.equal(css, STYLESHEET);
  for (const report of ["out1/report/index.html", "out1/report/eda.html", "scores.drift.html"]) {
    const html = await Deno.readTextFile(`${fixture.dir}/${report}`);
    assert.equal(select(html, "head > style")[0]?.textContent, STYLESHEET, report);
  }
});

/** A copy of the fixture store to change (the shared one stays as the pipeline wrote it). */
async function copyStore(): Promise<{ uri: string; dir: string }> {
  const dir = await makeTestDir();
  await new Deno.Command("cp", { args: ["-r", `${fixture.dir}/mlruns`, dir] }).output();
  return { uri: `file:${dir}/mlruns`, dir };
}

/** The held-out sample file of the training that produced version `v` (on its parent run). */
async function sampleFile(store: TrackingClient, v: number): Promise<string> {
  const version = await store.getModelVersion("customer_conversion_model", v);
  const parent = (await store.getRun(version.runId!)).data.tags["mlflow.parentRunId"];
  return `${await store.getArtifactDir(parent)}/${HELDOUT_SAMPLE_PATH}`;
}

Deno.test("model compare: both versions scored on the later training's held-out rows, metrics match the logs", async () => {
  const { text } = await get("/models/customer_conversion_model/compare?a=1&b=2");
  const v2 = await client.getModelVersion("customer_conversion_model", 2);
  const v2Parent = (await client.getRun(v2.runId!)).data.tags["mlflow.parentRunId"];
  const testRows = Number((await client.getRun(v2Parent)).data.params.test_rows);
  // The fixture's test split is below the cap, so every test row is in the sample.
  assert.match(select(text, "#heldout-rows")[0].textContent, new RegExp(`on ${testRows} held-out rows of\\s+v2's`));
  const sample = parseHeldoutSample(await client.readArtifactText(v2Parent, HELDOUT_SAMPLE_PATH), "v2");
  const scores = await Promise.all([1, 2].map(async (v) => {
    const { bundle } = await loadModel(`models:/customer_conversion_model/${v}`, fixture.trackingUri);
    return binaryReport(new Scorer(bundle).scoreTable(sample.table, { reasons: 0 }).probability, sample.labels);
  }));
  const rows = cells(text, "#heldout-metrics");
  const auc = rows.find((row) => row[0] === "auc")!;
  // B on its own training's test rows reproduces the test AUC that training logged: the rows are really its test split.
  const v2Auc = (await client.getRun(v2.runId!)).data.metrics.test_auc;
  assert.equal(auc[2], v2Auc.toFixed(4));
  assert.deepEqual(auc, ["auc", scores[0].auc.toFixed(4), scores[1].auc.toFixed(4), auc[3]]);
  assert.equal(Number(auc[3]), Number((scores[1].auc - scores[0].auc).toFixed(4)));
  // A on those rows reproduces the champion AUC v2's promotion decision logged ("champion v1's 0.8881 on the same ...").
  assert.match(
    v2.tags.promotion,
    new RegExp(`champion v1's ${auc[1].replace(".", "\\.")} on the same ${testRows} test rows`),
  );
  const brier = rows.find((row) => row[0] === "brier")!;
  assert.deepEqual(brier.slice(1, 3), [scores[0].brier.toFixed(4), scores[1].brier.toFixed(4)]);
  const psiShown = Number(select(text, "#heldout-psi strong")[0].textContent);
  assert.ok(psiShown > 0, "two different models give different score distributions");
  assert.match(select(text, "#heldout-psi")[0].textContent, new RegExp(`on ${testRows} rows .* this PSI is noisy`));
  assert.equal(select(text, "svg").length >= 2, true, "ROC and calibration overlays");

  // ?rows=a: v1's rows, where A reproduces v1's own logged test AUC.
  const onA = (await get("/models/customer_conversion_model/compare?a=1&b=2&rows=a")).text;
  assert.match(select(onA, "#heldout-rows")[0].textContent, /held-out rows of\s+v1's/);
  const v1Auc = (await client.getRun((await client.getModelVersion("customer_conversion_model", 1)).runId!)).data
    .metrics.test_auc;
  assert.equal(cells(onA, "#heldout-metrics").find((row) => row[0] === "auc")![1], v1Auc.toFixed(4));
  // The same version on both sides: identical scores, so PSI 0 and no deltas.
  const same = (await get("/models/customer_conversion_model/compare?a=2&b=2")).text;
  assert.equal(Number(select(same, "#heldout-psi strong")[0].textContent), 0);
  assert.ok(cells(same, "#heldout-metrics").slice(1).every((row) => row[3] === "0.0000"));
  assert.equal((await get("/models/customer_conversion_model/compare?a=1&b=2&rows=c")).status, 400);
});

Deno.test("model compare: incompatible feature sets and missing samples are said on the page, not a failure", async () => {
  const { uri } = await copyStore();
  const store = new TrackingClient({ trackingUri: uri });
  // A fresh app for each state of the store: the UI caches comparisons, as versions and their runs' samples never change.
  const ui = () => createUiApp({ trackingUri: uri, flowrunsDir: fixture.flowrunsDir });
  const v2File = await sampleFile(store, 2);
  const stored = JSON.parse(await Deno.readTextFile(v2File));
  delete stored.columns.recency_days;
  await Deno.writeTextFile(v2File, JSON.stringify(stored));
  const incompatible = await (await ui().request("/models/customer_conversion_model/compare?a=1&b=2")).text();
  assert.match(
    select(incompatible, "#heldout-unavailable")[0].textContent,
    /A \(v1\) cannot score v2's held-out rows: the feature sets differ .*recency_days/,
  );
  assert.equal(select(incompatible, "#heldout-metrics").length, 0);
  assert.equal(select(incompatible, "#logged-metrics").length, 1, "the logged metrics are still compared");

  await Deno.remove(v2File);
  const fallback = await (await ui().request("/models/customer_conversion_model/compare?a=1&b=2")).text();
  assert.match(select(fallback, "#heldout-rows")[0].textContent, /held-out rows of\s+v1's/);
  await Deno.remove(await sampleFile(store, 1));
  const none = await ui().request("/models/customer_conversion_model/compare?a=1&b=2");
  assert.equal(none.status, 200);
  assert.match(select(await none.text(), "#heldout-unavailable")[0].textContent, /neither v1 nor v2 has a held-out/);
});

Deno.test("--artifacts: the output folder's files are listed, previewed and served byte for byte", async () => {
  const { text } = await get("/artifacts?artifact=metrics.json");
  const listed = select(text, ".tree a[href^='?artifact=']").map((link) =>
    decodeURIComponent(link.getAttribute("href")!.slice(10).replace("#artifact", ""))
  );
  for (
    const file of ["model_bundle.json", "metrics.json", "report/index.html", "report/eda.html", "report/flow_run.svg"]
  ) {
    assert.ok(listed.includes(file), `${file} in ${listed.join(", ")}`);
  }
  const metrics = await Deno.readTextFile(`${fixture.dir}/out2/metrics.json`);
  assert.equal(select(text, ".preview pre")[0].textContent, JSON.stringify(JSON.parse(metrics), null, 2));
  const report = await app.request("/artifacts/files/report/index.html");
  assert.equal(report.status, 200);
  assert.match(report.headers.get("Content-Security-Policy")!, /^sandbox; default-src 'none'/);
  assert.equal(await report.text(), await Deno.readTextFile(`${fixture.dir}/out2/report/index.html`));
  const preview = (await get("/artifacts")).text; // the training report until a file is chosen
  assert.equal(
    select(preview, '.preview iframe[sandbox=""]')[0].getAttribute("src"),
    "/artifacts/files/report/index.html",
  );
  const download = await app.request("/artifacts/files/model_bundle.json?download");
  assert.equal(download.headers.get("Content-Disposition"), 'attachment; filename="model_bundle.json"');
  await download.body?.cancel();
});

Deno.test("--artifacts: paths are confined to the folder (traversal, encoded dots, links out) -> 404", async () => {
  const dir = await makeTestDir();
  await Deno.mkdir(`${dir}/out/report`, { recursive: true });
  await Deno.writeTextFile(`${dir}/secret.txt`, "secret");
  await Deno.writeTextFile(`${dir}/out/report/ok.txt`, "ok");
  await Deno.symlink(`${dir}/secret.txt`, `${dir}/out/link.txt`);
  await Deno.symlink(dir, `${dir}/out/up`);
  const ui = createUiApp({ trackingUri: fixture.trackingUri, flowrunsDir: dir, artifactsDir: `${dir}/out` });
  assert.equal(await (await ui.request("/artifacts/files/report/ok.txt")).text(), "ok");
  for (
    const path of [
      "../secret.txt",
      "..%2Fsecret.txt",
      "%2e%2e/secret.txt",
      "report/..%2F..%2Fsecret.txt",
      "%2F" + dir.slice(1) + "/secret.txt",
      "link.txt",
      "up/secret.txt",
      "report",
      "nope.txt",
      "%E0%A4%A",
    ]
  ) {
    const response = await ui.request(`/artifacts/files/${path}`);
    assert.equal(response.status, 404, path);
    assert.ok(!(await response.text()).includes("secret\n"), path);
  }
  const listing = await (await ui.request("/artifacts")).text();
  assert.ok(!listing.includes("up/secret.txt"), "a linked folder is not walked");
  const none = createUiApp({ trackingUri: fixture.trackingUri, flowrunsDir: dir, artifactsDir: `${dir}/missing` });
  const empty = await none.request("/artifacts");
  assert.equal(empty.status, 200);
  assert.equal(select(await empty.text(), "#no-artifacts").length, 1);
});

Deno.test("overview: the schedule's next run, a run in progress, an overdue one, none, or an unreadable state", async () => {
  const dir = await makeTestDir();
  const ui = createUiApp({ trackingUri: fixture.trackingUri, flowrunsDir: dir });
  const next = async () => select(await (await ui.request("/")).text(), "#schedule-next")[0]?.textContent ?? "";
  const none = await (await ui.request("/")).text();
  assert.match(none, /No schedule configured/);
  const recorder = new ScheduleRecorder(dir, { cron: "0 1 * * *" });
  const at = new Date(Date.now() + 3 * 3_600_000);
  await recorder.record({ type: "waiting", next: at });
  assert.match(await next(), new RegExp(`^${at.toISOString().slice(0, 19).replace("T", " ")} UTC \\(in 3\\.0 h\\)$`));
  await recorder.record({ type: "started", run: 4, scheduledAt: at });
  assert.match(await next(), /Running\s+run 4 is in progress/);
  await recorder.record({ type: "finished", run: 4, ms: 1 });
  await recorder.record({ type: "waiting", next: new Date(Date.now() - 5 * 60_000) });
  assert.match(await next(), /overdue/);
  await recorder.record({ type: "stopped", reason: "signal" });
  assert.match(await next(), /none: the scheduler stopped .* \(signal\)/);
  await Deno.writeTextFile(`${dir}/${SCHEDULE_STATE_FILE}`, "{");
  const broken = await ui.request("/");
  assert.equal(broken.status, 200);
  assert.match(await broken.text(), /The schedule's state cannot be read: .*schedule\.state\.json.*not JSON/);
  assert.equal((await listRunRecords(dir)).length, 0, "the state file is not listed as a flow run");
});

Deno.test("no broken links: every same-site link on the main pages answers without a 404 or 500", async () => {
  const pages = [
    "/",
    "/models",
    "/models/customer_conversion_model",
    "/flows",
    "/artifacts",
    `/runs/${parents[0].info.runId}`,
  ];
  const checked = new Set<string>();
  for (const path of pages) {
    const { text } = await get(path);
    const links = select(text, 'a[href^="/"]').map((link) => link.getAttribute("href")!.split("#")[0]);
    for (const link of links.filter((href) => !checked.has(href))) {
      checked.add(link);
      const response = await app.request(link);
      await response.body?.cancel();
      assert.ok(response.status < 400, `${path} links to ${link}: ${response.status}`);
    }
  }
  assert.ok(checked.has("/models/customer_conversion_model/compare?a=1&b=2"), "v2 is champion, v1 has no alias");
});

Deno.test("a running flow without task runs yet says so instead of an empty table or graph", async () => {
  const dir = await makeTestDir();
  const record = await readRunRecord(fixture.flowrunsDir, flow.id);
  await saveRunRecord(dir, { ...record, state: "Running", taskRuns: [], end: undefined, durationMs: undefined });
  const ui = createUiApp({ trackingUri: fixture.trackingUri, flowrunsDir: dir });
  for (const tab of ["graph", "tasks"]) {
    const text = await (await ui.request(`/flows/${flow.id}?tab=${tab}`)).text();
    assert.match(select(text, "#no-tasks")[0]?.textContent ?? "", /No task runs recorded yet/, tab);
    assert.equal(select(text, "#tasks").length + select(text, "svg").length, 0, tab);
  }
});
