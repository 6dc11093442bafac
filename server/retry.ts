/**
 * HTTP requests that survive a flaky network or a restarting server:
 * connection errors, timeouts and 5xx answers are retried with exponential
 * backoff and full jitter (a random delay up to `base * 2^attempt`, capped,
 * so that many clients retrying at once spread out); 4xx answers are the
 * request's own fault and are never retried. Scoring is idempotent, so
 * resending a request is safe.
 *
 * @module
 */

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

/**
 * The wait before retry number `attempt` (0-based): full jitter over an
 * exponentially growing, capped ceiling.
 *
 * @example
 * ```ts
 * backoffDelay(0, { random: () => 0.5 }); // 100 (half of 200)
 * backoffDelay(3, { random: () => 0.5 }); // 800 (half of 1600)
 * ```
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 200;
  const ceiling = Math.min(options.maxDelayMs ?? 5000, base * 2 ** attempt);
  return Math.round((options.random ?? Math.random)() * ceiling);
}

/**
 * Sends a request, retrying as described above. Returns the first answer
 * below 500, or the last 5xx answer once the retries are spent; throws a
 * {@link ConnectionError} when no attempt got an answer.
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
  const retries = options.retries ?? 3;
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const total = retries + 1;
  for (let attempt = 1;; attempt++) {
    let reason: string;
    try {
      const response = await send(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      if (response.status < 500 || attempt === total) return { response, attempts: attempt };
      reason = `${response.status} ${response.statusText}`.trim();
      await response.body?.cancel();
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      if (attempt === total) throw new ConnectionError(url, attempt, networkReason(error), { cause: error });
      reason = networkReason(error);
    }
    const delayMs = backoffDelay(attempt - 1, options);
    options.onRetry?.({ attempt: attempt + 1, of: total, delayMs, reason });
    await sleep(delayMs);
  }
}

function isNetworkError(error: unknown): boolean {
  // fetch rejects with a TypeError when no answer came; a timeout aborts with a TimeoutError.
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
