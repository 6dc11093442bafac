/**
 * Reading and writing the `meta.yaml` files of the store, with the checks
 * MLflow applies on read: a file that cannot be parsed, is empty, or lacks a
 * required field is a `CORRUPT_STORE` error naming the file.
 *
 * @module
 */
import { TrackingError } from "./errors.ts";
import { readTextIfExists } from "./store_fs.ts";
import { writeFileAtomic } from "../fs/atomic.ts";
import { dumpYaml, parseYaml } from "./yaml.ts";

/**
 * The fields of one meta.yaml, with typed accessors that fail with the file's
 * path and the field's name.
 *
 * @example
 * ```ts
 * const meta = new MetaFields({ run_id: "abc", status: 3, end_time: null }, "/m/0/abc/meta.yaml");
 * meta.string("run_id"); // "abc"
 * meta.nullableInt("end_time"); // null
 * ```
 */
export class MetaFields {
  constructor(readonly values: Readonly<Record<string, unknown>>, readonly path: string) {}

  /** True when the key is present (even with a null value). */
  has(key: string): boolean {
    return Object.hasOwn(this.values, key);
  }

  /** Fails unless every key is present (values may be null). */
  requireKeys(...keys: string[]): void {
    for (const key of keys) this.required(key);
  }

  /** A required string. */
  string(key: string): string {
    const value = this.required(key);
    if (typeof value !== "string") this.fail(key, "a string", value);
    return value;
  }

  /** A required id: a string, or an integer (older MLflow wrote ids unquoted) as its decimal digits. */
  id(key: string): string {
    const value = this.required(key);
    if (typeof value === "string") return value;
    if ((typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint") return String(value);
    return this.fail(key, "an id", value);
  }

  /** An optional string: `null` when missing or null. */
  optionalString(key: string): string | null {
    const value = this.values[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
    return this.fail(key, "a string", value);
  }

  /** A required, non-null integer. */
  int(key: string): number {
    const value = this.nullableInt(key);
    if (value === null) this.fail(key, "an integer", null);
    return value;
  }

  /** A key that must be present, holding an integer or null. */
  nullableInt(key: string): number | null {
    const value = this.required(key);
    return value === null ? null : this.asInt(key, value);
  }

  /** An optional integer: `null` when missing or null. */
  optionalInt(key: string): number | null {
    const value = this.values[key];
    return value === undefined || value === null ? null : this.asInt(key, value);
  }

  /** An optional mapping. */
  optionalMap(key: string): Record<string, unknown> {
    const value = this.values[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) this.fail(key, "a mapping", value);
    return value as Record<string, unknown>;
  }

  /** Throws the store's error for a bad value of `key`. */
  fail(key: string, expected: string, got: unknown): never {
    throw new TrackingError("CORRUPT_STORE", `field '${key}' must be ${expected}, got ${JSON.stringify(got)}`, {
      path: this.path,
    });
  }

  private required(key: string): unknown {
    if (!this.has(key)) {
      throw new TrackingError("CORRUPT_STORE", `missing required field '${key}'`, { path: this.path });
    }
    return this.values[key];
  }

  private asInt(key: string, value: unknown): number {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "bigint") return Number(value);
    return this.fail(key, "an integer", value);
  }
}

/**
 * Reads a meta.yaml: `undefined` when the file does not exist; a
 * `CORRUPT_STORE` error when it is empty, not YAML, or not a mapping.
 *
 * @example
 * ```ts
 * await readMetaFile("/no/such/meta.yaml"); // undefined
 * ```
 */
export async function readMetaFile(path: string): Promise<MetaFields | undefined> {
  const text = await readTextIfExists(path);
  return text === undefined ? undefined : parseMetaText(text, path);
}

/**
 * Parses the text of a meta.yaml read from `path` (named in errors); a
 * `CORRUPT_STORE` error when it is empty, not YAML, or not a mapping.
 *
 * @example
 * ```ts
 * parseMetaText("run_id: abc\n", "/m/0/abc/meta.yaml").string("run_id"); // "abc"
 * ```
 */
export function parseMetaText(text: string, path: string): MetaFields {
  const value = parseYaml(text, path);
  if (value === null || value === undefined) throw new TrackingError("CORRUPT_STORE", "empty meta.yaml", { path });
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TrackingError("CORRUPT_STORE", "meta.yaml is not a mapping", { path });
  }
  return new MetaFields(value as Record<string, unknown>, path);
}

/**
 * Reads a meta.yaml that must exist (a missing one is `CORRUPT_STORE` too).
 *
 * @example
 * ```ts
 * const meta = await requireMetaFile("/data/mlruns/0/c705528894b5469ebd076e089e2f92ae/meta.yaml");
 * meta.string("run_id"); // "c705528894b5469ebd076e089e2f92ae"
 * ```
 */
export async function requireMetaFile(path: string): Promise<MetaFields> {
  const meta = await readMetaFile(path);
  if (!meta) throw new TrackingError("CORRUPT_STORE", "meta.yaml is missing", { path });
  return meta;
}

/**
 * Writes a meta.yaml atomically, in PyYAML's layout.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeMetaFile(`${dir}/meta.yaml`, { name: "Default", experiment_id: "0" });
 * ```
 */
export async function writeMetaFile(path: string, fields: Record<string, unknown>, scratchDir?: string): Promise<void> {
  await writeFileAtomic(path, dumpYaml(fields), scratchDir);
}
