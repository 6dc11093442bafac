/**
 * The UI over a genuine MLflow 3.6 tracking server (one for this file, always
 * stopped): two tracked trainings and a tracked batch scoring are written over
 * REST, then every page, an artifact download, the what-if form, the model
 * comparison on held-out rows and an alias promotion are read and made
 * through the same server.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { loadModel } from "../../src/bundle/load_model.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { listRunRecords } from "../../src/flow/record.ts";
import { openTracking } from "../../src/tracking/open.ts";
import { createUiApp } from "../../src/ui/app.ts";
import { compareOnHeldout } from "../../src/ui/model_comparison.ts";
import { startMlflowServer } from "../tracking_rest/mlflow_server.ts";
import { cells, rowIds, select } from "./html.ts";
import { makeTestDir } from "../temp_dir.ts";

const ROOT = fromFileUrl(new URL("../../", import.meta.url));
const MODEL = "customer_conversion_model";

async function run(cwd: string, script: string, ...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${ROOT}deno.json`, `${ROOT}${script}`, ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, `${script}: ${new TextDecoder().decode(stderr)}`);
}

/** The `href`s of a page's same-site links. */
function links(page: string): string[] {
  return select(page, 'a[href^="/"]').map((link) => link.getAttribute("href")!.split("#")[0]);
}

Deno.test("the UI over a tracking server: pages, downloads, what-if, held-out comparison and promotion", async () => {
  const server = await startMlflowServer();
  const work = await makeTestDir({ prefix: "ui-rest-" });
  try {
    const size = ["--customers", "300", "--transactions", "2400", "--no-cache"];
    const train = (out: string, ...args: string[]) =>
      run(work, "src/cli/train.ts", "--mode", "tracked", "--tracking-uri", server.url, "--out", out, ...size, ...args);
    await train(join(work, "a"), "--candidates", "logistic");
    await train(join(work, "b"), "--candidates", "scorecard", "--seed", "7");
    await run(work, "src/cli/generate.ts", "--customers", "150", "--transactions", "1200", "--out", "tx.csv");
    await run(
      work,
      "src/cli/score_batch.ts",
      ...["--model", `models:/${MODEL}/1`, "--tracking-uri", server.url, "--data", "tx.csv", "--out", "scores.csv"],
    );

    const tracking = openTracking(server.url);
    const experiment = await tracking.getOrCreateExperiment("Customer_Conversion_Scorecard");
    const { items: runs } = await tracking.searchRuns({ experimentIds: [experiment.experimentId] });
    const parent = runs.find((found) => found.data.tags["mlflow.parentRunId"] === undefined)!;
    const [batch] = (await tracking.searchRuns({ filter: "tags.pipeline = 'batch-scoring'" })).items;
    const [flow] = await listRunRecords(join(work, "flowruns"), 1);
    const app = createUiApp({ trackingUri: server.url, flowrunsDir: join(work, "flowruns"), csrfToken: "t0ken" });
    const get = async (path: string) => {
      const response = await app.request(path);
      return { status: response.status, text: await response.text(), headers: response.headers };
    };

    const pages = [
      "/",
      "/experiments",
      `/experiments/${experiment.experimentId}`,
      `/runs/${parent.info.runId}`,
      `/models/${MODEL}`,
      `/models/${MODEL}/versions/2/scorecard`,
      `/flows/${flow.id}`,
      `/compare?runs=${runs.map((found) => found.info.runId).join(",")}`,
      `/drift/${batch.info.runId}`,
    ];
    for (const path of pages) {
      const { status, text } = await get(path);
      assert.equal(status, 200, `${path}: ${text.slice(-300)}`);
      assert.ok(!text.includes(server.dir), `${path} shows the server's folder`);
    }
    // Every run of the experiment is a row, nested ones included.
    const table = (await get(`/experiments/${experiment.experimentId}`)).text;
    assert.deepEqual(rowIds(table).sort(), runs.map((found) => found.info.runId).sort());
    // The links on the run and model pages answer.
    for (const link of new Set([...links((await get(`/runs/${parent.info.runId}`)).text), ...links(table)])) {
      const response = await app.request(link);
      await response.body?.cancel();
      assert.ok(response.status < 400, `${link}: ${response.status}`);
    }

    // An artifact comes back byte for byte as the server holds it; HTML is sandboxed; a missing one is a 404.
    const download = await app.request(`/runs/${parent.info.runId}/artifacts/report/index.html?download`);
    assert.equal(download.status, 200);
    assert.deepEqual(
      new Uint8Array(await download.arrayBuffer()),
      await tracking.readArtifact(parent.info.runId, "report/index.html"),
    );
    const report = await get(`/runs/${parent.info.runId}/artifacts/report/index.html`);
    assert.match(report.headers.get("Content-Security-Policy")!, /^sandbox; default-src 'none'/);
    assert.equal((await get(`/runs/${parent.info.runId}/artifacts/report/nope.html`)).status, 404);
    assert.equal((await get("/runs/0123456789abcdef0123456789abcdef")).status, 404);
    assert.equal((await get("/experiments/999999")).status, 404);

    // What-if: the probability the server's Scorer gives for v2 loaded through the server.
    const { bundle } = await loadModel(`models:/${MODEL}/2`, server.url);
    const [expected] = new Scorer(bundle).scoreRecords([{ recency_days: 40, frequency: 3, monetary: 120 }]);
    const whatIf = await get(`/models/${MODEL}/versions/2/scorecard?recency_days=40&frequency=3&monetary=120`);
    assert.ok(whatIf.text.includes(`data-probability="${expected.probability}"`));

    // The comparison page and its function: v2 on its own training's test rows reproduces its logged test AUC.
    const side = async (v: number) => ({
      version: await tracking.getModelVersion(MODEL, v),
      scorer: new Scorer((await loadModel(`models:/${MODEL}/${v}`, server.url)).bundle),
    });
    const [a, b] = [await side(1), await side(2)];
    const result = await compareOnHeldout(tracking, a, b);
    assert.equal(result.kind, "scored", JSON.stringify(result));
    if (result.kind !== "scored") return;
    assert.equal(result.sourceVersion, 2);
    const v2Auc = (await tracking.getRun(b.version.runId!)).data.metrics.test_auc;
    assert.equal(result.b.auc, v2Auc);
    assert.equal(result.rows, result.testRows);
    const onA = await compareOnHeldout(tracking, a, b, "a");
    assert.equal(onA.kind === "scored" && onA.a.auc, (await tracking.getRun(a.version.runId!)).data.metrics.test_auc);
    const compare = await get(`/models/${MODEL}/compare?a=1&b=2`);
    assert.equal(compare.status, 200);
    const auc = cells(compare.text, "#heldout-metrics").find((row) => row[0] === "auc")!;
    assert.deepEqual(auc.slice(1, 3), [result.a.auc.toFixed(4), v2Auc.toFixed(4)]);

    // Promotion writes the alias on the server.
    const target = (await tracking.getModelVersionByAlias(MODEL, "champion")).version === 1 ? 2 : 1;
    const promoted = await app.request(`/models/${MODEL}/promote`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
      body: new URLSearchParams({ csrf: "t0ken", alias: "champion", version: String(target), back: "" }),
    });
    assert.equal(promoted.status, 303);
    assert.equal((await tracking.getModelVersionByAlias(MODEL, "champion")).version, target);
  } finally {
    await server.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
});
