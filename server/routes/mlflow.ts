/**
 * MLflow's scoring-server protocol, so that clients written for
 * `mlflow models serve` work unchanged: `POST /invocations` (JSON in one of
 * MLflow's four formats, or CSV), `GET /ping`, `GET /version`.
 *
 * Differences from `/score`, as MLflow behaves: columns the model does not
 * know are ignored, the answer is `{"predictions": [...]}` (one
 * `{probability, score, decision}` per row, plus `reasons` when
 * `params.reasons` asks for them), and errors are `{"error_code", "message"}`
 * with 400 (bad input), 413 (body too large, or more rows than `--max-batch`)
 * or 415 (content type).
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { receiveBody } from "../middleware/read_body.ts";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { mlflowError } from "../middleware/errors.ts";
import { parseJson } from "../middleware/json_body.ts";
import { MLFLOW_INPUT_FORMATS, type MlflowInput, parseMlflowCsv, parseMlflowJson } from "./mlflow_input.ts";
import { type Describe, getPath, jsonContent, ref } from "../openapi/document.ts";
import { scoreInSlices } from "../model/score_slices.ts";
import type { ServingModel } from "../model/serving_model.ts";
import { issueDetails, type ScoreRecord } from "../model/validation.ts";
import { MAX_REASONS } from "./score.ts";

/** The MLflow version whose scoring protocol this server speaks (what `GET /version` answers). */
export const MLFLOW_PROTOCOL_VERSION = "3.7.0";

const CONTENT_TYPES = ["application/json", "text/csv"];
/** Schema problems listed in one error message before the rest are counted. */
const LISTED_PROBLEMS = 10;
const reasonsParam = z.int().min(0).max(MAX_REASONS).optional();

/**
 * The MLflow protocol routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * declare const deps: ServerDeps;
 * new Hono().route("/", mlflowRoutes(deps).app);
 * ```
 */
export function mlflowRoutes(deps: ServerDeps): RouteModule {
  const app = new Hono<AppEnv>();

  // MLflow answers "\n" with 200 when a model is loaded and 404 otherwise.
  app.get("/ping", (c) => c.body("\n", deps.holder.current ? 200 : 404, { "Content-Type": "application/json" }));
  app.get("/version", (c) => c.body(MLFLOW_PROTOCOL_VERSION, 200, { "Content-Type": "application/json" }));

  const tooLarge = `Request body is larger than the limit of ${deps.maxBodyBytes} bytes`;
  const receive = receiveBody({
    maxBytes: deps.maxBodyBytes,
    timeoutMs: deps.bodyTimeoutMs,
    log: deps.log,
    onTooLarge: (c) => mlflowError(c, 413, tooLarge, "REQUEST_LIMIT_EXCEEDED"),
    onTimeout: (c) => mlflowError(c, 408, `Request body not received within ${deps.bodyTimeoutMs} ms`),
  });

  app.post("/invocations", receive, async (c) => {
    const model = deps.holder.current;
    if (model === undefined) {
      return mlflowError(c, 503, `No model is loaded (${deps.holder.uri})`, "TEMPORARILY_UNAVAILABLE");
    }
    const type = contentType(c.req.header("content-type"));
    if (typeof type !== "string") return mlflowError(c, 415, type.message);
    const text = await c.req.text();
    const input = type === "text/csv" ? await parseMlflowCsv(text) : jsonInput(text, model);
    if (!input.ok) return mlflowError(c, 400, input.message);
    if (input.rows.length > deps.maxBatch) {
      return mlflowError(
        c,
        413,
        `The input has ${input.rows.length} rows; this server scores at most ${deps.maxBatch} per request ` +
          `(--max-batch): send them in several requests.`,
        "REQUEST_LIMIT_EXCEEDED",
      );
    }
    const reasons = reasonsParam.safeParse(input.params.reasons);
    if (!reasons.success) {
      return mlflowError(c, 400, `Invalid params.reasons: expected a whole number from 0 to ${MAX_REASONS}.`);
    }
    const rows = enforceSchema(input.rows, model);
    if (typeof rows === "string") return mlflowError(c, 400, rows);
    const results = await scoreInSlices(model.scorer, rows, { reasons: reasons.data ?? 0 });
    deps.metrics.countScored(results.length);
    const withReasons = (reasons.data ?? 0) > 0;
    return c.json({
      predictions: results.map(({ probability, score, baseline_score, decision, reasons }) =>
        withReasons ? { probability, score, baseline_score, decision, reasons } : { probability, score, decision }
      ),
    });
  });

  return { app, describe };
}

const describe: Describe = ({ maxBatch, maxBodyBytes, example }) => ({
  paths: {
    "/invocations": {
      post: {
        summary: "MLflow scoring protocol",
        description: `A JSON object with exactly one of ${MLFLOW_INPUT_FORMATS.join(", ")} (optional params: ` +
          `{"reasons": N}), or text/csv with a header row. Columns the model does not use are ignored.`,
        tags: ["mlflow"],
        requestBody: {
          content: {
            ...jsonContent({ type: "object" }, { dataframe_records: [example] }),
            "text/csv": { schema: { type: "string" } },
          },
        },
        responses: {
          "200": { description: "One prediction per row.", content: jsonContent(ref("Predictions")) },
          "400": { description: "Bad input (format, JSON, schema).", content: jsonContent(ref("MlflowError")) },
          "413": {
            description: `The body is larger than ${maxBodyBytes} bytes, or has more than ${maxBatch} rows.`,
            content: jsonContent(ref("MlflowError")),
          },
          "415": {
            description: "Content type other than JSON or CSV in UTF-8.",
            content: jsonContent(ref("MlflowError")),
          },
        },
      },
    },
    "/ping": getPath("MLflow health check", '200 with "\\n" when a model is loaded, else 404.', "mlflow"),
    "/version": getPath("MLflow protocol version", "The MLflow version whose scoring protocol is spoken.", "mlflow"),
  },
  schemas: {
    Predictions: { type: "object", properties: { predictions: { type: "array", items: { type: "object" } } } },
  },
});

function jsonInput(text: string, model: ServingModel): MlflowInput {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    return {
      ok: false,
      message:
        `Failed to parse input from JSON. Ensure that input is a valid JSON formatted string. Error: '${parsed.error}'`,
    };
  }
  return parseMlflowJson(parsed.value, model.bundle.fields.map((field) => field.name));
}

/** The media type, or why it is refused (MLflow: only JSON and CSV, only UTF-8, no other parameters). */
function contentType(header: string | undefined): string | { message: string } {
  const [mime, ...parameters] = (header ?? "").split(";").map((part) => part.trim());
  const type = mime.toLowerCase();
  for (const parameter of parameters) {
    const [key, value = ""] = parameter.split("=").map((part) => part.trim().toLowerCase());
    if (key === "charset" && value.replaceAll('"', "") !== "utf-8") {
      return { message: "The scoring server only supports UTF-8" };
    }
    if (key !== "charset") return { message: `Unrecognized content type parameters: ${key}.` };
  }
  if (!CONTENT_TYPES.includes(type)) {
    return {
      message: `This predictor only supports the following content types: Types: ${JSON.stringify(CONTENT_TYPES)}. ` +
        `Got '${header ?? ""}'.`,
    };
  }
  return type;
}

/** The rows checked against the model's input schema, or MLflow's "Failed to enforce schema" message. */
function enforceSchema(rows: readonly unknown[], model: ServingModel): ScoreRecord[] | string {
  const valid: ScoreRecord[] = [];
  const problems: string[] = [];
  let count = 0;
  rows.forEach((row, i) => {
    const result = model.schemas.row.safeParse(row);
    if (result.success) {
      valid.push(result.data);
      return;
    }
    for (const detail of issueDetails(result.error.issues, [i], row)) {
      count++;
      if (problems.length < LISTED_PROBLEMS) {
        const [index, ...path] = detail.loc;
        const shown = "input" in detail ? ` (got ${JSON.stringify(detail.input)})` : "";
        problems.push(`row ${index}${path.length ? `, column '${path.join(".")}'` : ""}: ${detail.msg}${shown}`);
      }
    }
  });
  if (count === 0) return valid;
  const more = count > problems.length ? `; and ${count - problems.length} more` : "";
  return `Failed to enforce schema of data: ${problems.join("; ")}${more}`;
}
