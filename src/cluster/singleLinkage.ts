// The single-linkage dendrogram from sorted MST edges (scikit-learn's make_single_linkage): merge k
// creates node n + k from the current roots of its edge's two ends.

/** Merge k joins left[k] and right[k] (points < n, merges ≥ n) at distance[k] into a node of size[k]. */
export interface Dendrogram {
  readonly n: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly distance: Float64Array;
  readonly size: Int32Array;
}

/** Builds the dendrogram from edges sorted by weight. */
export function singleLinkage(
  n: number,
  edges: { from: Int32Array; to: Int32Array; weight: Float64Array },
): Dendrogram {
  const m = edges.weight.length;
  const parent = new Int32Array(2 * n - 1 > 0 ? 2 * n - 1 : 1).fill(-1);
  const nodeSize = new Int32Array(parent.length);
  nodeSize.fill(1, 0, n);
  const find = (x: number): number => {
    let root = x;
    while (parent[root] !== -1) root = parent[root]!;
    // Path compression: later finds from this chain are one hop.
    while (parent[x] !== -1 && parent[x] !== root) {
      const up = parent[x]!;
      parent[x] = root;
      x = up;
    }
    return root;
  };
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const size = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const a = find(edges.from[k]!);
    const b = find(edges.to[k]!);
    const node = n + k;
    left[k] = a;
    right[k] = b;
    size[k] = nodeSize[a]! + nodeSize[b]!;
    nodeSize[node] = size[k]!;
    parent[a] = node;
    parent[b] = node;
  }
  return { n, left, right, distance: Float64Array.from(edges.weight), size };
}
