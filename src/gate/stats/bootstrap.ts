// Percentile bootstrap intervals for a mean difference: paired (over prompts) and unpaired (two samples). Pure.
import { seededRandom } from '../../seededRandom.js';

export interface BootstrapOptions {
  /** Seed of the resampling; the same seed and data give the same interval. */
  seed: number;
  /** Resamples drawn (default 2000). */
  iterations?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

/** An estimate with its bootstrap interval; NaN throughout when there was nothing to measure. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Observations behind it (pairs, or the smaller sample for an unpaired difference). */
  n: number;
}

export const DEFAULT_ITERATIONS = 2000;

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length === 0 ? NaN : s / xs.length;
}

/**
 * The q-quantile of sorted values by linear interpolation between order statistics (R's type 7, numpy's
 * default), so tests can reproduce it by hand.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Interval of the mean of `diffs` (candidate − baseline per prompt): resamples prompts with replacement. */
export function pairedBootstrap(diffs: readonly number[], options: BootstrapOptions): Interval {
  const n = diffs.length;
  if (n === 0) return { estimate: NaN, low: NaN, high: NaN, n: 0 };
  const random = seededRandom(options.seed);
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diffs[Math.floor(random() * n)]!;
    means[b] = s / n;
  }
  return percentileInterval(mean(diffs), means, options.level, n);
}

/** Interval of mean(b) − mean(a), each sample resampled on its own (a canary's two models see other prompts). */
export function unpairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions,
): Interval {
  const n = Math.min(a.length, b.length);
  if (n === 0) return { estimate: NaN, low: NaN, high: NaN, n: 0 };
  const random = seededRandom(options.seed);
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const diffs = new Float64Array(iterations);
  const resampledMean = (xs: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(random() * xs.length)]!;
    return s / xs.length;
  };
  for (let k = 0; k < iterations; k++) diffs[k] = resampledMean(b) - resampledMean(a);
  return percentileInterval(mean(b) - mean(a), diffs, options.level, n);
}

function percentileInterval(estimate: number, draws: Float64Array, level = 0.95, n: number): Interval {
  const sorted = Array.from(draws.sort());
  const tail = (1 - level) / 2;
  return { estimate, low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), n };
}
