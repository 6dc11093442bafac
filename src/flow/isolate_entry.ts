/**
 * The code that runs inside an isolated task body, in a Web Worker (message
 * protocol) or in a child `deno run` process (file protocol): import the
 * task's module, decode the input, call the export, encode the outcome.
 *
 * @module
 */
import { decodeValue, type Encoded, encodeValue, packEncoded, unpackEncoded } from "./codec.ts";
import { errorInfo } from "./errors.ts";

/**
 * Runs an exported function of a module on an encoded input and returns the
 * encoded outcome `{ ok: true, value }` or `{ ok: false, error }`.
 */
export async function runExport(module: string, exportName: string, input: Encoded): Promise<Encoded> {
  try {
    const fn = (await import(module))[exportName];
    if (typeof fn !== "function") throw new TypeError(`${module} has no exported function "${exportName}"`);
    const value = await fn(await decodeValue(input));
    return encodeValue({ ok: true, value }, "result", "send");
  } catch (error) {
    return encodeValue({ ok: false, error: errorInfo(error) }, "result", "send");
  }
}

interface WorkerRequest {
  readonly module: string;
  readonly exportName: string;
  readonly json: string;
  readonly blobs: Uint8Array[];
}

async function serveProcess(): Promise<void> {
  const [module, exportName, inputPath, outputPath] = Deno.args;
  const output = await runExport(module, exportName, unpackEncoded(await Deno.readFile(inputPath)));
  await Deno.writeFile(outputPath, packEncoded(output));
}

function serveWorker(): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
    postMessage(message: unknown, transfer: Transferable[]): void;
  };
  scope.onmessage = async (event) => {
    const { module, exportName, json, blobs } = event.data;
    const output = await runExport(module, exportName, { json, blobs });
    scope.postMessage(output, output.blobs.map((b) => b.buffer as ArrayBuffer));
  };
}

if ("WorkerGlobalScope" in globalThis) serveWorker();
else if (import.meta.main) await serveProcess();
