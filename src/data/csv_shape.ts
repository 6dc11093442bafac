/**
 * The shape of a CSV file, from one streaming pass over its bytes: the header
 * names (unescaped as RFC 4180 says, so `"x""y"` is `x"y`, which polars keeps
 * as `x""y`) and every record whose number of fields differs from the
 * header's. Polars' reader fills a short row with nulls and silently drops
 * the extra fields of a long one, so this pass is what catches both.
 *
 * The pass reads the file in blocks and walks bytes in a typed array; no
 * string is made of the data, and quoted fields (with separators or line
 * breaks inside) are followed as polars follows them.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/** A record whose field count differs from the header's. */
export interface RaggedRecord {
  /** 1-based data row (the header is not counted; blank lines are skipped, as polars skips them). */
  readonly row: number;
  /** 1-based line of the file where the record starts. */
  readonly line: number;
  readonly fields: number;
}

/** What {@link scanCsvShape} found. */
export interface CsvShape {
  /** The header's column names, unescaped. */
  readonly header: readonly string[];
  /** Data rows (records after the header). */
  readonly rows: number;
  /** Records with more or fewer fields than the header, in file order (at most `limit`). */
  readonly ragged: readonly RaggedRecord[];
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BLOCK_BYTES = 1 << 22;

/**
 * Scans a CSV file (comma-separated, `"` quotes). `limit` stops the scan at
 * that many ragged records (1 is enough to fail a load with its line). A
 * header that is not UTF-8 text or names a column twice is a DataError.
 *
 * @example
 * ```ts
 * const path = Deno.makeTempFileSync({ suffix: ".csv" });
 * Deno.writeTextFileSync(path, '"x""y",b\n1,2\n3,4,5\n');
 * const shape = scanCsvShape(path);
 * shape.header; // ['x"y', "b"]
 * shape.ragged; // [{ row: 2, line: 3, fields: 3 }]
 * ```
 */
export function scanCsvShape(path: string, { limit = Infinity }: { limit?: number } = {}): CsvShape {
  const file = openFile(path);
  const ragged: RaggedRecord[] = [];
  let header: Uint8Array = new Uint8Array(0);
  // Every variable the byte loop touches is a local of this function (none is captured by a closure), so V8
  // keeps them in registers; the loop tests most bytes once (`> QUOTE`: digits, letters, '-', ':', '.', ',').
  let headerFields = -1;
  let rows = 0;
  let line = 1;
  let recordLine = 1;
  let separators = 0;
  let quoted = false;
  let offset = 0; // of the block in the file
  let recordStart = 0; // file offset of the current record's first byte
  let before = LF; // the byte before the block: a quote opens a field only after a separator, a line break or a closing quote
  try {
    const buffer = new Uint8Array(BLOCK_BYTES);
    let read = file.readSync(buffer) ?? 0;
    while (read > 0 && ragged.length < limit) {
      for (let i = 0; i < read; i++) {
        const byte = buffer[i];
        if (byte > QUOTE) {
          if (byte === COMMA && !quoted) separators++;
        } else if (byte === QUOTE) {
          if (quoted) quoted = false;
          else {
            const previous = i > 0 ? buffer[i - 1] : before;
            quoted = previous === COMMA || previous === LF || previous === QUOTE;
          }
        } else if (byte === LF) {
          line++;
          if (quoted) continue;
          if (headerFields < 0) {
            headerFields = separators + 1;
            header = concatBytes(header, buffer.subarray(0, i));
          } else {
            rows++;
            // A blank line is a row of nulls to polars, so it is counted but not ragged: its values are missing.
            if (
              separators + 1 !== headerFields &&
              !(separators === 0 && isBlank(buffer, i, offset + i - recordStart, before))
            ) {
              ragged.push({ row: rows, line: recordLine, fields: separators + 1 });
              if (ragged.length >= limit) break;
            }
          }
          recordLine = line;
          recordStart = offset + i + 1;
          separators = 0;
        }
      }
      if (headerFields < 0) header = concatBytes(header, buffer.subarray(0, read));
      before = buffer[read - 1];
      offset += read;
      read = ragged.length < limit ? file.readSync(buffer) ?? 0 : 0;
    }
  } catch (error) {
    throw new DataError(`cannot read file: ${(error as Error).message}`, { file: path });
  } finally {
    file.close();
  }
  if (ragged.length < limit && offset > recordStart) {
    // The last record has no line break after it.
    if (headerFields < 0) headerFields = separators + 1;
    else {
      rows++;
      if (separators + 1 !== headerFields) ragged.push({ row: rows, line: recordLine, fields: separators + 1 });
    }
  }
  return { header: parseHeader(header, path), rows, ragged };
}

/**
 * What is wrong with a ragged record, in the words every loader uses.
 *
 * @example
 * ```ts
 * describeRagged({ row: 2, line: 3, fields: 4 }, ["a", "b", "c"]); // "the row has 4 fields, the header has 3"
 * ```
 */
export function describeRagged(record: RaggedRecord, header: readonly string[]): string {
  return `the row has ${record.fields} fields, the header has ${header.length}`;
}

/**
 * The renaming from the column names polars read to the header's unescaped
 * names, after checking that they are as many.
 *
 * @example
 * ```ts
 * renameToHeader(['x""y', "b"], ['x"y', "b"], "t.csv"); // { 'x""y': 'x"y', b: "b" }
 * ```
 */
export function renameToHeader(
  columns: readonly string[],
  header: readonly string[],
  file: string,
): Record<string, string> {
  if (columns.length !== header.length) {
    throw new DataError(`the header has ${header.length} names, but polars read ${columns.length} columns`, {
      file,
      line: 1,
    });
  }
  return Object.fromEntries(columns.map((name, i) => [name, header[i]]));
}

/** Whether the record of `length` bytes ending at the line break `buffer[end]` is empty or a lone CR. */
function isBlank(buffer: Uint8Array, end: number, length: number, before: number): boolean {
  if (length === 0) return true;
  if (length > 1) return false;
  return (end > 0 ? buffer[end - 1] : before) === CR;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function openFile(path: string): Deno.FsFile {
  try {
    return Deno.openSync(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new DataError("file not found", { file: path });
    throw new DataError(`cannot read file: ${(error as Error).message}`, { file: path });
  }
}

/** Splits the header record's bytes into unescaped names. */
function parseHeader(bytes: Uint8Array, path: string): string[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new DataError("the header is not UTF-8 text: save the file as UTF-8", { file: path, line: 1 });
  }
  if (text.includes("\0")) {
    throw new DataError("the header holds NUL bytes: the file is binary or UTF-16, not a UTF-8 CSV", {
      file: path,
      line: 1,
    });
  }
  const names: string[] = [];
  let name = "";
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') name += char;
      else if (text[i + 1] === '"') name += text[i++];
      else quoted = false;
    } else if (char === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (char === ",") {
      names.push(name);
      name = "";
      fieldStart = true;
    } else if (char !== "\r" && char !== "\n") {
      name += char;
      fieldStart = false;
    }
  }
  names.push(name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new DataError("the header names this column twice", { file: path, line: 1, column: twice });
  }
  return names;
}
