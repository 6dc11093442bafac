/**
 * Receiving a request body: its size limit ({@link bodyLimit}), a deadline,
 * and the two outcomes that are no fault of the server. A client that hangs
 * up mid-body makes Deno's body read fail with `BadResource`; the app's error
 * handler answers it with the status 499 ("client closed request", nginx's
 * convention) that no client ever sees but that the metrics count apart from
 * errors (see {@link isClientAbort}). A client that sends its body too slowly
 * (a slowloris holds a request open for as long as it likes otherwise) is
 * answered 408 with `Connection: close`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "./body_limit.ts";
import type { AppEnv } from "../env.ts";
import type { Logger } from "./log.ts";

/** The status of a request whose client closed the connection before its body arrived. */
export const CLIENT_CLOSED_REQUEST = 499;

/** Default time a client has to send a whole request body. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Options of {@link receiveBody}. */
export interface ReceiveBodyOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** The route's own answer to a body over `maxBytes` (413). */
  readonly onTooLarge: (c: Context) => Response;
  /** The route's own answer to a body not received within `timeoutMs` (408). */
  readonly onTimeout: (c: Context) => Response;
  readonly log?: Logger;
}

/**
 * The middleware of a route that takes a body: the size limit, then the body
 * read in full (Hono caches it, so the handler's own `c.req.text()` costs
 * nothing more), under a deadline that stops once the body is in. One
 * middleware rather than three: each layer costs microseconds on every
 * request.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * const receive = receiveBody({
 *   maxBytes: 1 << 20,
 *   timeoutMs: 10_000,
 *   onTooLarge: (c) => c.json({ detail: "too large" }, 413),
 *   onTimeout: (c) => c.json({ detail: "too slow" }, 408),
 * });
 * new Hono().post("/score", receive, async (c) => c.text(await c.req.text()));
 * ```
 */
export function receiveBody(options: ReceiveBodyOptions): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit(options.maxBytes, options.onTooLarge);
  const deadlines = new Deadlines(options.timeoutMs);
  return async (c, next) => {
    let cancel: () => void = () => {};
    // Resolves only if the body is not in by the deadline: receiving it cancels the deadline.
    const late = new Promise<typeof TIMED_OUT>((resolve) => cancel = deadlines.watch(() => resolve(TIMED_OUT)));
    const work = limit(c, async () => {
      await c.req.text();
      cancel();
      await next();
    });
    const first = await Promise.race([work, late]);
    // The limit's own answer (413), or nothing once the handler has answered.
    if (first !== TIMED_OUT) return first;
    // The read stays pending until the connection closes; the app's error handler takes its failure then.
    work.catch(() => {});
    options.log?.("info", "request body timed out", {
      request_id: c.get("requestId"),
      path: c.req.path,
      timeout_ms: options.timeoutMs,
    });
    c.header("Connection", "close");
    return options.onTimeout(c);
  };
}

/** How often, as a share of the timeout, waiting bodies are checked: a late body is answered at most this much late. */
const CHECKS_PER_TIMEOUT = 10;

/**
 * Deadlines of one fixed length, checked by one interval timer that runs only
 * while some are pending. A `setTimeout` and `clearTimeout` per request
 * (Deno's Node-compatible timers here) took 9.6% of the server's busy time
 * under `wrk` at 64 connections (CPU profile of `POST /score`); adding to and
 * deleting from a set costs next to nothing. The price: a deadline fires up to
 * a tenth of the timeout late, never early.
 */
class Deadlines {
  readonly #timeoutMs: number;
  // Insertion order is deadline order, since every deadline is `timeoutMs` after its insertion.
  readonly #pending = new Set<{ readonly due: number; readonly fire: () => void }>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Calls `fire` once `timeoutMs` have passed, unless the returned cancel function is called first. */
  watch(fire: () => void): () => void {
    const entry = { due: performance.now() + this.#timeoutMs, fire };
    this.#pending.add(entry);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#check(), Math.max(1, this.#timeoutMs / CHECKS_PER_TIMEOUT));
      // A deadline matters only while its request is open, which keeps the server alive by itself.
      this.#timer.unref();
    }
    return () => this.#pending.delete(entry);
  }

  #check(): void {
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.due > now) break;
      this.#pending.delete(entry);
      entry.fire();
    }
    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

const TIMED_OUT = Symbol("timed out");

/**
 * Whether an error is a body read that failed because the client's
 * connection went away, not because of anything the server did.
 *
 * @example
 * ```ts
 * isClientAbort(new Deno.errors.BadResource("Cannot read body")); // true
 * isClientAbort(new TypeError("x is undefined")); // false
 * ```
 */
export function isClientAbort(error: unknown): boolean {
  return error instanceof Deno.errors.BadResource || error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe || error instanceof Deno.errors.UnexpectedEof;
}
