/**
 * YAML as MLflow writes and reads it: PyYAML's safe dumper (block style, keys
 * sorted, UTF-8, YAML 1.1 rules) and safe loader. We use the `yaml` package in
 * its YAML 1.1 mode and add the one thing it does not know: which plain
 * scalars PyYAML's resolver would turn into something other than a string
 * (for example `=` or `2025-12-17`), so those get quoted and MLflow reads back
 * exactly the string we wrote.
 *
 * @module
 */
import { Document, parse, type ScalarTag, type Tags, visit, YAMLError } from "yaml";
import { TrackingError } from "./errors.ts";

/** PyYAML's implicit resolvers (`yaml/resolver.py`), which decide the type of an unquoted scalar. */
const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PYYAML_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PYYAML_IMPLICIT = [
  PYYAML_BOOL,
  PYYAML_FLOAT,
  PYYAML_INT,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

const MERGE_TAG = "tag:yaml.org,2002:merge";
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Surrogate}/u;
// deno-lint-ignore no-control-regex
const UNSAFE_IN_STREAM = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\p{Surrogate}/gu;
/** For these tags, a plain scalar has the type only if PyYAML's resolver agrees. */
const PYYAML_RESOLVERS: Readonly<Record<string, RegExp>> = {
  "tag:yaml.org,2002:bool": PYYAML_BOOL,
  "tag:yaml.org,2002:float": PYYAML_FLOAT,
  "tag:yaml.org,2002:int": PYYAML_INT,
};

/**
 * The `yaml` package's YAML 1.1 tags narrowed to PyYAML's resolvers (which
 * differ: `y`/`n` are no booleans, `1e5` no float, `09` no integer), and,
 * when dumping, without the merge tag, so that a `<<` value is a string to
 * quote rather than a merge key.
 */
function pyyamlTags(forDump: boolean): (tags: Tags) => Tags {
  return (tags) =>
    tags
      .filter((tag) => !(forDump && typeof tag === "object" && tag.tag === MERGE_TAG))
      .map((tag) => {
        if (typeof tag !== "object" || !PYYAML_RESOLVERS[tag.tag] || !(tag as ScalarTag).test) return tag;
        const scalar = tag as ScalarTag;
        const test = new RegExp(`(?=${PYYAML_RESOLVERS[tag.tag].source})${scalar.test!.source}`, scalar.test!.flags);
        return { ...scalar, test };
      });
}

/**
 * Serialises a mapping as PyYAML's `safe_dump(default_flow_style=False,
 * allow_unicode=True, sort_keys=True)` would, so that MLflow's safe loader
 * reads back the same values (and the bytes match MLflow's for the values
 * MLflow itself writes).
 *
 * @example
 * ```ts
 * dumpYaml({ name: "Default", experiment_id: "0", end_time: null, tags: [] });
 * // "end_time: null\nexperiment_id: '0'\nname: Default\ntags: []\n"
 * ```
 */
export function dumpYaml(value: Record<string, unknown>): string {
  const document = new Document(value, { version: "1.1", sortMapEntries: true, customTags: pyyamlTags(true) });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value !== "string") return;
      // Tabs, line breaks and other controls: plain and block styles read back differently in PyYAML.
      if (CONTROL_CHARACTERS.test(node.value)) node.type = "QUOTE_DOUBLE";
      else if (PYYAML_IMPLICIT.some((pattern) => pattern.test(node.value as string))) node.type = "QUOTE_SINGLE";
    },
  });
  const text = document.toString({ singleQuote: true, lineWidth: 0, indentSeq: false });
  // PyYAML's reader refuses these characters anywhere in a stream, even inside quotes, and reads NEL and
  // LS/PS as line breaks; they only occur inside the double-quoted scalars chosen above, so escape them.
  return text.replace(UNSAFE_IN_STREAM, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Parses YAML text as PyYAML's safe loader would (YAML 1.1, duplicate keys
 * allowed, the last one winning). Integers too large for a double stay
 * `bigint` so that an 18-digit id written unquoted by an old MLflow keeps its
 * digits. A syntax error is a `CORRUPT_STORE` error naming `path`.
 *
 * @example
 * ```ts
 * parseYaml("experiment_id: '0'\nname: Default\n", "meta.yaml"); // { experiment_id: "0", name: "Default" }
 * ```
 */
export function parseYaml(text: string, path: string): unknown {
  return parseFlatMapping(text) ?? parseYamlDocument(text, path);
}

/**
 * {@link parseYaml} through the `yaml` package, for any document.
 *
 * @example
 * ```ts
 * parseYamlDocument("tags:\n- a\n", "meta.yaml"); // { tags: ["a"] }
 * ```
 */
export function parseYamlDocument(text: string, path: string): unknown {
  try {
    const value = parse(text, {
      version: "1.1",
      customTags: pyyamlTags(false),
      uniqueKeys: false,
      intAsBigInt: true,
      logLevel: "error",
    });
    return narrowIntegers(value);
  } catch (error) {
    if (error instanceof YAMLError) {
      const firstLine = error.message.split("\n")[0];
      throw new TrackingError("CORRUPT_STORE", `invalid YAML: ${firstLine}`, { path, cause: error });
    }
    throw error;
  }
}

function narrowIntegers(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(narrowIntegers);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, narrowIntegers(item)]));
  }
  return value;
}

const FLAT_LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const FLAT_NULL = /^(?:~|null|Null|NULL)$/;
const SINGLE_QUOTED = /^'((?:[^']|'')*)'$/;
const DECIMAL_INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
const DECIMAL_FLOAT = /^[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?$/;
// A plain scalar this simple reads as the same string in every YAML parser.
const SAFE_PLAIN_START = /^[A-Za-z0-9_./(]/;

/**
 * The flat `key: scalar` mappings that run, experiment and version meta.yaml
 * files are, parsed without the `yaml` package (which took 1.2 ms per run
 * meta.yaml on the loaded benchmark machine: 6 s of a cold 5,000-run
 * search), or `undefined` for anything else, left to {@link parseYamlDocument}.
 * It takes only what it reads exactly as PyYAML does: identifier keys,
 * single-quoted strings, `[]`/`{}`, decimal integers and floats, nulls, and plain strings that start with a letter, digit, `_`, `.`,
 * `/` or `(` and hold no `: `, ` #` or control characters and no PyYAML
 * implicit type (booleans, nulls, other number forms, dates).
 *
 * @example
 * ```ts
 * parseFlatMapping("run_id: abc\nstatus: 3\ntags: []\n"); // { run_id: "abc", status: 3, tags: [] }
 * parseFlatMapping("tags:\n- a\n"); // undefined
 * ```
 */
export function parseFlatMapping(text: string): Record<string, unknown> | undefined {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return undefined;
  const result: Record<string, unknown> = {};
  for (const line of lines) {
    const found = FLAT_LINE.exec(line);
    if (found === null || PYYAML_IMPLICIT.some((pattern) => pattern.test(found[1]))) return undefined;
    const value = flatScalar(found[2]);
    if (value === undefined) return undefined;
    result[found[1]] = value.value;
  }
  return result;
}

function flatScalar(text: string | undefined): { value: unknown } | undefined {
  if (text === undefined || text === "") return { value: null };
  const quoted = SINGLE_QUOTED.exec(text);
  if (quoted !== null) {
    return CONTROL_CHARACTERS.test(quoted[1]) ? undefined : { value: quoted[1].replaceAll("''", "'") };
  }
  if (FLAT_NULL.test(text)) return { value: null };
  if (text === "[]") return { value: [] };
  if (text === "{}") return { value: {} };
  if (DECIMAL_INT.test(text)) return { value: narrowIntegers(BigInt(text)) };
  if (DECIMAL_FLOAT.test(text)) return { value: Number(text) };
  if (
    !SAFE_PLAIN_START.test(text) || CONTROL_CHARACTERS.test(text) || text.endsWith(" ") || text.endsWith(":") ||
    text.includes(": ") || text.includes(" #") ||
    PYYAML_IMPLICIT.some((pattern) => pattern.test(text))
  ) {
    return undefined;
  }
  return { value: text };
}
