/**
 * `/artifacts`: what the pipelines wrote to their output folder (`--out`,
 * default `data/artifacts`: the model bundle, metrics, the training report,
 * EDA, charts and the run graph), browsed like a run's artifacts.
 * `/artifacts/files/<path>` serves a file: confined to the folder (also
 * against symbolic links pointing out of it), HTML only sandboxed.
 *
 * @module
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { join, resolve, sep } from "node:path";
import type { ArtifactInfo } from "../../tracking/entities.ts";
import { type UiContext, UiError } from "../app.ts";
import { artifactBrowser, artifactHeaders, type ArtifactSource, fileHref, requestedPath } from "../views/artifacts.ts";
import { page } from "../views/layout.ts";

const FILES = "/artifacts/files";
/** Shown until a file is chosen (the page was an empty preview pane, looking at the screenshot). */
const DEFAULT_PREVIEW = "report/index.html";

/**
 * The output-folder routes.
 *
 * @example
 * ```ts
 * declare const context: import("../app.ts").UiContext;
 * const routes = artifactRoutes(context);
 * ```
 */
export function artifactRoutes(context: UiContext): Hono {
  const root = resolve(context.artifactsDir);
  /** The real path of a file inside the root; anything else (missing, a folder, outside via a link) is a 404. */
  const inside = async (path: string): Promise<string> => {
    const missing = new UiError(404, `No artifact ${path}`);
    const real = await Deno.realPath(join(root, path)).catch(() => {
      throw missing;
    });
    const realRoot = await Deno.realPath(root);
    if (!real.startsWith(realRoot + sep) || !(await Deno.stat(real)).isFile) throw missing;
    return real;
  };
  const source: ArtifactSource = {
    readText: async (path) => await Deno.readTextFile(await inside(path)),
    href: (path) => fileHref(FILES, path),
  };
  return new Hono()
    .get(`${FILES}/*`, async (c) => {
      const path = requestedPath(c.req.url, `${FILES}/`);
      const bytes = await Deno.readFile(await inside(path));
      return c.body(bytes, 200, artifactHeaders(path, c.req.query("download") !== undefined));
    })
    .get("/artifacts", async (c) => {
      const files = await listTree(root);
      return c.html(page(
        "Artifacts",
        html`
          <h1>Pipeline outputs</h1>
          <p
            class="muted">What the last training wrote to its output folder (<code>${context
              .artifactsDir}</code>; <code>deno task ui --artifacts DIR</code> chooses another): the model bundle, metrics, the
            training report, the EDA report, charts and the run graph. Each tracked training also logs these to its
            run.</p>
          ${files === undefined
            ? html`<p class="muted" id="no-artifacts">No output folder yet: run <code>deno task train</code>.</p>`
            : files.length === 0
            ? html`<p class="muted">The output folder is empty.</p>`
            : artifactBrowser(source, files, c.req.query("artifact") ?? DEFAULT_PREVIEW)}
        `,
      ));
    });
}

/** Every file and folder under `root`, depth first and by name; undefined when `root` does not exist. */
async function listTree(root: string): Promise<ArtifactInfo[] | undefined> {
  const walk = async (dir: string): Promise<ArtifactInfo[]> => {
    const entries = [];
    for await (const entry of Deno.readDir(join(root, dir))) {
      // Dot files are the atomic writers' temporary files, not outputs.
      if (!entry.name.startsWith(".")) entries.push(entry);
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const nested = await Promise.all(entries.map(async (entry) => {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      // Links are listed only as files: a link to a folder could lead out of the root or into a cycle.
      if (entry.isDirectory) return [{ path, isDir: true, fileSize: null }, ...await walk(path)];
      const size = await Deno.stat(join(root, path)).then((info) => info.size, () => null);
      return [{ path, isDir: false, fileSize: size }];
    }));
    return nested.flat();
  };
  try {
    if (!(await Deno.stat(root)).isDirectory) return undefined;
  } catch {
    return undefined;
  }
  return await walk("");
}
