// Prim's algorithm on the dense mutual-reachability graph, never materialised: each edge weight
// max(core_i, core_j, d(i, j)) is computed when Prim looks at it (scikit-learn's mst_from_data_matrix).
import { distance } from './Points.js';
import type { Points } from './Points.js';

/** A minimum-spanning-tree edge list, edge e joining from[e] and to[e] at weight[e]. */
export interface SpanningTree {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly weight: Float64Array;
}

/**
 * The MST of the mutual-reachability graph, in O(n² · dim) time and O(n) memory, edges sorted by weight
 * (a stable sort, so ties keep Prim's order as numpy's mergesort does in scikit-learn). Ties in Prim pick
 * the lowest index, as scikit-learn does.
 */
export function mutualReachabilityTree(points: Points, core: Float64Array): SpanningTree {
  const { n } = points;
  const m = Math.max(0, n - 1);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const weight = new Float64Array(m);
  const inTree = new Uint8Array(n);
  const reach = new Float64Array(n).fill(Infinity);
  const source = new Int32Array(n);
  let current = 0;
  for (let e = 0; e < m; e++) {
    inTree[current] = 1;
    const coreCurrent = core[current]!;
    let best = Infinity;
    let next = -1;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      // The mutual reachability is at least both cores: when that already reaches j's best, skip the distance.
      const floor = Math.max(coreCurrent, core[j]!);
      if (floor < reach[j]!) {
        const mr = Math.max(floor, distance(points, current, j));
        if (mr < reach[j]!) {
          reach[j] = mr;
          source[j] = current;
        }
      }
      if (reach[j]! < best || next === -1) {
        best = reach[j]!;
        next = j;
      }
    }
    from[e] = source[next]!;
    to[e] = next;
    weight[e] = best;
    current = next;
  }
  return sortEdges({ from, to, weight });
}

/** The same edges ordered by weight, ties in their original order. */
export function sortEdges(tree: SpanningTree): SpanningTree {
  const order = Array.from(tree.weight.keys()).sort((a, b) => tree.weight[a]! - tree.weight[b]! || a - b);
  return {
    from: Int32Array.from(order, (e) => tree.from[e]!),
    to: Int32Array.from(order, (e) => tree.to[e]!),
    weight: Float64Array.from(order, (e) => tree.weight[e]!),
  };
}
