/**
 * `POST /admin/reload`: a reload and a failed one (409, old model serving),
 * no absolute server path in any answer, JSON only, no cross-site requests,
 * the Bearer token when the server has one, concurrent reloads sharing one
 * load and reloads spaced; `deno task serve` off loopback needs a token.
 */
import assert from "node:assert/strict";
import { loadModel } from "../../../src/bundle/load_model.ts";
import { createApp } from "../../../server/app.ts";
import { ModelHolder, type ModelLoader } from "../../../server/model/holder.ts";
import { post, SEED_BODY, serverFixture } from "../fixtures.ts";

const JSON_TYPE = { "Content-Type": "application/json" };
const TOKEN = "s3cret-admin-token-0123456789";

/** A holder over the fixture's bundle whose loads are counted and can be made to fail with an absolute path. */
async function countedHolder(options: { minReloadIntervalMs?: number } = {}) {
  const { bundlePath } = await serverFixture();
  const state = { loads: 0, broken: false };
  const load: ModelLoader = (uri, tracking) => {
    state.loads++;
    if (state.broken) return Promise.reject(new Error(`${bundlePath}: bundle is corrupt`));
    return loadModel(uri, tracking);
  };
  const holder = new ModelHolder({ uri: bundlePath, maxBatch: 50, load, minReloadIntervalMs: 0, ...options });
  await holder.load();
  return { holder, state, bundlePath };
}

function reload(app: ReturnType<typeof createApp>["app"], headers: Record<string, string> = JSON_TYPE) {
  return app.request("/admin/reload", { method: "POST", headers, body: "{}" });
}

Deno.test("POST /admin/reload swaps in a fresh load; a failed load is a 409, the old model keeps serving, no path shown", async () => {
  const { holder, state, bundlePath } = await countedHolder();
  const first = holder.current;
  const { app } = createApp({ holder, maxBatch: 50 });
  const ok = await reload(app);
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).status, "reloaded");
  assert.notEqual(holder.current, first);
  state.broken = true;
  const serving = holder.current;
  const failed = await reload(app);
  assert.equal(failed.status, 409);
  const detail = (await failed.json()).detail;
  assert.equal(
    detail,
    "Reload of model_bundle.json failed: model_bundle.json: bundle is corrupt; still serving model_bundle version null",
  );
  assert.equal(holder.current, serving);
  assert.equal((await post(app, "/score", SEED_BODY)).status, 200);
  const model = await (await app.request("/model")).json();
  assert.equal(model.uri, "model_bundle.json");
  assert.equal(model.last_load_error.message, "model_bundle.json: bundle is corrupt");
  assert.equal(model.last_load_error.uri, "model_bundle.json");
  const dir = bundlePath.slice(0, bundlePath.lastIndexOf("/"));
  assert.ok(!JSON.stringify(model).includes(dir), "GET /model shows no absolute path");
  assert.equal(
    holder.lastError?.message,
    `${bundlePath}: bundle is corrupt`,
    "the holder (and its log) keep the full path",
  );
  assert.match(await (await app.request("/metrics")).text(), /^model_loads_total\{result="failure"\} 1$/m);
});

Deno.test("admin routes take only JSON and refuse cross-site requests", async () => {
  const { holder, state } = await countedHolder();
  const { app } = createApp({ holder, maxBatch: 50 });
  const loads = state.loads;
  for (
    const [headers, status] of [
      [{ "Content-Type": "text/plain" }, 415],
      [{}, 415],
      [{ "Content-Type": "application/x-www-form-urlencoded" }, 415],
      [{ ...JSON_TYPE, Origin: "https://evil.example" }, 403],
      [{ "Content-Type": "text/plain", Origin: "https://evil.example" }, 403],
      [{ ...JSON_TYPE, "Sec-Fetch-Site": "cross-site" }, 403],
    ] as const
  ) {
    const res = await app.request("/admin/reload", { method: "POST", headers, body: "{}" });
    assert.equal(res.status, status, JSON.stringify(headers));
    assert.equal(typeof (await res.json()).detail, "string");
  }
  assert.equal(state.loads, loads, "no refused request loaded anything");
  assert.equal((await reload(app, { ...JSON_TYPE, Origin: "http://localhost" })).status, 200, "same origin");
  assert.equal((await reload(app, { ...JSON_TYPE, "Sec-Fetch-Site": "same-origin" })).status, 200);
});

Deno.test("with an admin token, /admin/reload needs Authorization: Bearer with exactly that token", async () => {
  const { holder, state } = await countedHolder();
  const { app } = createApp({ holder, maxBatch: 50, adminToken: TOKEN });
  const loads = state.loads;
  const missing = await reload(app);
  assert.equal(missing.status, 401);
  assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer/);
  assert.deepEqual(await missing.json(), { detail: "Admin routes need Authorization: Bearer <admin token>" });
  const wrong = await reload(app, { ...JSON_TYPE, Authorization: `Bearer ${TOKEN}x` });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), { detail: "Invalid admin token" });
  assert.equal(state.loads, loads);
  const right = await reload(app, { ...JSON_TYPE, Authorization: `Bearer ${TOKEN}` });
  assert.equal(right.status, 200);
  assert.equal(state.loads, loads + 1);
  assert.equal((await app.request("/health")).status, 200, "other routes need no token");
});

Deno.test("concurrent reloads share one load; reloads start at most once per minReloadIntervalMs", async () => {
  const { holder, state } = await countedHolder({ minReloadIntervalMs: 150 });
  const { app } = createApp({ holder, maxBatch: 50 });
  const before = state.loads;
  // Taken before the first reload begins: the third begins at least 2 intervals after the first, however long loads take.
  const began = performance.now();
  const answers = await Promise.all(Array.from({ length: 20 }, () => reload(app)));
  assert.deepEqual(answers.map((res) => res.status), Array(20).fill(200));
  assert.equal(state.loads, before + 1, "twenty concurrent requests, one load");
  await reload(app);
  await reload(app);
  assert.equal(state.loads, before + 3);
  assert.ok(performance.now() - began >= 2 * 150 - 5, "each reload waited for the interval since the last one began");
});

Deno.test("deno task serve off loopback refuses to start without an admin token unless told, with a warning", async () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "server/main.ts", "--model", "/nonexistent/bundle.json", "--port", "0", ...args],
      env: { SCORING_ADMIN_TOKEN: "", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const refused = await run(["--host", "0.0.0.0"]);
  assert.equal(refused.code, 1);
  const lines = new TextDecoder().decode(refused.stderr).trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^error: refusing to listen on 0\.0\.0\.0 without an admin token: .*SCORING_ADMIN_TOKEN/);
  const shortToken = await run(["--host", "0.0.0.0", "--admin-token", "short"]);
  assert.match(new TextDecoder().decode(shortToken.stderr), /admin token .* at least 16 characters/);
  // Both get past the token check and stop at the missing model, before listening anywhere.
  const optedOut = new TextDecoder().decode((await run(["--host", "0.0.0.0", "--allow-unauthenticated-admin"])).stderr);
  assert.match(optedOut, /"level":"warn","msg":"admin routes need no token \(--allow-unauthenticated-admin\)/);
  assert.match(optedOut, /cannot load model/);
  const withToken = new TextDecoder().decode(
    (await run(["--host", "0.0.0.0"], { SCORING_ADMIN_TOKEN: TOKEN })).stderr,
  );
  assert.doesNotMatch(withToken, /admin token|allow-unauthenticated-admin/);
  assert.match(withToken, /cannot load model/);
});
