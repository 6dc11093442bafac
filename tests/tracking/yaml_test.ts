import assert from "node:assert/strict";
import { dumpYaml, parseFlatMapping, parseYaml, parseYamlDocument } from "../../src/tracking/yaml.ts";
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

Deno.test("the flat-mapping fast path reads what the yaml package reads, or declines", async () => {
  const seedFiles = (await listFilesRecursive(SEED_ROOT)).filter((file) => file.endsWith("meta.yaml"));
  let fast = 0;
  for (const file of seedFiles) {
    const text = (await Deno.readTextFile(`${SEED_ROOT}/${file}`)).replace(/\r\n?/g, "\n");
    const flat = parseFlatMapping(text);
    if (flat === undefined) continue;
    fast++;
    assert.deepEqual(flat, parseYamlDocument(text, file), file);
  }
  assert.ok(fast >= 100, `the fast path read ${fast} of ${seedFiles.length} seed meta.yaml files`);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = [..."aZ09_ .:/#'\"-[]{},!&*%@`|>?()~=+\té<e"];
  const pick = () => alphabet[Math.floor(next() * alphabet.length)];
  let compared = 0;
  for (let trial = 0; trial < 4000; trial++) {
    const raw = Array.from({ length: 1 + Math.floor(next() * 6) }, pick).join("");
    const texts = [`key: ${raw}\n`, dumpYaml({ key: raw, n: Math.floor(next() * 1e6) / 1e3, i: trial - 2000 })];
    for (const text of texts) {
      const flat = parseFlatMapping(text);
      let full: unknown;
      try {
        full = parseYamlDocument(text, "random");
      } catch {
        assert.equal(flat, undefined, JSON.stringify(text));
        continue;
      }
      if (flat === undefined) continue;
      compared++;
      assert.deepEqual(flat, full, JSON.stringify(text));
    }
  }
  assert.ok(compared > 3000, `${compared} texts compared`);
});
