// The mutual-reachability spanning tree over an approximate kNN graph (Kruskal), its components then
// joined through one representative each, since a kNN graph of separate groups is rarely connected.
import { approximateNeighbours } from './approximateNeighbours.js';
import type { NeighbourGraph } from './approximateNeighbours.js';
import { sortEdges } from './minimumSpanningTree.js';
import type { SpanningTree } from './minimumSpanningTree.js';
import { distance } from './Points.js';
import type { Points } from './Points.js';

/** Core distance over minSamples neighbours counting the point itself, read off the kNN graph. */
export function coreFromNeighbours(graph: NeighbourGraph, n: number, minSamples: number): Float64Array {
  const s = Math.min(minSamples, graph.k + 1) - 2; // the point itself is neighbour 1
  return Float64Array.from({ length: n }, (_, i) => (s < 0 ? 0 : graph.dist[i * graph.k + s]!));
}

/**
 * A spanning tree of the mutual-reachability graph using only kNN edges, then edges between components'
 * representatives (their densest points). Within a component it is the exact MST of the kNN subgraph; the
 * joins between components are upper bounds, which can only delay where those components merge.
 */
export function neighbourSpanningTree(
  points: Points,
  graph: NeighbourGraph,
  core: Float64Array,
): SpanningTree {
  const { n } = points;
  const { k } = graph;
  const m = n * k;
  const weight = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const i = Math.floor(e / k);
    const j = graph.index[e]!;
    weight[e] = j < 0 ? Infinity : Math.max(graph.dist[e]!, core[i]!, core[j]!);
  }
  const order = Uint32Array.from({ length: m }, (_, e) => e).sort((a, b) => weight[a]! - weight[b]! || a - b);
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (root[x] !== x) {
      root[x] = root[root[x]!]!;
      x = root[x]!;
    }
    return x;
  };
  const from: number[] = [];
  const to: number[] = [];
  const weights: number[] = [];
  const join = (a: number, b: number, w: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    root[ra] = rb;
    from.push(a);
    to.push(b);
    weights.push(w);
    return true;
  };
  for (const e of order) {
    if (!Number.isFinite(weight[e]!)) break;
    join(Math.floor(e / k), graph.index[e]!, weight[e]!);
  }
  // Each remaining component's densest point stands for it. Up to EXACT_LINKS representatives are joined
  // over all their pairs; more (many small groups, such as stacks of identical texts) through a kNN graph of
  // the representatives, round after round, each round at least halving the count.
  for (;;) {
    const representative = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const r = find(i);
      const best = representative.get(r);
      if (best === undefined || core[i]! < core[best]!) representative.set(r, i);
    }
    const reps = [...representative.values()];
    if (reps.length <= 1) break;
    const pairs: [number, number, number][] = [];
    const link = (i: number, j: number) =>
      pairs.push([i, j, Math.max(distance(points, i, j), core[i]!, core[j]!)]);
    if (reps.length <= EXACT_LINKS) {
      for (let a = 0; a < reps.length; a++)
        for (let b = a + 1; b < reps.length; b++) link(reps[a]!, reps[b]!);
    } else {
      const sub = subset(points, reps);
      const near = approximateNeighbours(sub, 4);
      for (let a = 0; a < reps.length; a++)
        for (let s = 0; s < near.k; s++) link(reps[a]!, reps[near.index[a * near.k + s]!]!);
    }
    pairs.sort((x, y) => x[2] - y[2]);
    for (const [i, j, w] of pairs) join(i, j, w);
  }
  return sortEdges({
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    weight: Float64Array.from(weights),
  });
}

/** Components above this many are linked through a kNN graph of their representatives. */
const EXACT_LINKS = 1500;

/** The chosen points as a Points of their own. */
function subset(points: Points, chosen: number[]): Points {
  const { dim } = points;
  const data = new Float64Array(chosen.length * dim);
  chosen.forEach((i, r) => data.set(points.data.subarray(i * dim, i * dim + dim), r * dim));
  return { n: chosen.length, dim, data };
}
