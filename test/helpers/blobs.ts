// Synthetic point sets with a known answer for clustering tests: scikit-learn's make_blobs, re-done on the
// seeded PRNG (same recipe, not numpy's numbers), plus uniform noise and standard scaling.
import { prng } from './prng.js';

/** A standard normal draw (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** make_blobs: `centers` centres uniform in `box`, points spread evenly over them with std `std`. */
export function makeBlobs(options: {
  n: number;
  centers: number;
  dim?: number;
  std?: number;
  box?: [number, number];
  seed: number;
}): { rows: number[][]; truth: number[] } {
  const { n, centers, dim = 2, std = 1, box = [-10, 10], seed } = options;
  const random = prng(seed);
  const normal = gaussian(random);
  const middles = Array.from({ length: centers }, () =>
    Array.from({ length: dim }, () => box[0] + (box[1] - box[0]) * random()),
  );
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % centers;
    rows.push(middles[c]!.map((m) => m + std * normal()));
    truth.push(c);
  }
  return { rows, truth };
}

/** `count` points uniform in the box [lo, hi]^dim. */
export function uniformNoise(count: number, dim: number, lo: number, hi: number, seed: number): number[][] {
  const random = prng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => lo + (hi - lo) * random()));
}

/** StandardScaler: each coordinate to mean 0, variance 1. */
export function standardScale(rows: number[][]): number[][] {
  const dim = rows[0]?.length ?? 0;
  const mean = Array.from({ length: dim }, (_, k) => rows.reduce((s, r) => s + r[k]!, 0) / rows.length);
  const sd = Array.from({ length: dim }, (_, k) =>
    Math.sqrt(rows.reduce((s, r) => s + (r[k]! - mean[k]!) ** 2, 0) / rows.length),
  );
  return rows.map((r) => r.map((v, k) => (v - mean[k]!) / (sd[k]! || 1)));
}
