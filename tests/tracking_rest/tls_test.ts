/**
 * `MLFLOW_TRACKING_INSECURE_TLS` against a local HTTPS endpoint with a
 * self-signed certificate made by `openssl` here: without the variable the
 * request fails at once with a message naming the URL and the variable; with
 * it, JSON calls, a streamed upload and a streamed download work, and TLS is
 * not loosened for anything else in the process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { RestHttp, restSettings } from "../../src/tracking/rest/http.ts";
import { makeTestDir } from "../temp_dir.ts";

interface TlsServer {
  readonly url: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, and a Deno.serve faking the few MLflow endpoints used. */
async function selfSignedServer(dir: string): Promise<TlsServer> {
  const made = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
  const requests: string[] = [];
  const artifacts = new Map<string, Uint8Array<ArrayBuffer>>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(join(dir, "cert.pem")),
    key: await Deno.readTextFile(join(dir, "key.pem")),
    onListen: () => {},
  }, async (request) => {
    const { pathname } = new URL(request.url);
    requests.push(`${request.method} ${pathname}`);
    if (pathname === "/api/2.0/mlflow/experiments/search") {
      return Response.json({ experiments: [{ experiment_id: "0", name: "Default" }] });
    }
    if (pathname === "/api/2.0/mlflow/runs/create") {
      return Response.json({ run: { info: { run_id: "r1" }, echo: await request.json() } });
    }
    if (pathname.startsWith("/api/2.0/mlflow-artifacts/artifacts/")) {
      if (request.method === "PUT") {
        artifacts.set(pathname, new Uint8Array(await request.arrayBuffer()));
        return Response.json({});
      }
      const stored = artifacts.get(pathname);
      return stored ? new Response(stored) : Response.json({ error_code: "RESOURCE_DOES_NOT_EXIST" }, { status: 404 });
    }
    return Response.json({ error_code: "ENDPOINT_NOT_FOUND", message: pathname }, { status: 404 });
  });
  return { url: `https://127.0.0.1:${server.addr.port}`, requests, stop: () => server.shutdown() };
}

const env = (variables: Record<string, string>) => ({ get: (name: string) => variables[name] });
const FAST = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: "3", MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "0.01" };

Deno.test("a self-signed tracking server: refused with a clear message, then reached with MLFLOW_TRACKING_INSECURE_TLS", async () => {
  const dir = await makeTestDir({ prefix: "tls-test-" });
  const server = await selfSignedServer(dir);
  try {
    const verifying = new RestHttp(restSettings(server.url, env(FAST)));
    await assert.rejects(
      verifying.json({ method: "GET", path: "/api/2.0/mlflow/experiments/search" }),
      (error: Error) => {
        assert.match(error.message, new RegExp(`TLS certificate of ${server.url} is not trusted`));
        assert.match(error.message, /set MLFLOW_TRACKING_INSECURE_TLS=true/);
        assert.doesNotMatch(error.message, /attempts/, "an untrusted certificate is not retried");
        return true;
      },
    );
    assert.deepEqual(server.requests, [], "no request got through the handshake");

    const insecure = new RestHttp(restSettings(server.url, env({ ...FAST, MLFLOW_TRACKING_INSECURE_TLS: "true" })));
    const search = await insecure.json<{ experiments: { name: string }[] }>({
      method: "GET",
      path: "/api/2.0/mlflow/experiments/search",
      query: { max_results: 10 },
    });
    assert.equal(search.experiments[0].name, "Default");
    const created = await insecure.json<{ run: { echo: unknown } }>({
      method: "POST",
      path: "/api/2.0/mlflow/runs/create",
      json: { experiment_id: "0", run_name: "é-run" },
    });
    assert.deepEqual(created.run.echo, { experiment_id: "0", run_name: "é-run" });

    const content = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251);
    await Deno.writeFile(join(dir, "bundle.bin"), content);
    const artifact = "/api/2.0/mlflow-artifacts/artifacts/0/r1/artifacts/bundle.bin";
    await (await insecure.send({ method: "PUT", path: artifact, file: join(dir, "bundle.bin") })).body?.cancel();
    const download = await insecure.send({ method: "GET", path: artifact });
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), content);

    await assert.rejects(fetch(server.url), "the rest of the process still verifies certificates");
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
