/**
 * Bodies on a real socket: a client that hangs up mid-body (with a declared
 * length or chunked) is logged at info as aborted and counted apart as 499,
 * never as a 5xx; a body that does not arrive in time is answered 408.
 */
import assert from "node:assert/strict";
import { createApp } from "../../../server/app.ts";
import { jsonLogger } from "../../../server/middleware/log.ts";
import { startServer } from "../../../server/server.ts";
import { loadedHolder } from "../fixtures.ts";

const encoder = new TextEncoder();

/** Sends `raw` on a new connection to `port`, waits `ms`, and hangs up. */
async function sendAndHangUp(port: number, raw: string, ms = 100): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(raw));
  await new Promise((resolve) => setTimeout(resolve, ms));
  conn.close();
}

/** Reads one HTTP/1.1 answer with a declared length from `conn`. */
async function readAnswer(conn: Deno.Conn): Promise<string> {
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  let text = "";
  const complete = () => {
    const end = text.indexOf("\r\n\r\n");
    const length = /content-length: (\d+)/i.exec(text);
    return end >= 0 && length !== null && text.length >= end + 4 + Number(length[1]);
  };
  while (!complete()) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n));
  }
  return text;
}

async function served(bodyTimeoutMs?: number) {
  const lines: string[] = [];
  const log = jsonLogger((line) => lines.push(line));
  const holder = await loadedHolder();
  const { app, metrics } = createApp({ holder, log, maxBatch: 50, ...(bodyTimeoutMs ? { bodyTimeoutMs } : {}) });
  const server = await startServer({ fetch: app.fetch, port: 0 });
  return { server, metrics, lines, render: () => metrics.render({ loads: holder.loads }) };
}

Deno.test("a client that hangs up mid-body is an aborted request (499, info log), never a 5xx, on every POST route", async () => {
  const { server, lines, render } = await served();
  const cases = [
    ["/score", "application/json", false],
    ["/score/batch", "application/json", false],
    ["/invocations", "application/json", false],
    ["/invocations", "application/json", true],
    ["/score", "application/json", true],
  ] as const;
  for (const [path, type, chunked] of cases) {
    const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\n`;
    await sendAndHangUp(
      server.port,
      chunked ? `${head}Transfer-Encoding: chunked\r\n\r\n3\r\n{"f\r\n` : `${head}Content-Length: 100\r\n\r\n{"f`,
    );
  }
  // The server notices each hang-up on its own schedule: wait until all five are answered, however.
  const answered = () => [...render().matchAll(/^http_requests_total\{method="POST",[^}]*\} (\d+)$/gm)];
  while (answered().reduce((sum, m) => sum + Number(m[1]), 0) < cases.length) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const text = render();
  await server.shutdown();
  assert.match(text, /^http_requests_aborted_total\{method="POST",route="\/score"\} 2$/m);
  assert.match(text, /^http_requests_aborted_total\{method="POST",route="\/score\/batch"\} 1$/m);
  assert.match(text, /^http_requests_aborted_total\{method="POST",route="\/invocations"\} 2$/m);
  assert.match(text, /^http_requests_total\{method="POST",route="\/score",status="499"\} 2$/m);
  assert.doesNotMatch(text, /^http_request_errors_total/m, "an abandoned request is not an error of either class");
  const logged = lines.map((line) => JSON.parse(line));
  assert.deepEqual(logged.filter((entry) => entry.level !== "info"), [], "nothing at warn or error, so no stack");
  assert.equal(logged.filter((entry) => entry.msg === "request aborted by the client").length, cases.length);
});

Deno.test("a body that does not arrive within --body-timeout-ms is answered 408 with Connection: close", async () => {
  const { server, render } = await served(150);
  for (
    const [path, error] of [["/score", /"detail":"Request body not received within 150 ms"/], [
      "/invocations",
      /"error_code":"BAD_REQUEST","message":"Request body not received within 150 ms"/,
    ]] as const
  ) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(
      encoder.encode(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
      ),
    );
    const began = performance.now();
    const answer = await readAnswer(conn);
    assert.ok(performance.now() - began >= 150, "not before the deadline");
    conn.close();
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /connection: close/i);
    assert.match(answer, error);
  }
  const text = render();
  await server.shutdown();
  assert.match(text, /^http_requests_total\{method="POST",route="\/score",status="408"\} 1$/m);
});
