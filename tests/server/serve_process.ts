/**
 * `deno task serve` as a real process, for tests of what only a process
 * shows (signals, startup, polling a store).
 *
 * @module
 */

/** A running `server/main.ts`: its URL once listening, its log so far, and the whole log once it exits. */
export interface ServeProcess {
  readonly child: Deno.ChildProcess;
  readonly url: string | undefined;
  readonly log: () => string;
  readonly rest: () => Promise<string>;
}

/** Starts `server/main.ts --port 0 ...args`; resolves once it logs that it listens (or exits). */
export async function serveProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts", "--port", "0", ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  while (!/"msg":"listening"/.test(log)) {
    const { value, done } = await reader.read();
    if (done) break;
    log += value;
  }
  // Keep draining the log so the server never blocks on a full pipe.
  const drained = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) log += chunk.value;
    return log;
  })();
  return { child, url: /"url":"([^"]+)"/.exec(log)?.[1], log: () => log, rest: () => drained };
}
