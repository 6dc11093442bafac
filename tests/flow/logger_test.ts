import assert from "node:assert/strict";
import { LogSink } from "../../src/flow/logger.ts";

Deno.test("logger: lines below the level are dropped, others saved with their task run", () => {
  let now = Date.UTC(2026, 0, 1, 12);
  const sink = new LogSink("flow run 'x'", { console: false, level: "info" }, () => now);
  sink.logger().debug("hidden");
  sink.logger().info("flow line");
  now += 5;
  sink.logger({ id: "1a2b3c4d", name: "fit-1a2b" }).warn("slow");
  assert.deepEqual(sink.records, [
    { time: "2026-01-01T12:00:00.000Z", level: "info", message: "flow line", taskRunId: undefined, taskRun: undefined },
    { time: "2026-01-01T12:00:00.005Z", level: "warn", message: "slow", taskRunId: "1a2b3c4d", taskRun: "fit-1a2b" },
  ]);
  assert.equal(sink.interactive, false);
});

Deno.test("logger: console lines are readable and go to stderr", () => {
  const lines: string[] = [];
  const original = console.error;
  console.error = (line: string) => lines.push(line);
  try {
    const sink = new LogSink("flow run 'x'", {}, () => new Date(2026, 0, 1, 9, 5, 7, 42).getTime(), false);
    sink.logger({ id: "1a2b3c4d", name: "fit-1a2b" }).error("boom");
    assert.deepEqual(sink.records, []);
  } finally {
    console.error = original;
  }
  assert.deepEqual(lines, ["09:05:07.042 | ERROR | task run 'fit-1a2b' - boom"]);
});
