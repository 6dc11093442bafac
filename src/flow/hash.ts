/**
 * Canonical content hashing of task inputs for cache keys. Hand-written
 * rather than "JSON.stringify then hash" because that loses typed arrays,
 * Maps, Dates, NaN and DataFrames, and depends on key order (the failure
 * modes Prefect users report as silent cache misses or wrong hits).
 *
 * Rules: object keys are sorted and `undefined` members skipped (so `{a:
 * undefined}` equals `{}`); Map entries and Set members are ordered by the
 * hash of their key, so insertion order does not matter; arrays, typed arrays
 * and DataFrame rows keep their order; a DataFrame is hashed by its schema
 * (column names and dtypes) plus polars' per-row hashes, so two frames with
 * equal content but different chunking hash alike.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { UnsupportedValueError } from "./errors.ts";
import { childPath, classify } from "./values.ts";

const encoder = new TextEncoder();

/**
 * Hex SHA-256 of a value's canonical form. Throws {@link UnsupportedValueError}
 * naming the path of the first part it cannot hash (functions, symbols,
 * unknown class instances, cycles).
 *
 * @example
 * ```ts
 * hashValue(new Map([["a", 1], ["b", 2]])) === hashValue(new Map([["b", 2], ["a", 1]])); // true
 * hashValue({ x: 1, y: [1, 2] }) === hashValue({ y: [1, 2], x: 1 }); // true
 * ```
 */
export function hashValue(value: unknown, path = "input"): string {
  const hash = createHash("sha256");
  feed(hash, value, path, new Set());
  return hash.digest("hex");
}

/**
 * Hex SHA-256 of several strings, each length-prefixed so that `["ab", "c"]`
 * and `["a", "bc"]` differ.
 *
 * @example
 * ```ts
 * hashStrings(["ab", "c"]) !== hashStrings(["a", "bc"]); // true
 * ```
 */
export function hashStrings(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) writeString(hash, part);
  return hash.digest("hex");
}

/**
 * Hex SHA-256 of bytes (checksums of stored files).
 *
 * @example
 * ```ts
 * hashBytes(new Uint8Array()).length; // 64
 * ```
 */
export function hashBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function writeTag(hash: Hash, tag: string): void {
  hash.update(tag);
  hash.update(":");
}

function writeString(hash: Hash, text: string): void {
  const bytes = encoder.encode(text);
  hash.update(`${bytes.length}:`);
  hash.update(bytes);
}

function writeNumber(hash: Hash, n: number): void {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Number.isNaN(n) ? NaN : n);
  hash.update(new Uint8Array(view.buffer));
}

function feed(hash: Hash, value: unknown, path: string, ancestors: Set<object>): void {
  const c = classify(value);
  switch (c.kind) {
    case "undefined":
    case "null":
      return writeTag(hash, c.kind);
    case "boolean":
      return writeTag(hash, c.value ? "true" : "false");
    case "number":
      writeTag(hash, "num");
      return writeNumber(hash, c.value);
    case "bigint":
      writeTag(hash, "bigint");
      return writeString(hash, c.value.toString());
    case "string":
      writeTag(hash, "str");
      return writeString(hash, c.value);
    case "date":
      writeTag(hash, "date");
      return writeNumber(hash, c.value.getTime());
    case "typedarray":
      writeTag(hash, c.name);
      hash.update(`${c.value.byteLength}:`);
      return void hash.update(new Uint8Array(c.value.buffer, c.value.byteOffset, c.value.byteLength));
    case "arraybuffer":
      writeTag(hash, "ArrayBuffer");
      hash.update(`${c.value.byteLength}:`);
      return void hash.update(new Uint8Array(c.value));
    case "dataframe":
      writeTag(hash, "DataFrame");
      return feedFrameRows(hash, c.value.columns, c.value.dtypes.map(String), c.value);
    case "series":
      writeTag(hash, "Series");
      writeString(hash, c.value.name);
      return feedFrameRows(hash, [c.value.name], [String(c.value.dtype)], c.value.toFrame());
    case "unsupported":
      throw new UnsupportedValueError(path, c.description, "hash");
  }
  if (ancestors.has(c.value)) throw new UnsupportedValueError(path, "a cycle (the value contains itself)", "hash");
  ancestors.add(c.value);
  switch (c.kind) {
    case "array":
      writeTag(hash, `array${c.value.length}`);
      c.value.forEach((item, i) => feed(hash, item, childPath(path, i), ancestors));
      break;
    case "object": {
      const keys = Object.keys(c.value).filter((k) => c.value[k] !== undefined).sort();
      writeTag(hash, `object${keys.length}`);
      for (const key of keys) {
        writeString(hash, key);
        feed(hash, c.value[key], childPath(path, key), ancestors);
      }
      break;
    }
    case "map":
      writeTag(hash, `map${c.value.size}`);
      feedUnordered(
        hash,
        [...c.value].map(([k, v], i) => [k, v, `${path}.get(${describeKey(k, i)})`]),
        ancestors,
      );
      break;
    case "set":
      writeTag(hash, `set${c.value.size}`);
      feedUnordered(hash, [...c.value].map((k, i) => [k, undefined, `${path}[member ${i}]`]), ancestors);
      break;
  }
  ancestors.delete(c.value);
}

function feedFrameRows(
  hash: Hash,
  names: readonly string[],
  dtypes: readonly string[],
  frame: { height: number; width: number; hashRows(): { toTypedArray(): unknown } },
): void {
  writeString(hash, JSON.stringify([names, dtypes, frame.height]));
  if (frame.width === 0 || frame.height === 0) return;
  const rows = frame.hashRows().toTypedArray() as BigUint64Array;
  hash.update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
}

function feedUnordered(hash: Hash, entries: [unknown, unknown, string][], ancestors: Set<object>): void {
  const digests = entries.map(([key, value, path]) => {
    const sub = createHash("sha256");
    feed(sub, key, `${path} key`, ancestors);
    feed(sub, value, path, ancestors);
    return sub.digest("hex");
  });
  for (const digest of digests.sort()) hash.update(digest);
}

function describeKey(key: unknown, index: number): string {
  return typeof key === "string" || typeof key === "number" ? JSON.stringify(key) : `#${index}`;
}
