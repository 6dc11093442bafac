/**
 * `POST /score` (one customer) and `POST /score/batch` (an array, answered in
 * order): the seed API's contract with FastAPI's error shapes.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import type { ScoreResult } from "../../src/bundle/scorer.ts";
import { validJson } from "../middleware/valid_json.ts";
import { bodyLimit } from "../middleware/body_limit.ts";
import { ScoreCoalescer } from "../model/coalescer.ts";
import type { AppEnv, ServerDeps } from "../env.ts";
import { detailError } from "../middleware/errors.ts";
import { ID_FIELD, issueDetails, type ScoreRecord } from "../model/validation.ts";

/** Reason codes per answer unless `?reasons=N` asks otherwise. */
export const DEFAULT_REASONS = 3;
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

const reasonsQuery = z.coerce.number().int().min(0).max(MAX_REASONS).default(DEFAULT_REASONS);

/**
 * The scoring routes.
 *
 * @example
 * ```ts
 * app.route("/", scoreRoutes(deps));
 * ```
 */
export function scoreRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = bodyLimit(
    deps.maxBodyBytes,
    (c) => detailError(c, 413, `Request body is larger than the limit of ${deps.maxBodyBytes} bytes`),
  );
  const coalescer = new ScoreCoalescer();

  app.post("/score", limit, async (c) => {
    const model = deps.holder.current;
    if (model === undefined) return noModel(c, deps);
    const reasons = reasonCount(c);
    if (typeof reasons !== "number") return reasons;
    const body = await validJson(c, model.schemas.record, model.schemas.isRecord);
    if (!body.ok) return body.response;
    const result = await coalescer.score(model, body.data, reasons);
    deps.metrics.countScored(1);
    const answer: ScoreAnswer = {
      customer_id: body.data[ID_FIELD] ?? null,
      probability: result.probability,
      score: result.score,
      decision: result.decision,
      reasons: result.reasons,
      model_name: model.name,
      model_version: model.version,
    };
    return c.json(answer);
  });

  app.post("/score/batch", limit, async (c) => {
    const model = deps.holder.current;
    if (model === undefined) return noModel(c, deps);
    const reasons = reasonCount(c);
    if (typeof reasons !== "number") return reasons;
    const body = await validJson(c, model.schemas.batch, model.schemas.isBatch);
    if (!body.ok) return body.response;
    const results = model.scorer.scoreRecords(body.data, { reasons });
    deps.metrics.countScored(results.length);
    const answer: BatchAnswer = {
      model_name: model.name,
      model_version: model.version,
      count: results.length,
      results: results.map((result, i) => scored(body.data[i], result)),
    };
    return c.json(answer);
  });

  return app;
}

function scored(record: ScoreRecord, result: ScoreResult): ScoredCustomer {
  return {
    customer_id: record[ID_FIELD] ?? null,
    probability: result.probability,
    score: result.score,
    decision: result.decision,
    reasons: result.reasons,
  };
}

function reasonCount(c: Context): number | Response {
  const raw = c.req.query("reasons");
  if (raw === undefined) return DEFAULT_REASONS;
  const parsed = reasonsQuery.safeParse(raw);
  if (parsed.success) return parsed.data;
  return detailError(c, 422, issueDetails(parsed.error.issues, ["query", "reasons"], raw));
}

/**
 * The answer while no model is loaded (only with `--allow-no-model`): a
 * deliberate 503, since the server, not the input, is not ready.
 *
 * @example
 * ```ts
 * if (deps.holder.current === undefined) return noModel(c, deps);
 * ```
 */
export function noModel(c: Context, deps: ServerDeps): Response {
  const reason = deps.holder.lastError?.message ?? "not loaded yet";
  return detailError(c, 503, `No model is loaded (${deps.holder.uri}: ${reason})`);
}
