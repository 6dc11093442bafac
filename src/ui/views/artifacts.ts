/**
 * Artifact browsing shared by a run's artifacts (`/runs/:id`) and the
 * pipelines' output folder (`/artifacts`): the tree beside a preview of the
 * chosen file, confined paths, and the headers a served file gets (HTML only
 * inside a sandbox with a restrictive Content-Security-Policy).
 *
 * @module
 */
import { html } from "hono/html";
import type { ArtifactInfo } from "../../tracking/entities.ts";
import { UiError } from "../app.ts";
import type { Markup } from "./layout.ts";

/** Where browsed files come from: a run's artifacts or a local folder. */
export interface ArtifactSource {
  /** Reads a file (path relative to the root, already confined) as UTF-8 text. */
  readText(path: string): Promise<string>;
  /** The URL that serves a file's bytes. */
  href(path: string): string;
}

const TEXT_TYPES: Readonly<Record<string, string>> = {
  json: "application/json",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  yaml: "text/plain",
  yml: "text/plain",
  md: "text/plain",
  MLmodel: "text/plain",
};
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ...TEXT_TYPES,
  svg: "image/svg+xml",
  png: "image/png",
  html: "text/html",
  parquet: "application/octet-stream",
};
/** Served artifacts run nothing and load nothing: a report's own inline styles and images only. */
const ARTIFACT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
/** Larger text artifacts are download links only. */
const PREVIEW_BYTES = 256_000;

/**
 * A relative artifact path checked to stay inside the artifact root: `..`,
 * absolute paths, backslashes and empty segments are refused (404).
 *
 * @example
 * ```ts
 * confinedPath("report/index.html"); // "report/index.html"
 * ```
 */
export function confinedPath(path: string): string {
  const segments = path.split("/");
  if (
    path === "" || path.includes("\\") || path.includes("\0") ||
    segments.some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new UiError(404, `No artifact ${path}`);
  }
  return path;
}

/**
 * The confined path after `prefix` in a request URL (percent-decoded, so an
 * encoded `..` is caught too).
 *
 * @example
 * ```ts
 * requestedPath("http://h/artifacts/files/report/a%20b.svg", "/artifacts/files/"); // "report/a b.svg"
 * ```
 */
export function requestedPath(url: string, prefix: string): string {
  const pathname = new URL(url).pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    throw new UiError(404, `No artifact ${pathname.slice(prefix.length)}`);
  }
  return confinedPath(decoded);
}

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : name;
}

/**
 * The response headers of a served artifact: its type, the sandbox CSP, and
 * an attachment disposition for `?download` and for types we do not preview.
 *
 * @example
 * ```ts
 * artifactHeaders("report/index.html", false)["Content-Security-Policy"]; // "sandbox; default-src 'none'; ..."
 * ```
 */
export function artifactHeaders(path: string, download: boolean): Record<string, string> {
  const type = CONTENT_TYPES[extension(path)] ?? "application/octet-stream";
  const headers: Record<string, string> = {
    "Content-Type": type.startsWith("text/") || type === "application/json" ? `${type}; charset=utf-8` : type,
    "Content-Security-Policy": ARTIFACT_CSP,
  };
  if (download || !(extension(path) in CONTENT_TYPES)) {
    headers["Content-Disposition"] = `attachment; filename="${path.slice(path.lastIndexOf("/") + 1)}"`;
  }
  return headers;
}

/**
 * The tree beside a preview of the chosen file (`?artifact=` keeps the choice in the URL).
 *
 * @example
 * ```ts
 * declare const source: ArtifactSource;
 * const markup = artifactBrowser(source, [{ path: "a.json", isDir: false, fileSize: 2 }], "a.json");
 * ```
 */
export function artifactBrowser(
  source: ArtifactSource,
  files: readonly ArtifactInfo[],
  chosen: string | undefined,
): Markup {
  const selected = files.find((file) => !file.isDir && file.path === chosen);
  return html`
    <div class="artifacts" id="artifact">
      <table class="tree"><tr><th>path</th><th class="num">bytes</th><th></th></tr>${files.map((file) => {
        const depth = file.path.split("/").length - 1;
        const name = file.path.split("/").at(-1);
        return html`
          <tr class="${file === selected ? "selected" : ""}">
            <td style="padding-left:${10 + depth * 18}px">${file.isDir
              ? html`<strong>${name}/</strong>`
              : html`<a href="?artifact=${encodeURIComponent(file.path)}#artifact">${name}</a>`}</td>
            <td class="num">${file.fileSize ?? ""}</td>
            <td>${file.isDir ? "" : html`<a href="${source.href(file.path)}?download">download</a>`}</td>
          </tr>
        `;
      })}</table>
      <section class="preview">${selected === undefined
        ? html`<p class="muted">Choose a file to preview it.</p>`
        : html`<h3>${selected.path}</h3>${preview(source, selected)}`}</section>
    </div>
  `;
}

async function preview(source: ArtifactSource, file: ArtifactInfo): Promise<Markup> {
  const type = extension(file.path);
  const href = source.href(file.path);
  if (type === "svg" || type === "png") return html`<img src="${href}" alt="${file.path}" class="artifact-image">`;
  if (type === "html") return html`<iframe class="report" sandbox="" src="${href}" title="${file.path}"></iframe>`;
  if (type in TEXT_TYPES && (file.fileSize ?? 0) <= PREVIEW_BYTES) {
    const text = await source.readText(file.path);
    return html`<pre>${type === "json" ? prettyJson(text) : text}</pre>`;
  }
  return html`<p class="muted">No preview for this file: <a href="${href}?download">download it</a>.</p>`;
}

/** Indented JSON, or the text as it is when it does not parse (a preview never fails the page). */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * A URL path for a file under `base`, each segment percent-encoded.
 *
 * @example
 * ```ts
 * fileHref("/artifacts/files", "report/a b.svg"); // "/artifacts/files/report/a%20b.svg"
 * ```
 */
export function fileHref(base: string, path: string): string {
  return `${base}/${path.split("/").map(encodeURIComponent).join("/")}`;
}
