/**
 * `deno task runs`: inspect flow-run records.
 *
 *     deno task runs [--dir flowruns] [--limit 20]      list recent runs
 *     deno task runs show ID [--dir flowruns] [--svg FILE] [--logs]
 *                                                        one run with its task table (ID may be a prefix);
 *                                                        --svg writes the run graph, --logs prints its log
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_RECORDS_DIR, listRunRecords, readRunRecord } from "../flow/record.ts";
import { renderRunGraph } from "../flow/graph.ts";
import { formatRunDetail, formatRunList } from "../flow/report.ts";
import { writeFileAtomic } from "../fs/atomic.ts";

const USAGE =
  "usage: deno task runs [--dir DIR] [--limit N] | deno task runs show ID [--dir DIR] [--svg FILE] [--logs]";

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: "string", default: DEFAULT_RECORDS_DIR },
      limit: { type: "string", default: "20" },
      svg: { type: "string" },
      logs: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const [command = "list", id, ...extra] = positionals;
  if (extra.length > 0) throw new RangeError(`unexpected arguments: ${extra.join(" ")}\n${USAGE}`);
  if (command === "list") {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`--limit must be a positive integer, got "${values.limit}"`);
    }
    return console.log(formatRunList(await listRunRecords(values.dir, limit)));
  }
  if (command !== "show") throw new RangeError(`unknown command "${command}"\n${USAGE}`);
  if (!id) throw new RangeError(`missing run id\n${USAGE}`);
  const record = await readRunRecord(values.dir, id);
  console.log(formatRunDetail(record));
  if (values.logs) {
    console.log("\nlogs:");
    for (const line of record.logs) {
      console.log(`${line.time} ${line.level.toUpperCase().padEnd(5)} ${line.taskRun ?? "flow"} - ${line.message}`);
    }
  }
  if (values.svg) {
    await writeFileAtomic(values.svg, renderRunGraph(record));
    console.log(`\nrun graph written to ${values.svg}`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`runs: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
