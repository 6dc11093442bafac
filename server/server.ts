/**
 * Serving an app with `Deno.serve`: listen, poll the model registry, and shut
 * down gracefully (stop accepting, let requests in flight finish, stop the
 * poll).
 *
 * @module
 */
import type { Logger } from "./middleware/log.ts";
import { silentLogger } from "./middleware/log.ts";
import type { ModelHolder } from "./model/holder.ts";
import { startIdleRelay } from "./idle_relay.ts";

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** The request handler (an app's `fetch`). */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** Default 127.0.0.1. */
  readonly hostname?: string;
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /** The holder to poll for a moved registry alias. */
  readonly holder?: ModelHolder;
  /** Poll interval in ms; 0 (the default) disables polling. */
  readonly pollMs?: number;
  readonly log?: Logger;
  /** Close connections that carry no byte for this long (0, the default: never; see `idle_relay.ts`). */
  readonly idleTimeoutMs?: number;
}

/** A running server. */
export interface RunningServer {
  /** E.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, waits for requests in flight, stops polling. Safe to call twice. */
  shutdown(): Promise<void>;
  /** Settles when the server has stopped. */
  readonly finished: Promise<void>;
}

/**
 * Starts serving.
 *
 * @example
 * ```ts
 * import { createApp } from "./app.ts";
 * import type { ModelHolder } from "./model/holder.ts";
 * declare const holder: ModelHolder;
 * const { app } = createApp({ holder });
 * const server = await startServer({ fetch: app.fetch, port: 0, holder, pollMs: 30_000 });
 * console.log(server.url);
 * await server.shutdown();
 * ```
 */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? silentLogger;
  // Listening errors (a port in use) reject the returned promise.
  return Promise.try(() => {
    const idleMs = options.idleTimeoutMs ?? 0;
    const server = Deno.serve({
      // Behind the idle relay, the real server listens on loopback only.
      hostname: idleMs > 0 ? "127.0.0.1" : options.hostname ?? "127.0.0.1",
      port: idleMs > 0 ? 0 : options.port ?? 8000,
      onListen: () => {},
    }, options.fetch);
    const relay = idleMs > 0
      ? startIdleRelay({
        hostname: options.hostname ?? "127.0.0.1",
        port: options.port ?? 8000,
        backendPort: server.addr.port,
        idleMs,
        log,
      })
      : undefined;
    const { hostname, port } = relay?.addr ?? server.addr;
    const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    options.holder?.startPolling(options.pollMs ?? 0);
    log("info", "listening", { url, poll_ms: options.pollMs ?? 0, idle_timeout_ms: idleMs });
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      finished: server.finished,
      shutdown: () => {
        stopping ??= (async () => {
          options.holder?.stopPolling();
          log("info", "shutting down: no new connections, finishing requests in flight");
          relay?.stopAccepting();
          await server.shutdown();
          relay?.close();
          log("info", "stopped");
        })();
        return stopping;
      },
    };
  });
}
