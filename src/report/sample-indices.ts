import { expectInteger } from '../pipeline/validate';

/**
 * The frames a contact sheet shows: `count` frames spread evenly over `total` (first and last
 * included), plus about a quarter as many of the `picks` (spread over them), so the sheet shows the
 * edited frames next to frames nobody edited. Sorted, without duplicates, all below `total`.
 *
 * @example
 * sampleIndices(100, 5, [12, 48]); // [0, 12, 25, 48, 50, 74, 99]
 * @throws {InvalidOptionError} when `total` or `count` is not a non-negative integer.
 */
export function sampleIndices(total: number, count: number, picks: readonly number[] = []): number[] {
  expectInteger('total', total, 0, Number.MAX_SAFE_INTEGER);
  expectInteger('count', count, 0, 10_000);
  const chosen = new Set<number>();
  const n = Math.min(count, total);
  for (let i = 0; i < n; i++) chosen.add(n === 1 ? 0 : Math.round((i * (total - 1)) / (n - 1)));
  const inside = [...new Set(picks)].filter((p) => p >= 0 && p < total).sort((a, b) => a - b);
  const pickCount = Math.min(inside.length, Math.ceil(count / 4));
  for (let i = 0; i < pickCount; i++) {
    chosen.add(inside[pickCount === 1 ? 0 : Math.round((i * (inside.length - 1)) / (pickCount - 1))]!);
  }
  return [...chosen].sort((a, b) => a - b);
}
