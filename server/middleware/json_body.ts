/**
 * Parsing a request body as JSON. Python's `json` (and so many clients of a
 * FastAPI service) writes `NaN`, `Infinity` and `-Infinity`, which strict JSON
 * refuses; rather than answering "malformed" for those, a body that fails the
 * strict parse is tried once more with those tokens read as numbers, so that
 * validation can name the field that holds them. The fast path is one
 * `JSON.parse`.
 *
 * @module
 */

/** A parsed body, or where and why it is not JSON. */
export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly position?: number };

/**
 * Parses JSON text, reading bare `NaN`, `Infinity` and `-Infinity` as numbers.
 *
 * @example
 * ```ts
 * parseJson('{"a": NaN}'); // { ok: true, value: { a: NaN } }
 * parseJson('{"a": }'); // { ok: false, error: "Unexpected token '}', ...", position: 6 }
 * ```
 */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const marked = markNonFinite(text);
    if (marked !== undefined) {
      try {
        return { ok: true, value: JSON.parse(marked, reviveNonFinite) };
      } catch {
        // Report the original error: it points into the text the client sent.
      }
    }
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    return { ok: false, error: message, ...(position ? { position: Number(position[1]) } : {}) };
  }
}

// A string no client sends by accident: a NUL character is not valid in the tokens around it.
const MARK = "\u0000nonfinite:";
const VALUES: Readonly<Record<string, number>> = {
  [`${MARK}NaN`]: Number.NaN,
  [`${MARK}Infinity`]: Number.POSITIVE_INFINITY,
  [`${MARK}-Infinity`]: Number.NEGATIVE_INFINITY,
};

function reviveNonFinite(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.startsWith(MARK) && value in VALUES ? VALUES[value] : value;
}

/** The text with non-finite tokens outside strings replaced by marked strings, or undefined when there are none. */
function markNonFinite(text: string): string | undefined {
  let out = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    for (const token of ["NaN", "Infinity", "-Infinity"]) {
      if (text.startsWith(token, i)) {
        out += `${text.slice(last, i)}"\\u0000nonfinite:${token}"`;
        i += token.length - 1;
        last = i + 1;
        break;
      }
    }
  }
  return last === 0 ? undefined : out + text.slice(last);
}
