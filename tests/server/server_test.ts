/**
 * The server on a real port: reload under load (no failed request, later
 * answers from the new version, a broken version never served), graceful
 * shutdown with a request in flight, and `deno task serve` as a process
 * (SIGTERM exits 0, no model exits 1 with one line, `--allow-no-model`).
 */
import { serveProcess } from "./serve_process.ts";
import assert from "node:assert/strict";
import { createApp } from "../../server/app.ts";
import { ModelHolder } from "../../server/model/holder.ts";
import { startServer } from "../../server/server.ts";
import { MODEL_NAME, registerVersion, registryStore, SEED_BODY, serverFixture } from "./fixtures.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("reload under load: the alias moves while requests stream; none fails, later answers carry the new version", async () => {
  const { bundleText } = await serverFixture();
  const { trackingUri, client, uri } = await registryStore([bundleText, bundleText]);
  const holder = new ModelHolder({ uri, trackingUri, maxBatch: 100 });
  await holder.load();
  const { app } = createApp({ holder, maxBatch: 100 });
  const server = await startServer({ fetch: app.fetch, port: 0, holder, pollMs: 5 });
  const failures: string[] = [];
  const seen: number[][] = [];
  let stop = false;
  const stream = async (lane: number) => {
    seen[lane] = [];
    while (!stop) {
      const single = seen[lane].length % 2 === 0;
      const res = await fetch(`${server.url}${single ? "/score" : "/score/batch"}`, {
        method: "POST",
        body: JSON.stringify(single ? SEED_BODY : [SEED_BODY, SEED_BODY]),
      });
      const body = await res.json();
      if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(body)}`);
      else seen[lane].push(body.model_version);
    }
  };
  const lanes = [0, 1, 2, 3].map(stream);
  const sawVersion = async (version: number) => {
    while (!seen.every((lane) => lane.at(-1) === version)) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  await sawVersion(1);
  await client.setAlias(MODEL_NAME, "champion", 2);
  await sawVersion(2);
  const broken = await registerVersion(client, '{"format": "not a bundle"}');
  await client.setAlias(MODEL_NAME, "champion", broken);
  while (holder.lastError === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
  const afterBroken = seen.map((lane) => lane.length);
  while (seen.some((lane, i) => lane.length < afterBroken[i] + 3)) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  stop = true;
  await Promise.all(lanes);
  await server.shutdown();
  assert.deepEqual(failures, []);
  for (const lane of seen) {
    assert.ok(lane.includes(1) && lane.includes(2));
    assert.ok(!lane.includes(broken), "the broken version is never served");
    assert.equal(lane.lastIndexOf(1) < lane.indexOf(2), true, "within a lane, no answer from 1 after one from 2");
    assert.equal(lane.at(-1), 2, "still serving version 2 after the broken version failed to load");
  }
  assert.match(holder.lastError?.message ?? "", /not a model bundle/);
});

Deno.test("graceful shutdown: stops accepting, finishes the request in flight, then settles", async () => {
  const { bundlePath } = await serverFixture();
  const holder = new ModelHolder({ uri: bundlePath, maxBatch: 10 });
  await holder.load();
  const { app } = createApp({ holder });
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => entered = resolve);
  const gate = new Promise<void>((resolve) => release = resolve);
  const server = await startServer({
    port: 0,
    fetch: async (request) => {
      if (new URL(request.url).pathname === "/score") {
        entered();
        await gate;
      }
      return app.fetch(request);
    },
  });
  const inFlight = fetch(`${server.url}/score`, { method: "POST", body: JSON.stringify(SEED_BODY) });
  await inside;
  let stopped = false;
  const stopping = server.shutdown().then(() => stopped = true);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(stopped, false, "shutdown waits for the request in flight");
  await assert.rejects(fetch(`${server.url}/health`), TypeError, "no new connections once shutting down");
  release();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.equal((await res.json()).customer_id, 999999);
  await stopping;
  await server.finished;
  assert.equal(stopped, true);
});

Deno.test("deno task serve: answers, then exits 0 on SIGTERM after logging the shutdown", async () => {
  const { bundlePath } = await serverFixture();
  const { child, url, rest } = await serveProcess(["--model", bundlePath]);
  assert.ok(url, "listening line with the URL");
  const res = await fetch(`${url}/score`, { method: "POST", body: JSON.stringify(SEED_BODY) });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  child.kill("SIGTERM");
  const status = await child.status;
  const log = await rest();
  assert.equal(status.code, 0, log);
  assert.match(log, /"msg":"received SIGTERM"/);
  assert.match(log, /"msg":"stopped"/);
});

Deno.test("deno task serve without a loadable model exits 1 with one line; --allow-no-model starts unready", async () => {
  const missing = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts", "--model", "/nonexistent/bundle.json", "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(missing.code, 1);
  const stderr = new TextDecoder().decode(missing.stderr).trim().split("\n");
  assert.equal(
    stderr.at(-1),
    "error: cannot load model /nonexistent/bundle.json: /nonexistent/bundle.json: model bundle not found " +
      "(train and register one with `deno task train`, or pass --model PATH)",
  );
  assert.ok(!stderr.some((line) => /^\s+at /.test(line)), "no stack trace");

  const { child, url, rest } = await serveProcess(["--model", "/nonexistent/bundle.json", "--allow-no-model"]);
  const ready = await fetch(`${url}/ready`);
  assert.equal(ready.status, 503);
  await ready.body?.cancel();
  child.kill("SIGINT");
  assert.equal((await child.status).code, 0);
  assert.match(await rest(), /starting without a model/);
});

Deno.test("deno task serve --model FILE that is not JSON names the file but never echoes its content", async () => {
  const dir = await makeTestDir({ prefix: "server-passwd-" });
  const file = `${dir}/passwd`;
  await Deno.writeTextFile(file, "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts", "--model", file, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assert.equal(
    stderr.split("\n").at(-1),
    `error: cannot load model ${file}: ${file}: not a JSON model bundle (the file is not valid JSON) ` +
      "(train and register one with `deno task train`, or pass --model PATH)",
  );
  assert.doesNotMatch(stderr, /root|bash|daemon/);
});

Deno.test("--idle-timeout-ms: connections silent for that long are closed; busy ones and requests are not", async () => {
  const { bundlePath } = await serverFixture();
  const holder = new ModelHolder({ uri: bundlePath, maxBatch: 10 });
  await holder.load();
  const { app } = createApp({ holder });
  const server = await startServer({ fetch: app.fetch, port: 0, idleTimeoutMs: 300 });
  // Whether the server closes `conn` within 2 s from now.
  const closedSoon = async (conn: Deno.Conn) => {
    const buffer = new Uint8Array(4096);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => timer = setTimeout(resolve, 2000, false));
    const closed = (async () => {
      while (await conn.read(buffer) !== null);
      return true;
    })();
    const result = await Promise.race([closed, late]);
    clearTimeout(timer);
    return result;
  };
  const silent = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const halfHeaders = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await halfHeaders.write(new TextEncoder().encode("POST /score HTTP/1.1\r\nHost: x\r\n"));
  // A keep-alive client asking every 100 ms stays connected past the timeout.
  const busy = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const ask = new TextEncoder().encode("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  let answers = 0;
  const buffer = new Uint8Array(4096);
  for (let i = 0; i < 8; i++) {
    await busy.write(ask);
    const n = await busy.read(buffer);
    if (n !== null && new TextDecoder().decode(buffer.subarray(0, n)).startsWith("HTTP/1.1 200")) answers++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(answers, 8, "eight answers on one connection over 800 ms, each gap shorter than the timeout");
  assert.deepEqual(await Promise.all([closedSoon(silent), closedSoon(halfHeaders)]), [true, true]);
  busy.close();
  silent.close();
  halfHeaders.close();
  const res = await fetch(`${server.url}/score`, { method: "POST", body: JSON.stringify(SEED_BODY) });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  await server.shutdown();
});
