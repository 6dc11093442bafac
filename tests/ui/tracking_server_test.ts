/**
 * The model comparison on shared held-out rows over a genuine MLflow 3.6
 * tracking server (one for this file, always stopped): the sample logged by
 * `train --tracking-uri http://...` is read back through the REST backend
 * and both versions are scored on it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadModel } from "../../src/bundle/load_model.ts";
import { Scorer } from "../../src/bundle/scorer.ts";
import { openTracking } from "../../src/tracking/open.ts";
import { compareOnHeldout } from "../../src/ui/model_comparison.ts";
import { startMlflowServer } from "../tracking_rest/mlflow_server.ts";

async function train(url: string, out: string, ...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/train.ts", "--mode", "tracked", "--tracking-uri", url, "--out", out, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}

Deno.test("model compare over a tracking server: both versions scored on the later training's held-out rows", async () => {
  const server = await startMlflowServer();
  const work = await Deno.makeTempDir({ prefix: "compare-rest-" });
  try {
    const size = ["--customers", "300", "--transactions", "2400", "--no-cache"];
    await train(server.url, join(work, "a"), ...size, "--candidates", "logistic");
    await train(server.url, join(work, "b"), ...size, "--candidates", "scorecard", "--seed", "7");
    const tracking = openTracking(server.url);
    const side = async (v: number) => ({
      version: await tracking.getModelVersion("customer_conversion_model", v),
      scorer: new Scorer((await loadModel(`models:/customer_conversion_model/${v}`, server.url)).bundle),
    });
    const [a, b] = [await side(1), await side(2)];
    const result = await compareOnHeldout(tracking, a, b);
    assert.equal(result.kind, "scored", JSON.stringify(result));
    if (result.kind !== "scored") return;
    assert.equal(result.sourceVersion, 2);
    // v2 on its own training's test rows reproduces the test AUC that training logged.
    assert.equal(result.b.auc, (await tracking.getRun(b.version.runId!)).data.metrics.test_auc);
    assert.equal(result.rows, result.testRows);
    const onA = await compareOnHeldout(tracking, a, b, "a");
    assert.equal(onA.kind === "scored" && onA.a.auc, (await tracking.getRun(a.version.runId!)).data.metrics.test_auc);
  } finally {
    await server.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
});
