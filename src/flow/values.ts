/**
 * One classification of runtime values shared by the hasher (cache keys), the
 * codec (cache files, worker messages) and the record summariser, so that the
 * three agree on what is supported and name unsupported parts the same way.
 *
 * @module
 */
import type pl from "nodejs-polars";

/**
 * Typed-array constructors the runtime round-trips, by name.
 *
 * @example
 * ```ts
 * "Float64Array" in TYPED_ARRAYS; // true
 * ```
 */
export const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

/** Name of a supported typed-array type. */
export type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** Any supported typed array. */
export type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** A value sorted into the shape the runtime handles it as. */
export type Classified =
  | { readonly kind: "undefined" }
  | { readonly kind: "null" }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bigint"; readonly value: bigint }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "array"; readonly value: readonly unknown[] }
  | { readonly kind: "object"; readonly value: Readonly<Record<string, unknown>> }
  | { readonly kind: "map"; readonly value: ReadonlyMap<unknown, unknown> }
  | { readonly kind: "set"; readonly value: ReadonlySet<unknown> }
  | { readonly kind: "date"; readonly value: Date }
  | { readonly kind: "typedarray"; readonly name: TypedArrayName; readonly value: AnyTypedArray }
  | { readonly kind: "arraybuffer"; readonly value: ArrayBuffer }
  | { readonly kind: "dataframe"; readonly value: pl.DataFrame }
  | { readonly kind: "series"; readonly value: pl.Series }
  | { readonly kind: "unsupported"; readonly description: string };

/**
 * Sorts a value into a {@link Classified} shape. Class instances other than
 * the listed built-ins and polars frames are unsupported: their state may live
 * in closures or native memory, so hashing their own fields could give a wrong
 * cache hit.
 *
 * @example
 * ```ts
 * classify(new Float64Array(2)).kind; // "typedarray"
 * classify(() => 1).kind; // "unsupported"
 * ```
 */
export function classify(value: unknown): Classified {
  switch (typeof value) {
    case "undefined":
      return { kind: "undefined" };
    case "boolean":
      return { kind: "boolean", value };
    case "number":
      return { kind: "number", value };
    case "bigint":
      return { kind: "bigint", value };
    case "string":
      return { kind: "string", value };
    case "symbol":
      return { kind: "unsupported", description: `symbol ${String(value)}` };
    case "function":
      return { kind: "unsupported", description: `function ${value.name || "(anonymous)"}` };
  }
  if (value === null) return { kind: "null" };
  return classifyObject(value as object);
}

function classifyObject(value: object): Classified {
  if (Array.isArray(value)) return { kind: "array", value };
  // Checked before plain objects: nodejs-polars builds frames as plain objects from factories.
  if (isDataFrame(value)) return { kind: "dataframe", value };
  if (isSeries(value)) return { kind: "series", value };
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    return { kind: "object", value: value as Record<string, unknown> };
  }
  if (value instanceof Map) return { kind: "map", value };
  if (value instanceof Set) return { kind: "set", value };
  if (value instanceof Date) return { kind: "date", value };
  if (value instanceof ArrayBuffer) return { kind: "arraybuffer", value };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name as TypedArrayName;
    if (name in TYPED_ARRAYS) return { kind: "typedarray", name, value: value as AnyTypedArray };
  }
  const ctor = (proto as { constructor?: { name?: string } } | undefined)?.constructor?.name;
  return { kind: "unsupported", description: ctor ? `instance of ${ctor}` : "object with a foreign prototype" };
}

/** `instanceof` does not work: `pl.DataFrame` is a factory function, not a class. */
function isDataFrame(value: unknown): value is pl.DataFrame {
  return typeof value === "object" && value !== null && Object.prototype.toString.call(value) === "[object DataFrame]";
}

/** A Series' `Symbol.toStringTag` is a method returning "Series". */
function isSeries(value: unknown): value is pl.Series {
  const tag = (value as { [Symbol.toStringTag]?: unknown } | null)?.[Symbol.toStringTag];
  return typeof tag === "function" && tag.call(value) === "Series";
}

/**
 * Extends a value path for error messages: `childPath("input", "a")` is
 * `input.a`, `childPath("input", 3)` is `input[3]`.
 *
 * @example
 * ```ts
 * childPath("input.rows", 2); // "input.rows[2]"
 * childPath("input", "two words"); // 'input["two words"]'
 * ```
 */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const SUMMARY_ITEMS = 20;

/**
 * A small JSON-safe description of a value for run records: scalars as they
 * are, containers truncated to their first items, frames and typed arrays by
 * shape (records must stay small even when a flow is given a big frame).
 *
 * @example
 * ```ts
 * summarize({ n: 3, x: new Float64Array(1000) });
 * // { n: 3, x: { type: "Float64Array", length: 1000 } }
 * ```
 */
export function summarize(value: unknown, depth = 0): unknown {
  const c = classify(value);
  switch (c.kind) {
    case "undefined":
      return null;
    case "null":
      return null;
    case "boolean":
    case "string":
      return c.value;
    case "number":
      return Number.isFinite(c.value) ? c.value : String(c.value);
    case "bigint":
      return c.value.toString();
    case "date":
      return Number.isNaN(c.value.getTime()) ? "Invalid Date" : c.value.toISOString();
    case "typedarray":
      return { type: c.name, length: c.value.length };
    case "arraybuffer":
      return { type: "ArrayBuffer", bytes: c.value.byteLength };
    case "dataframe":
      return { type: "DataFrame", rows: c.value.height, columns: c.value.columns };
    case "series":
      return { type: "Series", name: c.value.name, length: c.value.length };
    case "unsupported":
      return `[${c.description}]`;
  }
  if (depth >= 4) return `[${c.kind}]`;
  const items = (entries: [string, unknown][], total: number) => {
    const out = Object.fromEntries(entries.slice(0, SUMMARY_ITEMS).map(([k, v]) => [k, summarize(v, depth + 1)]));
    return total > SUMMARY_ITEMS ? { ...out, "...": `${total - SUMMARY_ITEMS} more` } : out;
  };
  switch (c.kind) {
    case "array": {
      const head = c.value.slice(0, SUMMARY_ITEMS).map((v) => summarize(v, depth + 1));
      return c.value.length > SUMMARY_ITEMS ? [...head, `... ${c.value.length - SUMMARY_ITEMS} more`] : head;
    }
    case "object":
      return items(Object.entries(c.value), Object.keys(c.value).length);
    case "map":
      return { type: "Map", entries: items([...c.value].map(([k, v]) => [String(k), v]), c.value.size) };
    case "set":
      return { type: "Set", size: c.value.size };
  }
}
