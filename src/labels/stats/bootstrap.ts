// Seeded, reproducible percentile bootstrap over units: the same data and seed give the same interval.
import { seededRandom } from '../../seededRandom.js';

export interface BootstrapOptions {
  /** Resamples drawn (default 1000). */
  resamples?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Coverage of the interval (default 0.95). */
  coverage?: number;
}

export interface Interval {
  low: number;
  high: number;
  /** Resamples whose statistic was undefined (NaN) and so left out of the percentiles. */
  undefinedResamples: number;
}

/** Linear-interpolated quantile of sorted values (the "type 7" rule of R and NumPy). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * Percentile interval of `statistic` over resamples of `units` drawn with replacement. Units are
 * what is resampled (items, pairs), never single ratings, so raters' ratings of one item stay together.
 */
export function bootstrapInterval<T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions = {},
): Interval {
  const resamples = options.resamples ?? 1000;
  const coverage = options.coverage ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  if (units.length === 0) return { low: Number.NaN, high: Number.NaN, undefinedResamples: resamples };
  const stats: number[] = [];
  let undefinedResamples = 0;
  const sample = new Array<T>(units.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < units.length; i++) sample[i] = units[Math.floor(random() * units.length)] as T;
    const s = statistic(sample);
    if (Number.isNaN(s)) undefinedResamples++;
    else stats.push(s);
  }
  stats.sort((a, b) => a - b);
  const tail = (1 - coverage) / 2;
  return { low: quantile(stats, tail), high: quantile(stats, 1 - tail), undefinedResamples };
}
