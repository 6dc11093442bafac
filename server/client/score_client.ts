/**
 * A client of the scoring server: one customer to `/score`, many in chunks to
 * `/score/batch`, and every failure turned into one readable message
 * (FastAPI's `detail` entries spelled out, rows of a chunk counted from the
 * first record sent).
 *
 * Each request survives a flaky network or a restarting server: connection
 * errors, timeouts and 5xx answers are retried with exponential backoff and
 * full jitter (a random delay up to `base * 2^retry`, capped, so that many
 * clients retrying at once spread out), or after the wait a 5xx answer's
 * `Retry-After` asks for; 4xx answers are the request's own fault and are
 * never retried. Scoring is idempotent, so resending a request is safe.
 *
 * @module
 */
import type { BatchAnswer, ScoreAnswer, ScoredCustomer } from "../routes/score.ts";
import type { ModelInfo } from "../model/serving_model.ts";
import { exponentialBackoff } from "../../src/resilience/backoff.ts";
import { retry } from "../../src/resilience/retry.ts";
import { systemClock } from "../../src/resilience/clock.ts";
import { timeout } from "../../src/resilience/timeout.ts";
import { wrap } from "../../src/resilience/policy.ts";

/** How to retry. */
export interface RetryOptions {
  /** Attempts after the first (default 3). */
  readonly retries?: number;
  /** The first backoff ceiling in ms (default 200); it doubles per attempt. */
  readonly baseDelayMs?: number;
  /** The largest backoff ceiling in ms (default 5000). */
  readonly maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 30000); a timeout is retried like a connection error. */
  readonly timeoutMs?: number;
  /** Uniform on [0, 1): the jitter (injectable for tests). */
  readonly random?: () => number;
  /** Waits (injectable for tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The fetch to use (injectable for tests). */
  readonly fetch?: typeof fetch;
  /** Told before each retry. */
  readonly onRetry?: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => void;
}

/** An answer and how many attempts it took. */
export interface RetriedResponse {
  readonly response: Response;
  readonly attempts: number;
}

/**
 * No answer at all (connection refused, reset, timed out) after every attempt.
 *
 * @example
 * ```ts
 * new ConnectionError("http://127.0.0.1:8000/score", 4, "connection refused").message;
 * // "cannot reach http://127.0.0.1:8000/score (connection refused) after 4 attempts"
 * ```
 */
export class ConnectionError extends Error {
  override name = "ConnectionError";

  constructor(readonly url: string, readonly attempts: number, readonly reason: string, options?: ErrorOptions) {
    super(`cannot reach ${url} (${reason}) after ${attempts} attempt${attempts === 1 ? "" : "s"}`, options);
  }
}

/** A 5xx answer, thrown inside the retry policy so that it is retried like a lost connection. */
class ServerFailure extends Error {
  constructor(readonly response: Response) {
    super(`${response.status} ${response.statusText}`.trim());
  }
}

/**
 * Sends a request, retrying as described in the module doc. Returns the
 * first answer below 500, or the last 5xx answer once the retries are spent;
 * throws a {@link ConnectionError} when no attempt got an answer.
 *
 * @example
 * ```ts
 * const { response, attempts } = await fetchWithRetry("http://127.0.0.1:8000/score", {
 *   method: "POST",
 *   body: JSON.stringify({ customer_id: 1, frequency: 3 }),
 * }, { retries: 3 });
 * ```
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  options: RetryOptions = {},
): Promise<RetriedResponse> {
  const send = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  const sleep = options.sleep;
  let attempts = 0;
  const policy = wrap(
    retry({
      retries,
      backoff: exponentialBackoff({ baseMs: options.baseDelayMs ?? 200, maxMs: options.maxDelayMs ?? 5000, jitter: 1 }),
      retryIf: (error) => error instanceof ServerFailure || isNetworkError(error),
      retryAfterMs: (error) => error instanceof ServerFailure ? retryAfterMs(error.response) : undefined,
      random: options.random,
      clock: sleep ? { sleep: (ms) => sleep(ms) } : systemClock,
      onRetry: ({ attempt, error, delayMs }) => {
        if (error instanceof ServerFailure) error.response.body?.cancel();
        const reason = error instanceof ServerFailure ? error.message : networkReason(error);
        options.onRetry?.({ attempt: attempt + 1, of: retries + 1, delayMs, reason });
      },
    }),
    timeout(options.timeoutMs ?? 30_000, () => new DOMException("timed out", "TimeoutError")),
  );
  try {
    const response = await policy.execute(async ({ signal, attempt }) => {
      attempts = attempt;
      const response = await send(url, { ...init, signal });
      if (response.status >= 500) throw new ServerFailure(response);
      return response;
    });
    return { response, attempts };
  } catch (error) {
    if (error instanceof ServerFailure) return { response: error.response, attempts };
    if (isNetworkError(error)) throw new ConnectionError(url, attempts, networkReason(error), { cause: error });
    throw error;
  }
}

/** The wait a `Retry-After` header asks for (seconds or an HTTP date), if any. */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("Retry-After")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function isNetworkError(error: unknown): boolean {
  // fetch rejects with a TypeError when no answer came; the timeout aborts with a TimeoutError.
  return error instanceof TypeError || (error instanceof DOMException && error.name === "TimeoutError");
}

function networkReason(error: unknown): string {
  if (error instanceof DOMException) return "timed out";
  // Deno's fetch says "fetch failed" and keeps the cause ("tcp connect error: Connection refused") underneath.
  const message = [error, (error as Error).cause].map((e) => String((e as Error)?.message ?? e ?? "")).join(" ");
  if (/refused/i.test(message)) return "connection refused";
  if (/reset/i.test(message)) return "connection reset";
  if (/dns|lookup|resolve/i.test(message)) return "host not found";
  return String((error as Error).message ?? error).split("\n")[0];
}

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
