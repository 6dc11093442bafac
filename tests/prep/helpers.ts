/** Small builders for hand-made tables in the prep tests. */
import type { Column, Table } from "../../src/data/table.ts";

export function num(...values: number[]): Column {
  return { kind: "numeric", values: Float64Array.from(values) };
}

export function cat(...values: (string | null)[]): Column {
  return { kind: "categorical", values };
}

export function table(columns: Record<string, Column>): Table {
  const rows = Object.values(columns)[0]?.values.length ?? 0;
  return { rows, columns };
}

export function labels(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

export function values(t: Table, name: string): readonly unknown[] {
  return Array.from(t.columns[name].values as ArrayLike<unknown>);
}

/** JSON text of a value, the way a bundle stores it. */
export function roundTrip<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
