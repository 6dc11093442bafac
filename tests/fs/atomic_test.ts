import assert from "node:assert/strict";
import { writeFileAtomic, writeFileAtomicSync } from "../../src/fs/atomic.ts";
import { stageOutput } from "../../src/fs/stage.ts";
import { makeTestDir } from "../temp_dir.ts";

Deno.test("atomic writes replace the content, create folders and leave no temporary file", async () => {
  const dir = await makeTestDir();
  await writeFileAtomic(`${dir}/a/b.txt`, "one");
  await writeFileAtomic(`${dir}/a/b.txt`, new TextEncoder().encode("two"));
  writeFileAtomicSync(`${dir}/a/c.txt`, (temporary) => Deno.writeTextFileSync(temporary, "three"));
  assert.equal(await Deno.readTextFile(`${dir}/a/b.txt`), "two");
  assert.equal(await Deno.readTextFile(`${dir}/a/c.txt`), "three");
  assert.deepEqual([...Deno.readDirSync(`${dir}/a`)].map((e) => e.name).sort(), ["b.txt", "c.txt"]);
});

Deno.test("atomic writes: the temporary file goes to the scratch folder, never beside the target", async () => {
  const dir = await makeTestDir();
  let seen = "";
  writeFileAtomicSync(`${dir}/params/alpha`, (temporary) => {
    seen = temporary;
    Deno.writeTextFileSync(temporary, "0.5");
  }, dir);
  assert.equal(seen.startsWith(`${dir}/.alpha.tmp-`), true);
  assert.deepEqual([...Deno.readDirSync(`${dir}/params`)].map((e) => e.name), ["alpha"]);
});

Deno.test("atomic writes: a failing writer keeps the old content and removes its temporary file", async () => {
  const dir = await makeTestDir();
  writeFileAtomicSync(`${dir}/t.csv`, "old");
  assert.throws(() =>
    writeFileAtomicSync(`${dir}/t.csv`, (temporary) => {
      Deno.writeTextFileSync(temporary, "half");
      throw new Error("disk full");
    }), /disk full/);
  assert.equal(Deno.readTextFileSync(`${dir}/t.csv`), "old");
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["t.csv"]);
});

Deno.test("atomic writes: a process killed mid-write leaves the old content under the real name", async () => {
  const dir = await makeTestDir();
  const target = `${dir}/bundle.json`;
  writeFileAtomicSync(target, "old");
  const script = `
    import { writeFileAtomicSync } from ${JSON.stringify(new URL("../../src/fs/atomic.ts", import.meta.url).href)};
    writeFileAtomicSync(${JSON.stringify(target)}, (temporary) => {
      Deno.writeTextFileSync(temporary, "half of the new");
      console.log("written");
      while (true) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    });`;
  const child = new Deno.Command(Deno.execPath(), { args: ["eval", script], stdout: "piped", stderr: "inherit" })
    .spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assert.match(new TextDecoder().decode(value), /written/);
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  assert.equal(Deno.readTextFileSync(target), "old");
});

Deno.test("staged output lands all at once on commit, and not at all on abort", async () => {
  const dir = await makeTestDir();
  const failed = stageOutput(dir);
  failed.write("model_bundle.json", "{}");
  failed.abort();
  assert.deepEqual([...Deno.readDirSync(dir)], []);
  const run = stageOutput(dir);
  run.write("model_bundle.json", "{}");
  run.write("report/index.html", "<p>");
  assert.deepEqual(run.commit().map((path) => path.slice(dir.length + 1)), ["model_bundle.json", "report/index.html"]);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["model_bundle.json", "report"]);
});
