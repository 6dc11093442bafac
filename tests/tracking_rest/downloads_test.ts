/**
 * Download folders: only a dead process's are removed; a live process's,
 * this process's and unrelated folders stay.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isDownloadFolder, newDownloadFolder, removeStaleDownloads } from "../../src/tracking/rest/downloads.ts";
import { makeTestDir } from "../temp_dir.ts";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("removeStaleDownloads removes only the downloads of dead processes", async () => {
  const root = await makeTestDir({ prefix: "downloads-test-" });
  try {
    const own = await newDownloadFolder(root);
    await Deno.writeTextFile(join(own, "model_bundle.json"), "{}");
    const dead = join(root, `mlflow-download-${await deadPid()}-abc123`);
    await Deno.mkdir(join(dead, "nested"), { recursive: true });
    await Deno.writeTextFile(join(dead, "nested", "MLmodel"), "flavors: {}");
    const live = join(root, "mlflow-download-1-xyz"); // pid 1 is always alive
    await Deno.mkdir(live);
    const unrelated = join(root, "mlflow-download-notapid");
    await Deno.mkdir(unrelated);

    assert.deepEqual(await removeStaleDownloads(root), [dead]);
    const left = [];
    for await (const entry of Deno.readDir(root)) left.push(join(root, entry.name));
    assert.deepEqual(left.sort(), [own, live, unrelated].sort());
    assert.ok(isDownloadFolder(own));
    assert.ok(!isDownloadFolder(unrelated));
    assert.ok(!isDownloadFolder(join(root, "mlruns", "1", "models", "m-0", "artifacts")));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a process's first download in a folder removes what dead processes left there", async () => {
  const root = await makeTestDir({ prefix: "downloads-sweep-test-" });
  const dead = join(root, `mlflow-download-${await deadPid()}-left`);
  await Deno.mkdir(dead);
  const live = join(root, "mlflow-download-1-kept");
  await Deno.mkdir(live);
  const own = await newDownloadFolder(root);
  const left = [];
  for await (const entry of Deno.readDir(root)) left.push(join(root, entry.name));
  assert.deepEqual(left.sort(), [own, live].sort());
});
