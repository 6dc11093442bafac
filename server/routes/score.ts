/**
 * `POST /score` (one customer) and `POST /score/batch` (an array, answered in
 * order): the seed API's contract with FastAPI's error shapes.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { ScoreOptions, ScoreResult } from "../../src/bundle/scorer.ts";
import { validJson } from "../middleware/valid_json.ts";
import { receiveBody } from "../middleware/read_body.ts";
import { ScoreCoalescer } from "../model/coalescer.ts";
import { scoreInSlices } from "../model/score_slices.ts";
import type { AppEnv, RouteModule, ServerDeps } from "../env.ts";
import { detailError } from "../middleware/errors.ts";
import { type Describe, jsonContent, ref, schemaOf } from "../openapi/document.ts";
import { ID_FIELD, issueDetails, type ScoreRecord } from "../model/validation.ts";

/** Reason codes per answer unless `?reasons=N|all` asks otherwise. */
const DEFAULT_REASONS = 3;
/** The options of a request without query parameters. */
const DEFAULT_OPTIONS: ScoreOptions = { reasons: DEFAULT_REASONS };
/** The most reason codes a request may ask for. */
export const MAX_REASONS = 20;

/** One scored customer, as `/score` answers and `/score/batch` lists. */
export interface ScoredCustomer extends ScoreResult {
  readonly customer_id: string | number | null;
}

/** The `/score` answer. */
export interface ScoreAnswer extends ScoredCustomer {
  readonly model_name: string;
  readonly model_version: number | null;
}

/** The `/score/batch` answer. */
export interface BatchAnswer {
  readonly model_name: string;
  readonly model_version: number | null;
  readonly count: number;
  readonly results: readonly ScoredCustomer[];
}

const reasonsQuery = z.union([z.literal("all"), z.coerce.number().int().min(0).max(MAX_REASONS)]);
const methodQuery = z.enum(["reference", "max_points"]);

/**
 * The scoring routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * declare const deps: ServerDeps;
 * new Hono().route("/", scoreRoutes(deps).app);
 * ```
 */
export function scoreRoutes(deps: ServerDeps): RouteModule {
  const app = new Hono<AppEnv>();
  const receive = receiveBody({
    maxBytes: deps.maxBodyBytes,
    timeoutMs: deps.bodyTimeoutMs,
    log: deps.log,
    onTooLarge: (c) => detailError(c, 413, `Request body is larger than the limit of ${deps.maxBodyBytes} bytes`),
    onTimeout: (c) => detailError(c, 408, `Request body not received within ${deps.bodyTimeoutMs} ms`),
  });
  const coalescer = new ScoreCoalescer();

  app.post("/score", receive, async (c) => {
    const model = deps.holder.current;
    if (model === undefined) return noModel(c, deps);
    const options = scoreOptions(c, model.scorer.methods);
    if (options instanceof Response) return options;
    const body = await validJson(c, model.schemas.record, model.schemas.isRecord);
    if (!body.ok) return body.response;
    const result = await coalescer.score(model, body.data, options);
    deps.metrics.countScored(1);
    const answer: ScoreAnswer = {
      customer_id: body.data[ID_FIELD] ?? null,
      probability: result.probability,
      score: result.score,
      baseline_score: result.baseline_score,
      decision: result.decision,
      reasons: result.reasons,
      model_name: model.name,
      model_version: model.version,
    };
    return c.json(answer);
  });

  app.post("/score/batch", receive, async (c) => {
    const model = deps.holder.current;
    if (model === undefined) return noModel(c, deps);
    const options = scoreOptions(c, model.scorer.methods);
    if (options instanceof Response) return options;
    const body = await validJson(c, model.schemas.batch, model.schemas.isBatch);
    if (!body.ok) return body.response;
    const results = await scoreInSlices(model.scorer, body.data, options);
    deps.metrics.countScored(results.length);
    const answer: BatchAnswer = {
      model_name: model.name,
      model_version: model.version,
      count: results.length,
      results: results.map((result, i) => scored(body.data[i], result)),
    };
    return c.json(answer);
  });

  return { app, describe };
}

const describe: Describe = ({ model, maxBatch, maxBodyBytes, example }) => {
  const reasonsParameter = {
    name: "reasons",
    in: "query",
    required: false,
    description: `Reason codes per customer (the fields that lowered the score most), 0 to ${MAX_REASONS}, ` +
      `or "all" for every field (their points add up to score − baseline_score).`,
    schema: {
      oneOf: [{ type: "integer", minimum: 0, maximum: MAX_REASONS }, { const: "all" }],
      default: DEFAULT_REASONS,
    },
  };
  const methodParameter = {
    name: "reason_method",
    in: "query",
    required: false,
    description: `What points are measured against: the reference customer (default), or for scorecards ` +
      `"max_points", the maximum attainable points of each characteristic.`,
    schema: { enum: ["reference", "max_points"], default: "reference" },
  };
  const inputErrors = {
    "400": { description: "The body is not JSON.", content: jsonContent(ref("HTTPValidationError")) },
    "413": { description: `The body is larger than ${maxBodyBytes} bytes.`, content: jsonContent(ref("HTTPError")) },
    "422": {
      description: "Validation error, one entry per problem.",
      content: jsonContent(ref("HTTPValidationError")),
    },
    "503": { description: "No model is loaded (only with --allow-no-model).", content: jsonContent(ref("HTTPError")) },
  };
  return {
    paths: {
      "/score": {
        post: {
          summary: "Score one customer",
          description: "A customer_id (echoed back) and any of the model's input fields.",
          tags: ["scoring"],
          parameters: [reasonsParameter, methodParameter],
          requestBody: { content: jsonContent(ref("CustomerRecord"), example) },
          responses: { "200": { description: "The score.", content: jsonContent(ref("ScoreAnswer")) }, ...inputErrors },
        },
      },
      "/score/batch": {
        post: {
          summary: "Score many customers",
          description: `An array of 1 to ${maxBatch} records; answers in the same order.`,
          tags: ["scoring"],
          parameters: [reasonsParameter, methodParameter],
          requestBody: { content: jsonContent(ref("CustomerBatch"), [example]) },
          responses: {
            "200": { description: "The scores, in order.", content: jsonContent(ref("BatchAnswer")) },
            ...inputErrors,
          },
        },
      },
    },
    schemas: {
      CustomerRecord: model ? schemaOf(model.schemas.record) : { type: "object", description: "No model is loaded." },
      CustomerBatch: { type: "array", items: ref("CustomerRecord"), minItems: 1, maxItems: maxBatch },
      Reason: {
        type: "object",
        properties: {
          feature: { type: "string" },
          value: { type: ["number", "string", "null"] },
          reference_value: { type: ["number", "string", "null"], description: "The baseline's value." },
          points: { type: "number", description: "Points this field adds against the baseline (negative: lost)." },
        },
      },
      ScoredCustomer: {
        type: "object",
        properties: {
          customer_id: { type: ["string", "integer", "null"] },
          probability: { type: "number" },
          score: { type: "number", description: "Scorecard points." },
          baseline_score: { type: "number", description: "The baseline's points; reasons add up to the gap." },
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
    },
  };
};

function scored(record: ScoreRecord, result: ScoreResult): ScoredCustomer {
  return {
    customer_id: record[ID_FIELD] ?? null,
    probability: result.probability,
    score: result.score,
    baseline_score: result.baseline_score,
    decision: result.decision,
    reasons: result.reasons,
  };
}

/** `?reasons=N|all` and `?reason_method=reference|max_points` (the latter only for models that offer it). */
function scoreOptions(c: Context, methods: readonly string[]): ScoreOptions | Response {
  const rawReasons = c.req.query("reasons");
  const rawMethod = c.req.query("reason_method");
  // zod's parse of the default took 2.6% of the busy time of POST /score under load (CPU profile).
  if (rawReasons === undefined && rawMethod === undefined) return DEFAULT_OPTIONS;
  const reasons = reasonsQuery.safeParse(rawReasons ?? DEFAULT_REASONS);
  if (!reasons.success) {
    return detailError(c, 422, issueDetails(reasons.error.issues, ["query", "reasons"], rawReasons));
  }
  if (rawMethod === undefined) return { reasons: reasons.data };
  const method = methodQuery.refine((m) => methods.includes(m), {
    message: `this model offers reason_method ${methods.join(", ")}`,
  }).safeParse(rawMethod);
  if (!method.success) {
    return detailError(c, 422, issueDetails(method.error.issues, ["query", "reason_method"], rawMethod));
  }
  return { reasons: reasons.data, method: method.data };
}

/**
 * The answer while no model is loaded (only with `--allow-no-model`): a
 * deliberate 503, since the server, not the input, is not ready.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { ServerDeps } from "../env.ts";
 * declare const deps: ServerDeps;
 * new Hono().get("/ready", (c) => deps.holder.current ? c.json({ status: "ready" }) : noModel(c, deps));
 * ```
 */
export function noModel(c: Context, deps: ServerDeps): Response {
  const reason = deps.holder.lastError?.message ?? "not loaded yet";
  return detailError(c, 503, `No model is loaded (${deps.holder.uri}: ${reason})`);
}
