/**
 * The OpenAPI 3.1 document of the server, built from the serving model's
 * request schemas (zod's JSON Schema output), so `/openapi.json` and the docs
 * page always describe the fields the loaded model accepts.
 *
 * @module
 */
import { z } from "zod";
import { MLFLOW_INPUT_FORMATS } from "../routes/mlflow_input.ts";
import type { ServingModel } from "../model/serving_model.ts";
import { DEFAULT_REASONS, MAX_REASONS } from "../routes/score.ts";

/** One operation of the document (the parts the docs page shows). */
export interface Operation {
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly unknown[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { schema: unknown; example?: unknown }>> };
  readonly responses: Readonly<Record<string, { description: string; content?: Readonly<Record<string, unknown>> }>>;
}

/** The OpenAPI document. */
export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, unknown>> };
}

/** The server's own version (in the document and the docs page). */
export const SERVER_VERSION = "1.0.0";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown, example?: unknown) => ({
  "application/json": { schema, ...(example !== undefined ? { example } : {}) },
});

/**
 * The document for a serving model (or a placeholder input schema when none is loaded).
 *
 * @example
 * ```ts
 * openApiDocument(model, { maxBatch: 1000, maxBodyBytes: 1 << 20 }).paths["/score"].post.summary; // "Score one customer"
 * ```
 */
export function openApiDocument(
  model: ServingModel | undefined,
  { maxBatch, maxBodyBytes }: { maxBatch: number; maxBodyBytes: number },
): OpenApiDocument {
  const record = model ? schemaOf(model.schemas.record) : { type: "object", description: "No model is loaded." };
  const example = model ? exampleRecord(model) : {};
  const name = model ? `${model.name}${model.version !== null ? ` version ${model.version}` : ""}` : "no model loaded";
  const reasonsParameter = {
    name: "reasons",
    in: "query",
    required: false,
    description: `Reason codes per customer (the features that lowered the score most), 0 to ${MAX_REASONS}.`,
    schema: { type: "integer", minimum: 0, maximum: MAX_REASONS, default: DEFAULT_REASONS },
  };
  const inputErrors = {
    "400": { description: "The body is not JSON.", content: json(ref("HTTPValidationError")) },
    "413": { description: `The body is larger than ${maxBodyBytes} bytes.`, content: json(ref("HTTPError")) },
    "422": { description: "Validation error, one entry per problem.", content: json(ref("HTTPValidationError")) },
    "503": { description: "No model is loaded (only with --allow-no-model).", content: json(ref("HTTPError")) },
  };
  const mlflowErrors = {
    "400": { description: "Bad input (format, JSON, schema).", content: json(ref("MlflowError")) },
    "413": { description: `The body is larger than ${maxBodyBytes} bytes.`, content: json(ref("MlflowError")) },
    "415": { description: "Content type other than JSON or CSV in UTF-8.", content: json(ref("MlflowError")) },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer conversion scoring API",
      version: SERVER_VERSION,
      description: `Scores the probability that a customer buys again within the model's horizon, with scorecard ` +
        `points, a decision at the model's threshold and reason codes. Serving: ${name}. Unknown fields are ` +
        `rejected on /score and /score/batch (422 extra_forbidden) and ignored on /invocations; missing or null ` +
        `fields are imputed as in training; numbers must be finite; counts must not be negative.`,
    },
    paths: {
      "/score": {
        post: {
          summary: "Score one customer",
          description: "A customer_id (echoed back) and any of the model's input fields.",
          tags: ["scoring"],
          parameters: [reasonsParameter],
          requestBody: { content: json(ref("CustomerRecord"), example) },
          responses: { "200": { description: "The score.", content: json(ref("ScoreAnswer")) }, ...inputErrors },
        },
      },
      "/score/batch": {
        post: {
          summary: "Score many customers",
          description: `An array of 1 to ${maxBatch} records; answers in the same order.`,
          tags: ["scoring"],
          parameters: [reasonsParameter],
          requestBody: { content: json(ref("CustomerBatch"), [example]) },
          responses: {
            "200": { description: "The scores, in order.", content: json(ref("BatchAnswer")) },
            ...inputErrors,
          },
        },
      },
      "/invocations": {
        post: {
          summary: "MLflow scoring protocol",
          description: `A JSON object with exactly one of ${MLFLOW_INPUT_FORMATS.join(", ")} (optional params: ` +
            `{"reasons": N}), or text/csv with a header row. Columns the model does not use are ignored.`,
          tags: ["mlflow"],
          requestBody: {
            content: {
              ...json({ type: "object" }, { dataframe_records: [example] }),
              "text/csv": { schema: { type: "string" } },
            },
          },
          responses: {
            "200": { description: "One prediction per row.", content: json(ref("Predictions")) },
            ...mlflowErrors,
          },
        },
      },
      "/ping": get("MLflow health check", '200 with "\\n" when a model is loaded, else 404.', "mlflow"),
      "/version": get("MLflow protocol version", "The MLflow version whose scoring protocol is spoken.", "mlflow"),
      "/health": get("Liveness", "200 while the process answers.", "operations"),
      "/ready": get("Readiness", "200 when a model is loaded, else 503.", "operations"),
      "/model": get("The serving model", "Name, version, alias, run id, input schema, training metrics.", "operations"),
      "/metrics": get("Prometheus metrics", "Requests, errors, latency by route, model version.", "operations"),
      "/openapi.json": get("This document", "OpenAPI 3.1.", "documentation"),
      "/docs": get("Documentation page", "This API as a page that needs no network access.", "documentation"),
      "/admin/reload": {
        post: {
          summary: "Reload the model",
          description: "Loads the model URI afresh and swaps it in; 409 (still serving the old model) if it fails.",
          tags: ["operations"],
          responses: { "200": { description: "Reloaded." }, "409": { description: "The new model failed to load." } },
        },
      },
    },
    components: {
      schemas: {
        CustomerRecord: record,
        CustomerBatch: { type: "array", items: ref("CustomerRecord"), minItems: 1, maxItems: maxBatch },
        Reason: {
          type: "object",
          properties: {
            feature: { type: "string" },
            value: { type: ["number", "string", "null"] },
            points: { type: "number", description: "Points this value cost against the typical customer." },
          },
        },
        ScoredCustomer: {
          type: "object",
          properties: {
            customer_id: { type: ["string", "integer", "null"] },
            probability: { type: "number" },
            score: { type: "number", description: "Scorecard points." },
            decision: { enum: ["convert", "no_convert"] },
            reasons: { type: "array", items: ref("Reason") },
          },
        },
        ScoreAnswer: {
          allOf: [ref("ScoredCustomer"), {
            type: "object",
            properties: { model_name: { type: "string" }, model_version: { type: ["integer", "null"] } },
          }],
        },
        BatchAnswer: {
          type: "object",
          properties: {
            model_name: { type: "string" },
            model_version: { type: ["integer", "null"] },
            count: { type: "integer" },
            results: { type: "array", items: ref("ScoredCustomer") },
          },
        },
        Predictions: { type: "object", properties: { predictions: { type: "array", items: { type: "object" } } } },
        HTTPValidationError: {
          type: "object",
          properties: {
            detail: {
              type: "array",
              items: {
                type: "object",
                required: ["loc", "msg", "type"],
                properties: {
                  loc: { type: "array", items: { type: ["string", "integer"] } },
                  msg: { type: "string" },
                  type: { type: "string" },
                  input: {},
                  ctx: { type: "object" },
                },
              },
            },
          },
        },
        HTTPError: { type: "object", properties: { detail: { type: "string" } } },
        MlflowError: {
          type: "object",
          properties: { error_code: { type: "string" }, message: { type: "string" } },
        },
      },
    },
  };
}

function get(summary: string, description: string, tag: string): Readonly<Record<string, Operation>> {
  return { get: { summary, description, tags: [tag], responses: { "200": { description: "OK" } } } };
}

function schemaOf(schema: z.ZodType): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** A request example: each field at its typical training value. */
function exampleRecord(model: ServingModel): Record<string, unknown> {
  const example: Record<string, unknown> = { customer_id: 999999 };
  for (const field of model.bundle.fields) if (field.reference !== null) example[field.name] = field.reference;
  return example;
}
