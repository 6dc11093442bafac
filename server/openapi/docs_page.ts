/**
 * The human-readable API page (`/docs`): endpoints, the input fields of the
 * serving model, examples and error shapes, rendered from the OpenAPI
 * document as one self-contained HTML page (inline CSS, no script, no CDN),
 * so it works on a machine without network access.
 *
 * @module
 */
import type { OpenApiDocument, Operation } from "./document.ts";
import { escapeHtml } from "../../src/eda/html.ts";

/**
 * Renders the docs page.
 *
 * @example
 * ```ts
 * import type { ServingModel } from "../model/serving_model.ts";
 * import { openApiDocument } from "./document.ts";
 * declare const model: ServingModel;
 * const html = docsPage(openApiDocument([], model, { maxBatch: 1000, maxBodyBytes: 1 << 20 }));
 * html.startsWith("<!doctype html>"); // true
 * ```
 */
export function docsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation }))
  );
  const record = doc.components.schemas.CustomerRecord as {
    properties?: Record<string, FieldSchema>;
  };
  const fields = Object.entries(record.properties ?? {});
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1d2330}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.05em;margin-bottom:.3em}
code,pre{font:13px ui-monospace,monospace;background:#f3f4f7;border-radius:4px}code{padding:1px 4px}
pre{padding:.7em;overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border-bottom:1px solid #e3e5ea;padding:4px 8px;text-align:left;vertical-align:top}
.m{font-weight:600;font-family:ui-monospace,monospace;padding:1px 6px;border-radius:3px;color:#fff}
.get{background:#2f6f9f}.post{background:#3a8a4f}.muted{color:#667}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <span class="muted">${escapeHtml(doc.info.version)}</span></h1>
<p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}).</p>
<h2>Endpoints</h2>
<table><tr><th>Method</th><th>Path</th><th>What it does</th></tr>
${
    operations.map(({ path, method, operation }) =>
      `<tr><td><span class="m ${method}">${method.toUpperCase()}</span></td><td><code>${escapeHtml(path)}</code></td>` +
      `<td><b>${escapeHtml(operation.summary)}</b>. ${escapeHtml(operation.description)}</td></tr>`
    ).join("\n")
  }
</table>
<h2>Input fields</h2>
<p>All optional: a missing or <code>null</code> field is imputed as in training.</p>
<table><tr><th>Field</th><th>Type</th><th>Description</th><th>Rule</th></tr>
${fields.map(([name, schema]) => fieldRow(name, schema)).join("\n")}
</table>
${
    operations.filter(({ operation }) => operation.requestBody).map(({ path, method, operation }) =>
      example(path, method, operation)
    ).join("\n")
  }
<h2>Errors</h2>
<p>Every answer carries an <code>X-Request-Id</code> header (the client's own, when it sends a valid one). Errors are
JSON. On <code>/score</code> and <code>/score/batch</code>: FastAPI's shape, 422 with one entry per problem:</p>
<pre>${
    escapeHtml(JSON.stringify(
      {
        detail: [
          { loc: ["body", "frequency"], msg: "Input should be greater than or equal to 0", type: "greater_than_equal" },
          { loc: ["body", "recency"], msg: "Extra inputs are not permitted", type: "extra_forbidden" },
        ],
      },
      null,
      2,
    ))
  }</pre>
<p>400 for a body that is not JSON (<code>json_invalid</code>), 413 for a body over the limit, 404/405 for unknown
routes or methods. On <code>/invocations</code>: MLflow's <code>{"error_code": "BAD_REQUEST", "message": "..."}</code>
with 400, 413 or 415.</p>
</body></html>
`;
}

interface FieldSchema {
  readonly description?: string;
  readonly anyOf?: readonly { type?: string; minimum?: number }[];
  readonly type?: string;
  readonly minimum?: number;
  readonly examples?: readonly unknown[];
  readonly "x-training-range"?: readonly number[];
}

function fieldRow(name: string, schema: FieldSchema): string {
  const variants = schema.anyOf ?? [schema];
  const types = variants.map((variant) => variant.type).filter((type) => type && type !== "null");
  const rules: string[] = [];
  if (variants.some((variant) => variant.minimum === 0)) rules.push("not negative");
  const range = schema["x-training-range"];
  if (range) rules.push(`training range ${range[0]} to ${range[1]}`);
  else if (schema.examples?.length) rules.push(`levels: ${schema.examples.join(", ")}`);
  return `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(types.join(" or "))}</td>` +
    `<td>${escapeHtml(schema.description ?? "")}</td><td>${escapeHtml(rules.join("; "))}</td></tr>`;
}

function example(path: string, method: string, operation: Operation): string {
  const [type, body] = Object.entries(operation.requestBody!.content)[0];
  if (body.example === undefined) return "";
  const payload = JSON.stringify(body.example);
  return `<h3>${method.toUpperCase()} ${escapeHtml(path)}</h3>
<pre>curl -s http://127.0.0.1:8000${escapeHtml(path)} -H 'Content-Type: ${escapeHtml(type)}' -d '${
    escapeHtml(payload)
  }'</pre>`;
}
