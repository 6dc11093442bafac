import assert from "node:assert/strict";
import { makeTestDir } from "../temp_dir.ts";

async function eda(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/eda.ts", ...args],
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  return { code, stdout: new TextDecoder().decode(stdout), stderr: new TextDecoder().decode(stderr) };
}

Deno.test("eda CLI: the seed's features with --target label give a full report, IV included", async () => {
  const folder = await makeTestDir();
  try {
    const out = `${folder}/report.html`;
    const run = await eda("--data", "../shared/data/seed/features.csv", "--target", "label", "--out", out);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote .*report\.html: 1000 rows x 10 columns/);
    const html = await Deno.readTextFile(out);
    for (const id of ["overview", "columns", "missing", "distributions", "outliers", "correlation", "target", "iv"]) {
      assert.ok(html.includes(`<section id="${id}">`), `section ${id}`);
    }
    assert.ok(html.includes("33.9% (339)"), "the seed's positive rate");
    assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["report.html"], "no temporary left");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("eda CLI: a missing file, an unknown target or a missing flag is one line on stderr and exit 1", async () => {
  const folder = await makeTestDir();
  try {
    const out = `${folder}/report.html`;
    const missing = await eda("--data", `${folder}/nope.csv`, "--out", out);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), `error: ${folder}/nope.csv: file not found`);
    const target = await eda("--data", "../shared/data/seed/features.csv", "--target", "churn", "--out", out);
    assert.equal(target.code, 1);
    assert.match(
      target.stderr.trim(),
      /^error: .*features\.csv: target column "churn" is not in the table; found: customer_id,/,
    );
    assert.equal(target.stderr.trim().split("\n").length, 1);
    const noOut = await eda("--data", "../shared/data/seed/features.csv");
    assert.equal(noOut.code, 1);
    assert.match(noOut.stderr, /--out report\.html is required/);
    assert.deepEqual([...Deno.readDirSync(folder)], [], "nothing written");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
