/**
 * Worker of the stale-lock test: takes a registry lock file, says `locked`,
 * and holds it until killed.
 *
 * Usage: deno run -A hold_lock.ts LOCK_PATH
 */
import { withFileLock } from "../../../src/tracking/lock.ts";

await withFileLock(Deno.args[0], async () => {
  console.log("locked");
  // A pending timer keeps the process (and so the lock) alive until the kill.
  await new Promise(() => setInterval(() => {}, 60_000));
});
