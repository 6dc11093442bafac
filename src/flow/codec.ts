/**
 * A tagged JSON encoding that round-trips what tasks return: besides JSON's
 * own types it keeps `undefined`, NaN/±Infinity/-0, bigint, Date, Map, Set,
 * typed arrays, ArrayBuffer and polars DataFrames/Series. Binary parts
 * (typed arrays, frames as Arrow IPC) travel beside the JSON as blobs, so
 * nothing is base64-inflated and frames load with polars' own reader.
 *
 * Tagged nodes are objects with a `$t` member; a plain object that itself has
 * a `$t` member is wrapped as `{"$t":"object","v":{...}}`, so no user value is
 * ever mistaken for a tag.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type pl from "nodejs-polars";
import { UnsupportedValueError } from "./errors.ts";
import { type AnyTypedArray, childPath, classify, TYPED_ARRAYS, type TypedArrayName } from "./values.ts";

/** An encoded value: JSON text plus the binary parts it refers to by index. */
export interface Encoded {
  readonly json: string;
  readonly blobs: readonly Uint8Array[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Encodes a value. Throws {@link UnsupportedValueError} naming the path of a
 * part it cannot store (functions, symbols, unknown class instances, cycles).
 *
 * @example
 * ```ts
 * const encoded = encodeValue({ when: new Date(0), xs: new Float64Array([1, NaN]) });
 * encoded.blobs.length; // 1
 * ```
 */
export function encodeValue(value: unknown, path = "result", action: "store" | "send" = "store"): Encoded {
  const blobs: Uint8Array[] = [];
  const tree = toJson(value, path, { blobs, action, ancestors: new Set() });
  return { json: JSON.stringify(tree), blobs };
}

/**
 * Decodes what {@link encodeValue} produced. Throws on a malformed document
 * (callers treat that as a corrupt entry). Polars is imported only when the
 * value holds frames, so a worker exchanging typed arrays starts ~150 ms
 * faster.
 *
 * @example
 * ```ts
 * const back = await decodeValue(encodeValue(new Map([[1, -0]])));
 * Object.is(back.get(1), -0); // true
 * ```
 */
// deno-lint-ignore no-explicit-any
export async function decodeValue(encoded: Encoded): Promise<any> {
  const tree = JSON.parse(encoded.json);
  const polars = /"\$t":"(DataFrame|Series)"/.test(encoded.json) ? (await import("nodejs-polars")).default : undefined;
  return fromJson(tree, { blobs: encoded.blobs, polars });
}

interface DecodeState {
  readonly blobs: readonly Uint8Array[];
  readonly polars?: typeof pl;
}

interface EncodeState {
  readonly blobs: Uint8Array[];
  readonly action: "store" | "send";
  readonly ancestors: Set<object>;
}

function blob(state: EncodeState, bytes: Uint8Array): number {
  state.blobs.push(bytes);
  return state.blobs.length - 1;
}

function copyBytes(view: ArrayBufferView | ArrayBuffer): Uint8Array {
  const bytes = view instanceof ArrayBuffer
    ? new Uint8Array(view)
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return bytes.slice();
}

function toJson(value: unknown, path: string, state: EncodeState): Json {
  const c = classify(value);
  switch (c.kind) {
    case "undefined":
      return { $t: "undefined" };
    case "null":
      return null;
    case "boolean":
    case "string":
      return c.value;
    case "number":
      if (Object.is(c.value, -0)) return { $t: "number", v: "-0" };
      return Number.isFinite(c.value) ? c.value : { $t: "number", v: String(c.value) };
    case "bigint":
      return { $t: "bigint", v: c.value.toString() };
    case "date":
      return { $t: "Date", v: Number.isNaN(c.value.getTime()) ? null : c.value.getTime() };
    case "typedarray":
      return { $t: c.name, blob: blob(state, copyBytes(c.value)) };
    case "arraybuffer":
      return { $t: "ArrayBuffer", blob: blob(state, copyBytes(c.value)) };
    case "dataframe":
      return { $t: "DataFrame", blob: blob(state, new Uint8Array(c.value.writeIPC())) };
    case "series":
      return { $t: "Series", blob: blob(state, new Uint8Array(c.value.toFrame().writeIPC())) };
    case "unsupported":
      throw new UnsupportedValueError(path, c.description, state.action);
  }
  if (state.ancestors.has(c.value)) {
    throw new UnsupportedValueError(path, "a cycle (the value contains itself)", state.action);
  }
  state.ancestors.add(c.value);
  let out: Json;
  switch (c.kind) {
    case "array":
      out = Array.from(c.value, (item, i) => toJson(item, childPath(path, i), state));
      break;
    case "object": {
      const members: Record<string, Json> = {};
      for (const [key, member] of Object.entries(c.value)) members[key] = toJson(member, childPath(path, key), state);
      out = "$t" in members ? { $t: "object", v: members } : members;
      break;
    }
    case "map":
      out = {
        $t: "Map",
        v: [...c.value].map((
          [k, v],
          i,
        ) => [toJson(k, `${path} key #${i}`, state), toJson(v, `${path}.get(#${i})`, state)]),
      };
      break;
    case "set":
      out = { $t: "Set", v: [...c.value].map((k, i) => toJson(k, `${path}[member ${i}]`, state)) };
      break;
  }
  state.ancestors.delete(c.value);
  return out;
}

function blobAt(blobs: readonly Uint8Array[], index: unknown): Uint8Array {
  if (typeof index !== "number" || !(index in blobs)) throw new Error(`missing binary part #${String(index)}`);
  return blobs[index];
}

function typedArrayFrom(name: TypedArrayName, bytes: Uint8Array): AnyTypedArray {
  const Ctor = TYPED_ARRAYS[name];
  const aligned = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0 ? bytes : bytes.slice();
  return new Ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength / Ctor.BYTES_PER_ELEMENT);
}

function readFrame(state: DecodeState, index: unknown): pl.DataFrame {
  const bytes = blobAt(state.blobs, index);
  if (!state.polars) throw new Error("frame found but polars not loaded");
  return state.polars.readIPC(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function membersFromJson(members: Record<string, Json>, state: DecodeState): Record<string, unknown> {
  return Object.fromEntries(Object.entries(members).map(([k, v]) => [k, fromJson(v, state)]));
}

function fromJson(node: Json, state: DecodeState): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((item) => fromJson(item, state));
  if (!("$t" in node)) return membersFromJson(node, state);
  const tag = node.$t;
  switch (tag) {
    case "undefined":
      return undefined;
    case "number":
      return Number(node.v);
    case "bigint":
      return BigInt(node.v as string);
    case "Date":
      return new Date(node.v === null ? NaN : node.v as number);
    case "object":
      return membersFromJson(node.v as Record<string, Json>, state);
    case "Map":
      return new Map((node.v as Json[][]).map(([k, v]) => [fromJson(k, state), fromJson(v, state)]));
    case "Set":
      return new Set((node.v as Json[]).map((k) => fromJson(k, state)));
    case "ArrayBuffer":
      return blobAt(state.blobs, node.blob).slice().buffer;
    case "DataFrame":
      return readFrame(state, node.blob);
    case "Series":
      return readFrame(state, node.blob).getColumns()[0];
  }
  if (typeof tag === "string" && tag in TYPED_ARRAYS) {
    return typedArrayFrom(tag as TypedArrayName, blobAt(state.blobs, node.blob));
  }
  throw new Error(`unknown tag ${JSON.stringify(tag)}`);
}

const MAGIC = "FLW1";

/**
 * Packs an encoded value into one byte string (magic, part count, part
 * lengths, parts): the file format between a task and its worker process.
 *
 * @example
 * ```ts
 * const bytes = packEncoded(encodeValue([1, 2]));
 * unpackEncoded(bytes).json; // "[1,2]"
 * ```
 */
export function packEncoded(encoded: Encoded): Uint8Array {
  const parts = [new TextEncoder().encode(encoded.json), ...encoded.blobs];
  const headerBytes = 8 + 8 * parts.length;
  const out = new Uint8Array(headerBytes + parts.reduce((sum, p) => sum + p.byteLength, 0));
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, parts.length, true);
  let offset = headerBytes;
  parts.forEach((part, i) => {
    view.setFloat64(8 + 8 * i, part.byteLength, true);
    out.set(part, offset);
    offset += part.byteLength;
  });
  return out;
}

/**
 * Reverses {@link packEncoded}; throws on bytes that are not a packed value.
 *
 * @example
 * ```ts
 * await decodeValue(unpackEncoded(packEncoded(encodeValue(new Uint8Array([7]))))); // Uint8Array [7]
 * ```
 */
export function unpackEncoded(bytes: Uint8Array): Encoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new Error("not a packed value");
  }
  const count = view.getUint32(4, true);
  let offset = 8 + 8 * count;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = view.getFloat64(8 + 8 * i, true);
    if (offset + length > bytes.byteLength) throw new Error("truncated packed value");
    parts.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return { json: new TextDecoder().decode(parts[0]), blobs: parts.slice(1) };
}
