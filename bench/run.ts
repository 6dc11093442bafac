/**
 * `deno task bench`: runs every benchmark script in this folder (each file
 * `bench/*.bench.ts`), one subprocess each so that timings and peak memory
 * of one do not disturb the next, and prints their figures.
 *
 * Pass names to run only some: `deno task bench generate features`.
 *
 * @module
 */
const folder = new URL(".", import.meta.url);
const wanted = new Set(Deno.args);
const scripts = [...Deno.readDirSync(folder)]
  .map((entry) => entry.name)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => wanted.size === 0 || wanted.has(name.replace(".bench.ts", "")))
  .sort();
let failures = 0;
for (const script of scripts) {
  console.log(`\n## ${script}`);
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(script, folder).pathname],
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await command.output();
  if (code !== 0) {
    failures++;
    console.error(`${script} exited with code ${code}`);
  }
}
Deno.exit(failures === 0 ? 0 : 1);
