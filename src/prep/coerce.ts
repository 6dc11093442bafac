/**
 * Coercion of loose input values (JSON fields, text columns) to a feature's
 * kind, shared by {@link tableFromRecords} and the steps' column readers so
 * that a request and a batch file accept exactly the same spellings.
 *
 * @module
 */
import { DataError } from "../data/errors.ts";

/**
 * A numeric feature value: numbers as they are (non-finite -> missing), numeric
 * text parsed (blank -> missing), booleans as 0/1, `null`/`undefined` missing.
 * Anything else is a {@link DataError} naming the field and the 1-based row.
 *
 * @example
 * ```ts
 * coerceNumber(" 2.5 ", "amount", 0); // 2.5
 * coerceNumber("abc", "amount", 0); // throws: column "amount", row 1: not a number (value: "abc")
 * ```
 */
export function coerceNumber(value: unknown, field: string, index: number): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return Number.NaN;
    const parsed = Number(text);
    if (Number.isFinite(parsed)) return parsed;
  } else if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  throw new DataError("not a number", { column: field, row: index + 1, value });
}

/**
 * A categorical feature value: text as it is, numbers and booleans spelled out
 * (`3` -> `"3"`), `null`/`undefined` missing; objects and arrays are a
 * {@link DataError} naming the field and the 1-based row.
 *
 * @example
 * ```ts
 * coerceLevel(3, "region", 0); // "3"
 * ```
 */
export function coerceLevel(value: unknown, field: string, index: number): string | null {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  throw new DataError("not a text or number value", { column: field, row: index + 1, value });
}
