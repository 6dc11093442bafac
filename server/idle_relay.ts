/**
 * Closing idle connections, which `Deno.serve` (Deno 2.9.6) cannot do: it has
 * no keep-alive, header-read or idle timeout (denoland/deno#32497), so a
 * connection that sends nothing, or half its headers, stays open for as long
 * as the client likes. This relay listens in the server's place, passes the
 * bytes of each connection to and from the real server on loopback, and
 * closes any connection that has carried no byte either way for `idleMs`.
 * It costs a second socket and a copy per connection, so it runs only when
 * asked for (`--idle-timeout-ms`).
 *
 * @module
 */
import type { Logger } from "./middleware/log.ts";

/** Options of {@link startIdleRelay}. */
export interface IdleRelayOptions {
  readonly hostname: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The real server's port on 127.0.0.1. */
  readonly backendPort: number;
  readonly idleMs: number;
  readonly log?: Logger;
}

/** A running relay. */
export interface IdleRelay {
  readonly addr: Deno.NetAddr;
  /** Stops accepting connections (those open keep relaying until either side closes). */
  stopAccepting(): void;
  /** Closes every connection and stops the idle check. */
  close(): void;
}

interface Relayed {
  lastActive: number;
  close(): void;
}

/**
 * Starts relaying.
 *
 * @example
 * ```ts
 * const backend = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("ok"));
 * const relay = startIdleRelay({ hostname: "127.0.0.1", port: 0, backendPort: backend.addr.port, idleMs: 30_000 });
 * await (await fetch(`http://127.0.0.1:${relay.addr.port}/`)).text(); // "ok"
 * relay.stopAccepting();
 * relay.close();
 * await backend.shutdown();
 * ```
 */
export function startIdleRelay(options: IdleRelayOptions): IdleRelay {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const open = new Set<Relayed>();
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const relayed of open) {
      if (now - relayed.lastActive > options.idleMs) {
        options.log?.("info", "closing an idle connection", { idle_ms: options.idleMs });
        relayed.close();
      }
    }
  }, Math.max(5, options.idleMs / 4));

  const relay = async (client: Deno.TcpConn) => {
    let backend: Deno.TcpConn;
    try {
      backend = await Deno.connect({ hostname: "127.0.0.1", port: options.backendPort });
    } catch {
      client.close();
      return;
    }
    let closed = false;
    const relayed: Relayed = {
      lastActive: performance.now(),
      close: () => {
        if (closed) return;
        closed = true;
        open.delete(relayed);
        for (const conn of [client, backend]) {
          try {
            conn.close();
          } catch {
            // Already closed by the other direction's failure.
          }
        }
      },
    };
    open.add(relayed);
    const pump = async (from: Deno.Conn, to: Deno.Conn) => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        for (let n = await from.read(buffer); n !== null; n = await from.read(buffer)) {
          relayed.lastActive = performance.now();
          for (let written = 0; written < n;) written += await to.write(buffer.subarray(written, n));
        }
      } catch {
        // A reset or a close by the idle check: the connection is over either way.
      }
      relayed.close();
    };
    void pump(client, backend);
    void pump(backend, client);
  };

  void (async () => {
    try {
      for await (const client of listener) void relay(client);
    } catch {
      // The listener was closed.
    }
  })();

  return {
    addr: listener.addr as Deno.NetAddr,
    stopAccepting: () => {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
    },
    close: () => {
      clearInterval(sweep);
      for (const relayed of open) relayed.close();
    },
  };
}
