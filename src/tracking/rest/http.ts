/**
 * HTTP to an MLflow tracking server, behaving as MLflow's Python client
 * (`mlflow/utils/rest_utils.py`, `request_utils.py`): credentials from the
 * environment, retries with exponential backoff and jitter on connection
 * errors, timeouts, 408/429/5xx (honouring `Retry-After`), none on other 4xx,
 * a timeout per attempt, and errors that carry MLflow's `error_code` and
 * message and name the endpoint, never the credentials.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { retry } from "../../resilience/retry.ts";
import { TrackingError, type TrackingErrorCode } from "../errors.ts";

/** How to reach a server and how hard to try. */
export interface RestSettings {
  /** The server's base URL without credentials, e.g. `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  /** The `Authorization` header value, if any (never logged). */
  readonly authorization?: string;
  /** Per-attempt timeout (ms); `MLFLOW_HTTP_REQUEST_TIMEOUT` is in seconds, default 120 as MLflow. */
  readonly timeoutMs: number;
  /** Retries after the first attempt (`MLFLOW_HTTP_REQUEST_MAX_RETRIES`, default 7). */
  readonly maxRetries: number;
  /** Backoff factor in seconds (`MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR`, default 2). */
  readonly backoffFactor: number;
  /** Up to this many seconds of random jitter per wait (`MLFLOW_HTTP_REQUEST_BACKOFF_JITTER`, default 1). */
  readonly backoffJitter: number;
  /**
   * `MLFLOW_TRACKING_INSECURE_TLS`: do not verify this server's TLS certificate (as `verify=False` in MLflow's
   * client). Only the requests to the tracking server skip verification; every other connection of the process
   * still verifies.
   */
  readonly insecureTls: boolean;
}

/**
 * Requests in flight at once per connection: uploads and several candidates' runs are logged concurrently, and a
 * one-worker server answers no faster when more wait in its queue.
 */
const MAX_IN_FLIGHT = 8;

/** MLflow's transient status codes (`_TRANSIENT_FAILURE_RESPONSE_CODES`). */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** The error code of a server whose TLS certificate was refused. */
const TLS_CERTIFICATE = "TLS_CERTIFICATE";
/** urllib3's `Retry.DEFAULT_BACKOFF_MAX`, which MLflow keeps. */
const BACKOFF_MAX_SECONDS = 120;
const KNOWN_CODES = new Set<string>([
  "INVALID_PARAMETER_VALUE",
  "RESOURCE_DOES_NOT_EXIST",
  "RESOURCE_ALREADY_EXISTS",
  "INVALID_STATE",
]);

/**
 * The settings for a tracking URI and an environment, as MLflow reads them.
 * Credentials in the URI (`http://user:pass@host`) count as Basic auth and
 * are removed from the base URL.
 *
 * @example
 * ```ts
 * const settings = restSettings("http://127.0.0.1:5000/", { get: () => undefined });
 * settings.baseUrl; // "http://127.0.0.1:5000"
 * settings.maxRetries; // 7
 * ```
 */
export function restSettings(uri: string, env: { get(name: string): string | undefined }): RestSettings {
  const url = new URL(uri);
  const token = env.get("MLFLOW_TRACKING_TOKEN");
  const user = env.get("MLFLOW_TRACKING_USERNAME") ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = env.get("MLFLOW_TRACKING_PASSWORD") ?? (url.password ? decodeURIComponent(url.password) : "");
  url.username = "";
  url.password = "";
  const authorization = token
    ? `Bearer ${token}`
    : user !== undefined
    ? `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`
    : undefined;
  return {
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
    authorization,
    timeoutMs: numberSetting(env, "MLFLOW_HTTP_REQUEST_TIMEOUT", 120) * 1000,
    maxRetries: Math.floor(numberSetting(env, "MLFLOW_HTTP_REQUEST_MAX_RETRIES", 7)),
    backoffFactor: numberSetting(env, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 2),
    backoffJitter: numberSetting(env, "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", 1),
    insecureTls: /^(true|1)$/i.test(env.get("MLFLOW_TRACKING_INSECURE_TLS") ?? ""),
  };
}

function numberSetting(env: { get(name: string): string | undefined }, name: string, fallback: number): number {
  const text = env.get(name);
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new TrackingError("INVALID_PARAMETER_VALUE", `${name} must be a number >= 0, got "${text}"`);
  }
  return value;
}

/**
 * An error answer of the server (or no answer): MLflow's code and message,
 * the endpoint, the HTTP status. Named `TrackingError`, as the commands print
 * tracking errors as one line.
 */
export class RestError extends TrackingError {
  /** MLflow's `error_code` as sent (e.g. `PERMISSION_DENIED`), or `UNAVAILABLE` when the server did not answer. */
  readonly errorCode: string;
  /** `METHOD /path` of the request. */
  readonly endpoint: string;
  /** The HTTP status, `0` when there was no answer. */
  readonly status: number;

  /** An error of `endpoint` with MLflow's `errorCode`. */
  constructor(endpoint: string, status: number, errorCode: string, message: string) {
    const code: TrackingErrorCode = KNOWN_CODES.has(errorCode)
      ? errorCode as TrackingErrorCode
      : status === 0
      ? "UNAVAILABLE"
      : "SERVER_ERROR";
    super(code, `MLflow server ${endpoint}: ${errorCode}${status ? ` (HTTP ${status})` : ""}: ${message}`);
    this.errorCode = errorCode;
    this.endpoint = endpoint;
    this.status = status;
  }
}

/** A request: what to send, and whether to follow it with retries. */
export interface RestRequest {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The path under the base URL, e.g. `/api/2.0/mlflow/runs/create`. */
  readonly path: string;
  /** Query parameters (`undefined` values are left out). */
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** A JSON body. */
  readonly json?: unknown;
  /** A raw body. */
  readonly bytes?: Uint8Array<ArrayBuffer>;
  /** A local file sent as the body, streamed (reopened per attempt). */
  readonly file?: string;
}

/** MLflow's pause before retry `attempt` (1-based): factor * 2^(attempt-1) s, capped, plus up to `jitter` s. */
function backoffMs(settings: RestSettings, attempt: number): number {
  const exponential = Math.min(settings.backoffFactor * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS);
  return (exponential + Math.random() * settings.backoffJitter) * 1000;
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** A failed answer that names its own wait (`Retry-After`), which replaces the backoff delay. */
class AnswerWithWait extends Error {
  constructor(readonly failure: RestError, readonly retryAfterMs: number) {
    super(failure.message);
  }
}

/** Whether a failure may pass on another attempt: no answer, or 408/429/5xx; never another 4xx or a TLS refusal. */
function retryable(error: unknown): boolean {
  const failure = error instanceof AnswerWithWait ? error.failure : error;
  if (!(failure instanceof RestError)) return false;
  // An untrusted certificate stays untrusted: asking again only delays the message that says what to do.
  if (failure.errorCode === TLS_CERTIFICATE) return false;
  return failure.status === 0 || RETRY_STATUSES.has(failure.status);
}

/** One connection to a tracking server. */
export class RestHttp {
  readonly settings: RestSettings;
  readonly #fetch: typeof fetch;
  #requests = 0;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];

  /** A connection with these settings (`fetchImpl` for tests). */
  constructor(settings: RestSettings, fetchImpl: typeof fetch = fetch) {
    this.settings = settings;
    this.#fetch = fetchImpl;
  }

  /** Requests sent so far, every attempt counted. */
  get requests(): number {
    return this.#requests;
  }

  /** Sends a JSON request and returns the parsed answer. */
  async json<T>(request: RestRequest): Promise<T> {
    const response = await this.send(request);
    const text = await response.text();
    try {
      return (text === "" ? {} : JSON.parse(text)) as T;
    } catch {
      throw new RestError(endpointOf(request), response.status, "BAD_RESPONSE", `not JSON: ${text.slice(0, 200)}`);
    }
  }

  /**
   * Sends a request with retries; returns the successful response (its body
   * unread) or throws a {@link RestError}.
   */
  async send(request: RestRequest): Promise<Response> {
    // A finished request hands its slot straight to the next waiter, so no newcomer can slip in between.
    if (this.#inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#inFlight++;
    try {
      return await this.#send(request);
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#inFlight--;
    }
  }

  async #send(request: RestRequest): Promise<Response> {
    const endpoint = endpointOf(request);
    const url = new URL(this.settings.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {};
    if (this.settings.authorization) headers.Authorization = this.settings.authorization;
    if (request.json !== undefined) headers["Content-Type"] = "application/json";
    const jsonBody = request.json === undefined ? undefined : encodeJson(request.json);
    let attempts = 0;
    // MLflow's own schedule (factor * 2^(n-1) s, capped, plus up to `jitter` s), as a listed backoff.
    const delays = Array.from({ length: this.settings.maxRetries }, (_, n) => backoffMs(this.settings, n + 1));
    const policy = retry({
      retries: this.settings.maxRetries,
      backoff: delays,
      retryIf: retryable,
      retryAfterMs: (error) => error instanceof AnswerWithWait ? error.retryAfterMs : undefined,
    });
    try {
      return await policy.execute(async () => {
        attempts++;
        this.#requests++;
        let response: Response;
        const body = jsonBody === undefined ? request.bytes : new TextEncoder().encode(jsonBody);
        try {
          response = request.file !== undefined
            ? await nodeRequest(url, request.method, headers, this.settings, await fileBody(request.file))
            : this.settings.insecureTls && url.protocol === "https:"
            ? await nodeRequest(url, request.method, headers, this.settings, bytesBody(body))
            : await this.#fetch(url, {
              method: request.method,
              headers,
              body,
              signal: AbortSignal.timeout(this.settings.timeoutMs),
            });
        } catch (error) {
          throw this.#noAnswer(endpoint, error);
        }
        if (response.ok) return response;
        const failure = await errorOf(endpoint, response);
        const after = retryAfterSeconds(response.headers.get("Retry-After"));
        throw after === undefined ? failure : new AnswerWithWait(failure, Math.min(after, BACKOFF_MAX_SECONDS) * 1000);
      });
    } catch (error) {
      const failure = error instanceof AnswerWithWait ? error.failure : error;
      if (!(failure instanceof RestError) || attempts === 1) throw failure;
      throw new RestError(
        endpoint,
        failure.status,
        failure.errorCode,
        `${failure.message.replace(/^MLflow server [^:]+: [^:]+: /, "")} (after ${attempts} attempts)`,
      );
    }
  }

  #noAnswer(endpoint: string, error: unknown): RestError {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    // Deno's fetch says only "fetch failed"; why (refused, certificate, ...) is in the cause.
    const cause = (error as Error).cause instanceof Error ? `: ${((error as Error).cause as Error).message}` : "";
    const text = timedOut
      ? `no answer within ${this.settings.timeoutMs / 1000} s`
      : `${(error as Error).message}${cause}`;
    if (!timedOut && /certificate/i.test(text)) {
      return new RestError(
        endpoint,
        0,
        TLS_CERTIFICATE,
        `the TLS certificate of ${this.settings.baseUrl} is not trusted (${text}); for a server with a ` +
          `self-signed certificate set MLFLOW_TRACKING_INSECURE_TLS=true to skip verification for it`,
      );
    }
    return new RestError(endpoint, 0, timedOut ? "TIMEOUT" : "UNAVAILABLE", `${text} (${this.settings.baseUrl})`);
  }
}

/** A request body for {@link nodeRequest}: its length and how to write it. */
interface NodeBody {
  readonly length: number;
  write(outgoing: ClientRequest): void;
}

function bytesBody(bytes: Uint8Array | undefined): NodeBody {
  return { length: bytes?.length ?? 0, write: (outgoing) => outgoing.end(bytes) };
}

/** A local file, streamed. */
async function fileBody(file: string): Promise<NodeBody> {
  const { size } = await Deno.stat(file);
  return {
    length: size,
    write: (outgoing) => createReadStream(file).on("error", (error) => outgoing.destroy(error)).pipe(outgoing),
  };
}

/**
 * One request through node's http(s), the answer's body streamed. Used where
 * Deno's fetch cannot do it: a file upload needs a Content-Length (Deno's
 * fetch sends a stream chunked, and MLflow's artifact proxy, a WSGI app, then
 * stores an empty file), and skipping certificate checks for this one server
 * (Deno's fetch can only skip them process-wide, with
 * `--unsafely-ignore-certificate-errors`; `Deno.createHttpClient`'s `caCerts`
 * refuses a self-signed certificate: "CaUsedAsEndEntity" on Deno 2.9.6).
 */
function nodeRequest(
  url: URL,
  method: string,
  headers: Record<string, string>,
  settings: RestSettings,
  body: NodeBody,
): Promise<Response> {
  const secure = url.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const options = {
    method,
    headers: { ...headers, "Content-Length": String(body.length) },
    ...(secure && settings.insecureTls ? { rejectUnauthorized: false } : {}),
  };
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(url, options, (incoming) => {
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === "string") answerHeaders.set(name, value);
      }
      const status = incoming.statusCode ?? 0;
      const stream = status === 204 || status === 304 ? null : Readable.toWeb(incoming) as ReadableStream<Uint8Array>;
      resolve(new Response(stream, { status, headers: answerHeaders }));
    });
    outgoing.setTimeout(
      settings.timeoutMs,
      () => outgoing.destroy(new DOMException("request timed out", "TimeoutError")),
    );
    outgoing.on("error", reject);
    body.write(outgoing);
  });
}

function endpointOf(request: RestRequest): string {
  return `${request.method} ${request.path}`;
}

async function errorOf(endpoint: string, response: Response): Promise<RestError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error_code?: string; message?: string };
    if (body.error_code) return new RestError(endpoint, response.status, body.error_code, body.message ?? "");
  } catch {
    // Not MLflow's JSON error shape (a proxy's page, an empty body): report the status and the start of the text.
  }
  const code = response.status === 401
    ? "UNAUTHENTICATED"
    : response.status === 403
    ? "PERMISSION_DENIED"
    : `HTTP_${response.status}`;
  return new RestError(endpoint, response.status, code, text.slice(0, 200) || response.statusText);
}

/** JSON as MLflow's protobuf parser reads it: non-finite floats as the strings "NaN", "Infinity", "-Infinity". */
function encodeJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) =>
      typeof item === "number" && !Number.isFinite(item)
        ? (Number.isNaN(item) ? "NaN" : item > 0 ? "Infinity" : "-Infinity")
        : item,
  );
}
