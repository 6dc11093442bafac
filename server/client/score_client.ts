/**
 * A client of the scoring server: one customer to `/score`, many in chunks to
 * `/score/batch`, each request retried on connection errors and 5xx answers
 * (see `../retry.ts`), and every failure turned into one readable message
 * (FastAPI's `detail` entries spelled out, rows of a chunk counted from the
 * first record sent).
 *
 * @module
 */
import type { BatchAnswer, ScoreAnswer, ScoredCustomer } from "../routes/score.ts";
import type { ModelInfo } from "../model/serving_model.ts";
import { fetchWithRetry, type RetryOptions } from "../retry.ts";

/** `/model`'s answer as the client reads it. */
export interface ServerModel extends ModelInfo {
  readonly limits: { readonly max_batch: number; readonly max_body_bytes: number };
}

/** The answers to a chunked batch, in the order the records were given. */
export interface BatchScores {
  readonly model_name: string;
  readonly model_version: number | null;
  readonly results: readonly ScoredCustomer[];
}

/** Records to score: an array, or a count and a way to take a slice (so a big file is read chunk by chunk). */
export type RecordSource =
  | readonly unknown[]
  | { readonly count: number; take(offset: number, size: number): readonly unknown[] };

/**
 * The server answered with an error status (after any retries of a 5xx).
 *
 * @example
 * ```ts
 * try {
 *   await new ScoreClient("http://127.0.0.1:8000").score({ frequency: -1 });
 * } catch (error) {
 *   (error as ScoreError).status; // 422
 * }
 * ```
 */
export class ScoreError extends Error {
  override name = "ScoreError";

  constructor(message: string, readonly status: number, readonly attempts: number) {
    super(message);
  }
}

/** Options of {@link ScoreClient}. */
export interface ScoreClientOptions extends RetryOptions {
  /** Reason codes per customer (the server's default when absent). */
  readonly reasons?: number;
}

/**
 * Scores customers through the HTTP API.
 *
 * @example
 * ```ts
 * const client = new ScoreClient("http://127.0.0.1:8000", { retries: 3 });
 * const answer = await client.score({ customer_id: 7, recency_days: 12, frequency: 20 });
 * answer.decision; // "convert" or "no_convert"
 * ```
 */
export class ScoreClient {
  readonly baseUrl: string;
  readonly #options: ScoreClientOptions;

  constructor(baseUrl: string, options: ScoreClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#options = options;
  }

  /** The serving model: name, version, input schema, limits. */
  async model(): Promise<ServerModel> {
    return await this.#request<ServerModel>("GET", "/model");
  }

  /** Scores one customer. */
  async score(record: unknown): Promise<ScoreAnswer> {
    return await this.#request<ScoreAnswer>("POST", this.#path("/score"), record);
  }

  /**
   * Scores records in chunks of `batchSize`, one `/score/batch` request each,
   * in order; `onChunk` is told the count done after each.
   */
  async scoreBatch(
    records: RecordSource,
    { batchSize, onChunk }: { batchSize: number; onChunk?: (done: number) => void },
  ): Promise<BatchScores> {
    const source = Array.isArray(records)
      ? { count: records.length, take: (offset: number, size: number) => records.slice(offset, offset + size) }
      : records as Exclude<RecordSource, readonly unknown[]>;
    const results: ScoredCustomer[] = [];
    let last: BatchAnswer | undefined;
    for (let offset = 0; offset < source.count; offset += batchSize) {
      const chunk = source.take(offset, Math.min(batchSize, source.count - offset));
      last = await this.#request<BatchAnswer>("POST", this.#path("/score/batch"), chunk, offset);
      results.push(...last.results);
      onChunk?.(results.length);
    }
    return { model_name: last?.model_name ?? "", model_version: last?.model_version ?? null, results };
  }

  #path(path: string): string {
    return this.#options.reasons === undefined ? path : `${path}?reasons=${this.#options.reasons}`;
  }

  async #request<T>(method: string, path: string, body?: unknown, rowOffset?: number): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const { response, attempts } = await fetchWithRetry(url, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
    }, this.#options);
    const text = await response.text();
    if (!response.ok) {
      const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
      const what = `${method} ${url.split("?")[0]} answered ${response.status} ${response.statusText}${tries}`;
      throw new ScoreError(`${what}: ${explain(text, rowOffset)}`, response.status, attempts);
    }
    return JSON.parse(text) as T;
  }
}

/** An error body in one line: FastAPI `detail` entries as "where: what (got value)", rows counted from 1. */
function explain(text: string, rowOffset?: number): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 500) || "(empty answer)";
  }
  const { detail, message } = body as { detail?: unknown; message?: unknown };
  if (typeof detail === "string") return detail;
  if (typeof message === "string") return message;
  if (!Array.isArray(detail)) return text.slice(0, 500);
  const shown = detail.slice(0, 5).map((entry: { loc?: unknown[]; msg?: string; input?: unknown }) => {
    const loc = (entry.loc ?? []).filter((part) => part !== "body");
    if (rowOffset !== undefined && typeof loc[0] === "number") loc[0] = `row ${rowOffset + loc[0] + 1}`;
    const got = entry.input !== undefined ? ` (got ${JSON.stringify(entry.input)})` : "";
    return `${loc.length ? `${loc.join(", ")}: ` : ""}${entry.msg ?? "invalid"}${got}`;
  });
  const more = detail.length > shown.length ? `; and ${detail.length - shown.length} more` : "";
  return shown.join("; ") + more;
}
