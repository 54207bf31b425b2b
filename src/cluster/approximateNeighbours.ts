// Approximate k nearest neighbours for inputs too large for the O(n²) exact path: a forest of random
// projection trees proposes candidates (points sharing a leaf), one round of neighbour-of-neighbour search
// (NN-descent's step) repairs what the trees split apart.
import { seededRandom } from '../seededRandom.js';
import { distance } from './Points.js';
import type { Points } from './Points.js';

/** Each point's k nearest others (itself excluded), row i at [i*k, i*k+k), nearest first. */
export interface NeighbourGraph {
  readonly k: number;
  readonly index: Int32Array;
  readonly dist: Float64Array;
}

/** How the graph is searched. */
export interface NeighbourOptions {
  /** Random projection trees. Default 6. */
  readonly trees?: number;
  /** Most points in a leaf (all pairs in a leaf are compared). Default max(3k, 48). */
  readonly leafSize?: number;
  /** Seed of the projections, so a run repeats exactly. Default 1. */
  readonly seed?: number;
}

/** The approximate kNN graph; k is capped at n − 1. */
export function approximateNeighbours(
  points: Points,
  k: number,
  options: NeighbourOptions = {},
): NeighbourGraph {
  const { n } = points;
  const kk = Math.max(1, Math.min(k, n - 1));
  const index = new Int32Array(n * kk).fill(-1);
  const dist = new Float64Array(n * kk).fill(Infinity);
  const offer = (i: number, j: number, d: number): void => {
    const base = i * kk;
    if (d >= dist[base + kk - 1]!) return;
    for (let s = 0; s < kk; s++) if (index[base + s] === j) return;
    let at = kk - 1;
    while (at > 0 && dist[base + at - 1]! > d) {
      dist[base + at] = dist[base + at - 1]!;
      index[base + at] = index[base + at - 1]!;
      at--;
    }
    dist[base + at] = d;
    index[base + at] = j;
  };
  const random = seededRandom(options.seed ?? 1);
  const leafSize = options.leafSize ?? Math.max(3 * kk, 48);
  for (let t = 0; t < (options.trees ?? 6); t++) {
    for (const leaf of projectionLeaves(points, leafSize, random)) {
      for (let a = 0; a < leaf.length; a++)
        for (let b = a + 1; b < leaf.length; b++) {
          const d = distance(points, leaf[a]!, leaf[b]!);
          offer(leaf[a]!, leaf[b]!, d);
          offer(leaf[b]!, leaf[a]!, d);
        }
    }
  }
  // A neighbour's neighbour is likely a neighbour: one pass over them catches pairs the trees separated.
  const before = Int32Array.from(index);
  for (let i = 0; i < n; i++)
    for (let s = 0; s < kk; s++) {
      const j = before[i * kk + s]!;
      if (j < 0) continue;
      for (let u = 0; u < kk; u++) {
        const l = before[j * kk + u]!;
        if (l < 0 || l === i) continue;
        const d = distance(points, i, l);
        offer(i, l, d);
        offer(l, i, d);
      }
    }
  return { k: kk, index, dist };
}

/** The leaves of one random projection tree: split at the median projection onto the line of two points. */
function projectionLeaves(points: Points, leafSize: number, random: () => number): Int32Array[] {
  const { dim, data } = points;
  const leaves: Int32Array[] = [];
  const stack: Int32Array[] = [Int32Array.from({ length: points.n }, (_, i) => i)];
  while (stack.length > 0) {
    const set = stack.pop()!;
    if (set.length <= leafSize) {
      leaves.push(set);
      continue;
    }
    const a = set[Math.floor(random() * set.length)]!;
    let b = set[Math.floor(random() * set.length)]!;
    if (b === a) b = set[(set.indexOf(a) + 1) % set.length]!;
    const projection = new Float64Array(set.length);
    for (let s = 0; s < set.length; s++) {
      const p = set[s]! * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += data[p + d]! * (data[a * dim + d]! - data[b * dim + d]!);
      projection[s] = dot;
    }
    // Sorting by projection and halving keeps the tree balanced even when many points project alike.
    const order = Array.from(set.keys()).sort((x, y) => projection[x]! - projection[y]!);
    const half = order.length >> 1;
    stack.push(
      Int32Array.from(order.slice(0, half), (s) => set[s]!),
      Int32Array.from(order.slice(half), (s) => set[s]!),
    );
  }
  return leaves;
}
