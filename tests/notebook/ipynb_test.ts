import assert from "node:assert/strict";
import { DataError } from "../../src/data/errors.ts";
import { notebookToTypeScript, parseNotebook, summarizeOutputs } from "../../src/notebook/ipynb.ts";

Deno.test("notebookToTypeScript: code cells only, numbered as Jupyter counts cells, each closed by a semicolon", () => {
  const source = notebookToTypeScript({
    cells: [
      { cell_type: "markdown", source: "# Title" },
      { cell_type: "code", source: ["const a = [1, 2]\n", "a\n\n"] },
      { cell_type: "code", source: "(a)[0]" },
      { cell_type: "raw", source: "not code" },
      { cell_type: "code", source: "`${a}`" },
    ],
  });
  assert.equal(source, "// --- cell 2\nconst a = [1, 2]\na\n;\n// --- cell 3\n(a)[0]\n;\n// --- cell 5\n`${a}`\n;\n");
});

Deno.test("notebookToTypeScript: the semicolons keep cells apart where automatic insertion would not", () => {
  // Without the `;`, the second cell would call the first one's `a`: a(a)[0].
  const source = notebookToTypeScript({
    cells: [{ cell_type: "code", source: "const a = [1]\na" }, { cell_type: "code", source: "(a)[0]" }],
  });
  const values: unknown[] = [];
  new Function("record", source.replace(/^a$/m, "record(a)"))((value: unknown) => values.push(value));
  assert.deepEqual(values, [[1]]);
});

Deno.test("summarizeOutputs: errors with their cell, SVG charts, HTML tables, silent and executed cells", () => {
  const summary = summarizeOutputs({
    cells: [
      { cell_type: "markdown", source: "text <table>" },
      { cell_type: "code", source: "import x", outputs: [], execution_count: 1 },
      {
        cell_type: "code",
        source: "show",
        execution_count: 2,
        outputs: [
          { output_type: "display_data", data: { "text/html": ["<div>", "<svg viewBox='0 0 1 1'></svg></div>"] } },
          { output_type: "display_data", data: { "image/svg+xml": "<svg></svg>" } },
          { output_type: "execute_result", data: { "text/html": "<table><tr><td>1</td></tr></table>" } },
          { output_type: "stream", data: undefined },
        ],
      },
      {
        cell_type: "code",
        source: "boom",
        execution_count: 3,
        outputs: [{ output_type: "error", ename: "TypeError", evalue: "x is not a function" }],
      },
      { cell_type: "code", source: "never run" },
    ],
  });
  assert.deepEqual(summary, {
    codeCells: 4,
    silentCells: 2,
    executedCells: 3,
    errors: [{ cell: 4, ename: "TypeError", evalue: "x is not a function" }],
    charts: 2,
    tables: 1,
  });
});

Deno.test("parseNotebook: names the file when the text is not JSON or not a notebook", () => {
  assert.throws(() => parseNotebook("{", "a.ipynb"), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.location.file, "a.ipynb");
    assert.match(error.message, /^a\.ipynb: not JSON/);
    return true;
  });
  assert.throws(() => parseNotebook('{"cells": 3}', "b.ipynb"), /b\.ipynb: not a notebook/);
  assert.equal(parseNotebook('{"cells": []}', "c.ipynb").cells.length, 0);
});

Deno.test("the committed notebooks have their outputs cleared", () => {
  const paths = [...Deno.readDirSync("notebooks")].filter((e) => e.name.endsWith(".ipynb")).map((e) => e.name);
  assert.ok(paths.length >= 4, paths.join(", "));
  for (const name of paths) {
    const summary = summarizeOutputs(parseNotebook(Deno.readTextFileSync(`notebooks/${name}`), name));
    assert.equal(summary.silentCells, summary.codeCells, `${name}: outputs present`);
    assert.equal(summary.executedCells, 0, `${name}: execution counts present`);
  }
});
