// The condensed tree (scikit-learn's _condense_tree): the dendrogram walked from the root, where a split
// into two parts of at least min_cluster_size makes two new clusters and a smaller part's points fall out.
import type { Dendrogram } from './singleLinkage.js';

/**
 * Row r says: child[r] (a point < n, or a cluster ≥ n) left parent[r] at lambda[r] = 1 / distance, with
 * size[r] points. The root cluster is n; clusters are numbered in the order they are born.
 */
export interface CondensedTree {
  readonly n: number;
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly size: Int32Array;
}

/** Condenses a dendrogram of n ≥ 2 points. */
export function condenseTree(tree: Dendrogram, minClusterSize: number): CondensedTree {
  const { n } = tree;
  const root = 2 * n - 2;
  const relabel = new Int32Array(root + 1);
  const ignore = new Uint8Array(root + 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const parent: number[] = [];
  const child: number[] = [];
  const lambda: number[] = [];
  const size: number[] = [];
  const push = (p: number, c: number, l: number, s: number): void => {
    parent.push(p);
    child.push(c);
    lambda.push(l);
    size.push(s);
  };
  const countOf = (node: number): number => (node >= n ? tree.size[node - n]! : 1);
  // A part too small to be a cluster: every point under it falls out of `label` at lambda `l`.
  const fallOut = (node: number, label: number, l: number): void => {
    for (const sub of descendants(tree, node)) {
      if (sub < n) push(label, sub, l, 1);
      ignore[sub] = 1;
    }
  };
  for (const node of descendants(tree, root)) {
    if (ignore[node] || node < n) continue;
    const k = node - n;
    const left = tree.left[k]!;
    const right = tree.right[k]!;
    const d = tree.distance[k]!;
    const l = d > 0 ? 1 / d : Infinity;
    const leftCount = countOf(left);
    const rightCount = countOf(right);
    const label = relabel[node]!;
    if (leftCount >= minClusterSize && rightCount >= minClusterSize) {
      relabel[left] = nextLabel++;
      push(label, relabel[left]!, l, leftCount);
      relabel[right] = nextLabel++;
      push(label, relabel[right]!, l, rightCount);
    } else if (leftCount < minClusterSize && rightCount < minClusterSize) {
      fallOut(left, label, l);
      fallOut(right, label, l);
    } else if (leftCount < minClusterSize) {
      relabel[right] = label;
      fallOut(left, label, l);
    } else {
      relabel[left] = label;
      fallOut(right, label, l);
    }
  }
  return {
    n,
    parent: Int32Array.from(parent),
    child: Int32Array.from(child),
    lambda: Float64Array.from(lambda),
    size: Int32Array.from(size),
  };
}

/** The node and everything under it in the dendrogram, breadth first (scikit-learn's bfs_from_hierarchy). */
function descendants(tree: Dendrogram, node: number): number[] {
  const out = [node];
  for (let i = 0; i < out.length; i++) {
    const x = out[i]!;
    if (x >= tree.n) out.push(tree.left[x - tree.n]!, tree.right[x - tree.n]!);
  }
  return out;
}

/**
 * Each cluster's stability, Σ over its rows of (lambda − the cluster's birth lambda) × size, indexed by
 * cluster − n. A cluster born at lambda ∞ (duplicates) adds 0 where scikit-learn would add NaN; both lose
 * every comparison the same way.
 */
export function stabilities(tree: CondensedTree): Float64Array {
  const { n } = tree;
  const clusters = clusterCount(tree);
  const birth = new Float64Array(clusters);
  for (let r = 0; r < tree.child.length; r++) {
    const c = tree.child[r]!;
    if (c >= n) birth[c - n] = tree.lambda[r]!;
  }
  const out = new Float64Array(clusters);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r]! - n;
    const l = tree.lambda[r]!;
    const b = birth[p]!;
    out[p] = out[p]! + (l === b ? 0 : (l - b) * tree.size[r]!);
  }
  return out;
}

/** How many clusters the tree holds, the root included. */
export function clusterCount(tree: CondensedTree): number {
  let max = tree.n;
  for (const c of tree.child) if (c > max) max = c;
  return max - tree.n + 1;
}
