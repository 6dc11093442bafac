import assert from "node:assert/strict";
import { dumpYaml, parseYaml } from "../../src/tracking/yaml.ts";
import { isTrackingError } from "../../src/tracking/errors.ts";
import { listFilesRecursive } from "../../src/tracking/store_fs.ts";
import { SEED_ROOT } from "./helpers.ts";

Deno.test("every meta.yaml and MLmodel MLflow wrote in the seed store re-dumps byte for byte", async () => {
  const files = (await listFilesRecursive(SEED_ROOT)).filter((file) => /(^|\/)(meta\.yaml|MLmodel)$/.test(file));
  assert.ok(files.length >= 130, `found ${files.length} files`);
  for (const file of files) {
    const text = await Deno.readTextFile(`${SEED_ROOT}/${file}`);
    assert.equal(dumpYaml(parseYaml(text, file) as Record<string, unknown>), text, file);
  }
});

Deno.test("strings PyYAML would resolve to other types are quoted and read back as strings", () => {
  const tricky = [
    "yes",
    "No",
    "on",
    "OFF",
    "~",
    "null",
    "",
    "=",
    "<<",
    "2025-12-17",
    "2025-12-17 03:21:39.42",
    "1:20",
    "017",
    "0x1F",
    "1_000",
    "3.",
    ".inf",
    "-.INF",
    ".NaN",
    "0b101",
    "+12",
    "1.5e+3",
  ];
  const text = dumpYaml(Object.fromEntries(tricky.map((value, index) => [`k${index}`, value])));
  for (const [index, value] of tricky.entries()) {
    assert.ok(text.includes(`k${index}: '${value}'\n`), `${JSON.stringify(value)} must be single-quoted in:\n${text}`);
  }
  const back = parseYaml(text, "x") as Record<string, unknown>;
  tricky.forEach((value, index) => assert.equal(back[`k${index}`], value));
  // ...while strings PyYAML reads as strings stay plain, as PyYAML writes them.
  assert.equal(
    dumpYaml({ a: "y", b: "n", c: "0o17", d: "1e5", e: "héllo" }),
    "a: y\nb: n\nc: 0o17\nd: 1e5\ne: héllo\n",
  );
});

Deno.test("dumpYaml writes PyYAML's block layout: sorted keys, unindented lists, flow empties", () => {
  const text = dumpYaml({ z: [], b: { y: "1", x: ["a", "b"] }, a: {}, n: null, s: "" });
  assert.equal(text, "a: {}\nb:\n  x:\n  - a\n  - b\n  y: '1'\nn: null\ns: ''\nz: []\n");
});

Deno.test("parseYaml keeps 18-digit integers exact and names the file on syntax errors", () => {
  const value = parseYaml("experiment_id: 195242121511690317\nstart: 1765941699204\n", "meta.yaml") as Record<
    string,
    unknown
  >;
  assert.equal(value.experiment_id, 195242121511690317n);
  assert.equal(value.start, 1765941699204);
  try {
    parseYaml("run_id: abc\nend_ti", "/store/0/abc/meta.yaml");
    assert.fail("truncated YAML must not parse");
  } catch (error) {
    assert.ok(isTrackingError(error, "CORRUPT_STORE"));
    assert.match(error.message, /^\/store\/0\/abc\/meta\.yaml: invalid YAML/);
  }
});
