/**
 * `deno task cache`: inspect and clear the flow task cache.
 *
 *     deno task cache [list] [--task NAME]           entries with task, size, age, last use
 *     deno task cache clear                          remove everything
 *     deno task cache clear --task NAME              remove one task's entries
 *     deno task cache clear --older-than 7d          remove entries created more than 7 days ago
 *     deno task cache evict --max-size 500MB         evict least recently used entries down to a size
 *
 * Every command takes `--dir DIR` (default `.cache/flow`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_CACHE_DIR, ResultCache } from "../flow/cache.ts";
import { formatTable } from "../text/table.ts";
import { formatBytes, formatDuration, parseDuration, parseSize } from "../flow/units.ts";

const USAGE =
  "usage: deno task cache [list|clear|evict] [--dir DIR] [--task NAME] [--older-than 7d] [--max-size 500MB]";

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: "string", default: DEFAULT_CACHE_DIR },
      task: { type: "string" },
      "older-than": { type: "string" },
      "max-size": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const [command = "list", ...extra] = positionals;
  if (extra.length > 0) throw new RangeError(`unexpected arguments: ${extra.join(" ")}\n${USAGE}`);
  const cache = new ResultCache(values.dir);
  const now = Date.now();
  switch (command) {
    case "list": {
      const entries = (await cache.list()).filter((e) => values.task === undefined || e.task === values.task);
      if (entries.length === 0) return console.log(`no cache entries in ${values.dir}/`);
      console.log(formatTable(
        ["KEY", "TASK", "SIZE", "AGE", "LAST USED", "NOTE"],
        entries.map((e) => [
          e.key.slice(0, 16),
          e.task,
          formatBytes(e.bytes),
          formatDuration(now - e.createdAt),
          `${formatDuration(now - e.lastUsedAt)} ago`,
          e.problem ?? "",
        ]),
      ));
      const total = entries.reduce((sum, e) => sum + e.bytes, 0);
      return console.log(`\n${entries.length} entries, ${formatBytes(total)} in ${values.dir}/`);
    }
    case "clear": {
      const olderThanMs = values["older-than"] === undefined ? undefined : parseDuration(values["older-than"]);
      const removed = await cache.clear({ task: values.task, olderThanMs });
      return console.log(`removed ${removed.entries} entries (${formatBytes(removed.bytes)}) from ${values.dir}/`);
    }
    case "evict": {
      if (values["max-size"] === undefined) throw new RangeError(`evict needs --max-size\n${USAGE}`);
      const removed = await cache.evict(parseSize(values["max-size"]));
      return console.log(`evicted ${removed.entries} entries (${formatBytes(removed.bytes)}) from ${values.dir}/`);
    }
    default:
      throw new RangeError(`unknown command "${command}"\n${USAGE}`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`cache: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
