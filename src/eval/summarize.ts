import { InvalidOptionError } from '../pipeline/errors';

/** Mean, spread and range of a per-frame score. */
export interface Summary {
  /** Number of values summarised. */
  count: number;
  mean: number;
  /** Population standard deviation (divides by `count`). */
  std: number;
  min: number;
  max: number;
}

/**
 * Summarises per-frame scores: count, mean, population standard deviation, min and max. Infinite
 * values (the PSNR of identical frames) propagate to the mean; cap them first when a finite average
 * is wanted (for example `values.map((v) => Math.min(v, 100))`).
 *
 * @example
 * summarize([0.9, 0.95, 1]); // { count: 3, mean: 0.95, std: 0.0408, min: 0.9, max: 1 }
 * @throws {InvalidOptionError} when `values` is empty or holds NaN.
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    throw new InvalidOptionError('Expected at least one value to summarize but received none; score at least one frame.');
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) throw new InvalidOptionError('Expected numbers to summarize but received NaN.');
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  let sq = 0;
  if (Number.isFinite(mean)) for (const v of values) sq += (v - mean) * (v - mean);
  const std = Number.isFinite(mean) ? Math.sqrt(sq / values.length) : NaN;
  return { count: values.length, mean, std, min, max };
}
