/**
 * End to end against a genuine MLflow 3.6 server (one for this file, always
 * stopped): `deno task train --tracking-uri http://...` twice -> `models`
 * shows champion and challenger -> `serve` answers /score from the server ->
 * a better training moves the alias -> the server hot-swaps without a failed
 * request; two trainings racing lose no promotion; a server that stops
 * answering mid-run fails the training with one line, exit 1, nothing
 * registered, the bundle kept.
 */
import { serveProcess } from "../server/serve_process.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { openTracking } from "../../src/tracking/open.ts";
import { startMlflowServer } from "./mlflow_server.ts";
import { makeTestDir } from "../temp_dir.ts";

const FAIL_FAST = {
  MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1",
  MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "0.1",
  MLFLOW_HTTP_REQUEST_TIMEOUT: "2",
};

async function deno(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), { args, env, stdout: "piped", stderr: "piped" }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const train = (url: string, out: string, ...args: string[]) =>
  deno(["run", "-A", "src/cli/train.ts", "--mode", "tracked", "--tracking-uri", url, "--out", out, ...args]);

const serve = (url: string) => serveProcess(["--tracking-uri", url, "--poll-seconds", "0.5"]);

const CUSTOMER = { customer_id: 999999, recency_days: 12, frequency: 20, monetary: 250.5 };

Deno.test("train twice -> models -> serve -> a better training moves the alias -> hot swap; racing trainings", async (t) => {
  const server = await startMlflowServer();
  const work = await makeTestDir({ prefix: "train-serve-rest-" });
  try {
    await t.step("two trainings: champion, then challenger; models shows both", async () => {
      const first = await train(server.url, join(work, "a"), "--candidates", "logistic");
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout + first.stderr, /registered customer_conversion_model v1 as champion/);
      // One candidate on a new server: experiment 3 (get-by-name 404, create, get), parent run 2 (create, params),
      // champion read 1 (404), candidate 11 (create, one log-batch, logged model create, 5 files, output, READY,
      // end), parent 1 log-batch + report and flow files, version 3 (404, model, version), lease and alias 9, tags 2,
      // end 1. Params and metrics sent one call each (as before batching) would exceed the bound.
      const requests = Number(/tracking: (\d+) requests/.exec(first.stdout + first.stderr)?.[1]);
      const reportFiles = Number(/wrote (\d+) files to/.exec(first.stdout + first.stderr)?.[1]);
      assert.ok(requests <= 33 + reportFiles + 1, `${requests} requests with ${reportFiles} report files`);
      const second = await train(server.url, join(work, "b"), "--candidates", "ml-logistic-regression");
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout + second.stderr, /registered customer_conversion_model v2 as challenger/);
      const models = await deno(["task", "models", "--tracking-uri", server.url]);
      assert.equal(models.code, 0, models.stderr);
      assert.match(
        models.stdout,
        /customer_conversion_model: 2 versions, aliases (champion=1, challenger=2|challenger=2, champion=1)/,
      );
      assert.match(models.stdout, /\n1 +None +READY +champion +.* logistic\n/);
      assert.match(models.stdout, /\n2 +None +READY +challenger +.* ml-logistic-regression\n/);
      const runs = await deno(["task", "runs:mlflow", "--tracking-uri", server.url]);
      assert.equal(runs.code, 0, runs.stderr);
      assert.match(runs.stdout, /experiment "Customer_Conversion_Scorecard" \(\d+\): 4 runs/);
    });

    await t.step("serve loads the champion from the server and hot-swaps when a better training moves it", async () => {
      const serving = await serve(server.url);
      try {
        assert.ok(serving.url, serving.log());
        const model = async () => (await (await fetch(`${serving.url}/model`)).json()).version;
        assert.equal(await model(), 1);
        let failed = 0;
        let answered = 0;
        let stop = false;
        const load = (async () => {
          while (!stop) {
            const response = await fetch(`${serving.url}/score`, { method: "POST", body: JSON.stringify(CUSTOMER) });
            await response.body?.cancel();
            if (response.status === 200) answered++;
            else failed++;
          }
        })();
        const third = await train(server.url, join(work, "c"), "--candidates", "gbt");
        assert.equal(third.code, 0, third.stderr);
        assert.match(third.stdout + third.stderr, /registered customer_conversion_model v3 as champion/);
        const deadline = Date.now() + 20_000;
        while ((await model()) !== 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        stop = true;
        await load;
        assert.equal(await model(), 3, serving.log().slice(-2000));
        assert.equal(failed, 0);
        assert.ok(answered > 0);
        const downloads = [];
        for await (const entry of Deno.readDir(tmpdir())) {
          if (entry.name.startsWith(`mlflow-download-${serving.child.pid}-`)) downloads.push(entry.name);
        }
        assert.deepEqual(downloads, [], "the server keeps no download of the models it loaded (bundles are in memory)");
      } finally {
        serving.child.kill("SIGTERM");
        await serving.child.status;
      }
    });

    await t.step(
      "two trainings racing on one server: the better one ends as champion, tags match aliases",
      async () => {
        const name = ["--model-name", "race_model"];
        const base = await train(server.url, join(work, "r0"), "--candidates", "ml-logistic-regression", ...name);
        assert.equal(base.code, 0, base.stderr);
        const [gbt, logistic] = await Promise.all([
          train(server.url, join(work, "r1"), "--candidates", "gbt", ...name),
          train(server.url, join(work, "r2"), "--candidates", "logistic", ...name),
        ]);
        assert.equal(gbt.code, 0, gbt.stderr);
        assert.equal(logistic.code, 0, logistic.stderr);
        const tracking = openTracking(server.url);
        const champion = await tracking.getModelVersionByAlias("race_model", "champion");
        assert.equal(champion.tags.candidate, "gbt", "the best model (gbt, test AUC 0.93) is champion");
        const versions = (await tracking.listModelVersions("race_model")).items;
        const claims = await Promise.all(versions.map(async (version) => {
          const run = await tracking.getRun(version.runId!);
          const parent = await tracking.getRun(run.data.tags["mlflow.parentRunId"]);
          const promotion = parent.data.tags.promotion;
          return { version, claimed: promotion.split(":")[0], reason: promotion };
        }));
        // A champion that no longer holds the alias must have been beaten by a later champion that says so.
        const beaten = (v: number) =>
          claims.some((c) => c.claimed === "champion" && c.reason.includes(`> champion v${v}'s`));
        for (const { version, claimed } of claims) {
          const holds = version.aliases.includes(claimed) || (claimed === "champion" && beaten(version.version));
          assert.ok(holds, `v${version.version} claims ${claimed} but holds ${version.aliases.join(",") || "nothing"}`);
        }
        assert.equal((await tracking.getRegisteredModel("race_model")).tags.promotion_lease, undefined);
      },
    );
  } finally {
    await server.stop();
  }
});

Deno.test("a server that stops answering mid-run: one line, exit 1, nothing registered, bundle kept", async () => {
  const server = await startMlflowServer();
  const out = join(await makeTestDir({ prefix: "train-dies-" }), "out");
  const pgid = Number((await Deno.readTextFile(join(server.dir, "server.pid"))).trim());
  // Signal exactly the server's process group (Deno.kill with -pgid); never a guessed or shell-parsed target.
  assert.ok(Number.isInteger(pgid) && pgid > 1, `server process group ${pgid}`);
  const signalServer = (signal: Deno.Signal) => Deno.kill(-pgid, signal);
  try {
    // The server's first answers are slow (the one worker loads its code paths lazily; measured > 2 s on a loaded
    // machine): warm it up, so that the training's 2 s timeout is met until the server is frozen on purpose.
    await openTracking(server.url).getOrCreateExperiment("Customer_Conversion_Scorecard");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "src/cli/train.ts", "--mode", "tracked", "--tracking-uri", server.url, "--out", out],
      env: FAIL_FAST,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // The flow logs to stdout or stderr depending on the logger: watch both.
    let seen = "";
    const drain = (stream: ReadableStream<Uint8Array>) =>
      (async () => {
        let text = "";
        for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
          text += chunk;
          seen += chunk;
        }
        return text;
      })();
    const [stdout, stderr] = [drain(child.stdout), drain(child.stderr)];
    let exited = false;
    child.status.then(() => exited = true);
    // Freeze the server (SIGSTOP: connections hang) once the flow wrote its outputs, before candidates are logged.
    // A training that ends before that (e.g. its first request timed out on a loaded machine) fails the test
    // with its output instead of leaving this loop waiting forever.
    while (!/wrote \d+ files to/.test(seen)) {
      assert.ok(!exited, `the training ended before writing its outputs:\n${seen.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    signalServer("SIGSTOP");
    const status = await child.status;
    await stdout;
    const errors = (await stderr).split("\n").filter((line) => line.startsWith("error"));
    signalServer("SIGCONT");
    assert.equal(status.code, 1);
    assert.equal(errors.length, 1, seen.slice(-3000));
    assert.match(
      errors[0],
      /^error: MLflow server (POST|GET|PUT) \/api\/2\.0\/mlflow\S*: TIMEOUT: no answer within 2 s/,
    );
    assert.doesNotMatch(await stderr, /\n {4}at /, "no stack trace");
    assert.ok((await Deno.stat(join(out, "model_bundle.json"))).isFile, "the trained bundle is kept");
    const registered = await openTracking(server.url).listRegisteredModels();
    assert.deepEqual(registered.items, [], "nothing registered");
  } finally {
    signalServer("SIGCONT");
    await server.stop();
  }
});
