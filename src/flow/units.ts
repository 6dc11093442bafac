/**
 * Human units for the CLIs and reports: durations (`90s`, `30m`, `12h`,
 * `7d`, `250ms`) and sizes (`500MB`, `2GiB`, `1024`).
 *
 * @module
 */

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Parses a duration into milliseconds; a bare number is milliseconds.
 * Throws a one-line error naming the bad text.
 *
 * @example
 * ```ts
 * parseDuration("7d"); // 604800000
 * parseDuration("1.5h"); // 5400000
 * ```
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!match) throw new RangeError(`invalid duration "${text}" (use e.g. 90s, 30m, 12h, 7d)`);
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? "ms").toLowerCase()];
}

/**
 * Parses a size into bytes; a bare number is bytes.
 *
 * @example
 * ```ts
 * parseSize("500MB"); // 500000000
 * parseSize("1KiB"); // 1024
 * ```
 */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(text);
  if (!match) throw new RangeError(`invalid size "${text}" (use e.g. 500MB, 2GB, 1024)`);
  return Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? "b").toLowerCase()]);
}

/**
 * Formats bytes with a decimal unit.
 *
 * @example
 * ```ts
 * formatBytes(1_500_000); // "1.5 MB"
 * formatBytes(12); // "12 B"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  const [unit, scale] = bytes < 1e6 ? ["kB", 1e3] : bytes < 1e9 ? ["MB", 1e6] : ["GB", 1e9];
  return `${(bytes / scale).toFixed(1)} ${unit}`;
}

/**
 * Formats a duration compactly.
 *
 * @example
 * ```ts
 * formatDuration(450); // "450 ms"
 * formatDuration(12_300); // "12.3 s"
 * formatDuration(7_200_000); // "2.0 h"
 * ```
 */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
