/**
 * Python's text forms of numbers and JSON, because MLflow writes metric values
 * with `str(float)` and JSON with `json.dumps`, and reads them back with
 * `float()`/`int()`. Matching them keeps our files byte-identical to MLflow's
 * and keeps MLflow's parser happy with ours.
 *
 * @module
 */

/**
 * Formats a number the way Python's `repr(float)` does: shortest round-trip
 * digits, always a decimal point or an exponent, scientific notation below
 * 1e-4 and from 1e16, and `nan`/`inf`/`-inf`.
 *
 * @example
 * ```ts
 * pythonFloatRepr(1); // "1.0"
 * pythonFloatRepr(0.00001); // "1e-05"
 * pythonFloatRepr(0.9651336898395722); // "0.9651336898395722"
 * pythonFloatRepr(1e16); // "1e+16"
 * ```
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (exponent >= digits.length - 1) return `${sign}${digits}${"0".repeat(exponent - digits.length + 1)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

const PYTHON_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PYTHON_SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;
const PYTHON_INT = /^[+-]?\d(?:_?\d)*$/;

/**
 * Parses text the way Python's `float()` does (after MLflow has split a line
 * on spaces): decimals, exponents, digit-group underscores, `nan`, `inf`,
 * `infinity` in any case. Returns `undefined` when Python would raise.
 *
 * @example
 * ```ts
 * parsePythonFloat("1e-05"); // 0.00001
 * parsePythonFloat("-inf"); // -Infinity
 * parsePythonFloat("abc"); // undefined
 * ```
 */
export function parsePythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  const special = PYTHON_SPECIAL_FLOAT.exec(trimmed);
  if (special) {
    if (special[2].toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  return PYTHON_FLOAT.test(trimmed) ? Number(trimmed.replaceAll("_", "")) : undefined;
}

/**
 * Parses text the way Python's `int()` does for base 10. Returns `undefined`
 * when Python would raise (including `"1.0"`).
 *
 * @example
 * ```ts
 * parsePythonInt("1765941699288"); // 1765941699288
 * parsePythonInt("1.5"); // undefined
 * ```
 */
export function parsePythonInt(text: string): number | undefined {
  const trimmed = text.trim();
  return PYTHON_INT.test(trimmed) ? Number(trimmed.replaceAll("_", "")) : undefined;
}

/**
 * Serialises a JSON value the way Python's `json.dumps` does with its default
 * settings (`", "` and `": "` separators, non-ASCII escaped as `\uXXXX`,
 * non-integral numbers in `repr` form), or with `indent` like `indent=2`.
 * MLflow stores signatures and input examples in this form.
 *
 * @example
 * ```ts
 * pythonJsonDumps({ columns: ["a"], data: [[0.5, 2]] }); // '{"columns": ["a"], "data": [[0.5, 2]]}'
 * ```
 */
export function pythonJsonDumps(value: unknown, indent?: number): string {
  return dump(value, indent, 0);
}

function dump(value: unknown, indent: number | undefined, depth: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return dumpNumber(value);
  if (typeof value === "string") return dumpString(value);
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((item) => [undefined, item])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  const parts = entries.map(([key, item]) =>
    (key === undefined ? "" : `${dumpString(key)}: `) + dump(item, indent, depth + 1)
  );
  if (indent === undefined) return `${open}${parts.join(", ")}${close}`;
  const inner = " ".repeat(indent * (depth + 1));
  return `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${" ".repeat(indent * depth)}${close}`;
}

function dumpNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  return Number.isSafeInteger(value) ? String(value) : pythonFloatRepr(value);
}

function dumpString(value: string): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
