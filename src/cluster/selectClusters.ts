// Excess-of-mass selection over the condensed tree (scikit-learn's _get_clusters with method "eom" and
// allow_single_cluster false), then each point's label and membership strength.
import { clusterCount, stabilities } from './condensedTree.js';
import type { CondensedTree } from './condensedTree.js';

/** Flat clusters: labels 0..k-1 (noise −1) and each point's membership strength in [0, 1]. */
export interface Selection {
  readonly labels: Int32Array;
  readonly probabilities: Float64Array;
  /** The condensed-tree cluster each label came from (label → cluster id ≥ n). */
  readonly clusterOfLabel: Int32Array;
}

/** Picks the clusters of greatest total stability with no selected cluster under another. */
export function selectClusters(tree: CondensedTree): Selection {
  const { n } = tree;
  const count = clusterCount(tree);
  const stability = stabilities(tree);
  // The cluster tree: rows whose child is a cluster, listed per parent.
  const children: number[][] = Array.from({ length: count }, () => []);
  for (let r = 0; r < tree.child.length; r++)
    if (tree.size[r]! > 1 && tree.child[r]! >= n) children[tree.parent[r]! - n]!.push(tree.child[r]! - n);
  const selected = new Uint8Array(count);
  // Children are born after their parents, so descending ids visit every child before its parent. The root
  // (index 0) is never a candidate: allow_single_cluster is false.
  for (let c = count - 1; c >= 1; c--) {
    const subtree = children[c]!.reduce((sum, k) => sum + stability[k]!, 0);
    if (subtree > stability[c]!) {
      stability[c] = subtree;
    } else {
      selected[c] = 1;
      const stack = [...children[c]!];
      while (stack.length > 0) {
        const k = stack.pop()!;
        selected[k] = 0;
        stack.push(...children[k]!);
      }
    }
  }
  const clusterOfLabel = Int32Array.from(
    [...selected.keys()].filter((c) => selected[c]),
    (c) => c + n,
  );
  const labelOf = new Int32Array(count).fill(-1);
  clusterOfLabel.forEach((cluster, label) => (labelOf[cluster - n] = label));
  const labels = labelPoints(tree, labelOf);
  return { labels, probabilities: strengths(tree, labels, clusterOfLabel), clusterOfLabel };
}

/** Each point's label: that of its nearest selected ancestor, or −1 when only the root is above it. */
function labelPoints(tree: CondensedTree, labelOf: Int32Array): Int32Array {
  const { n } = tree;
  const up = new Int32Array(labelOf.length).fill(-1); // parent of each cluster
  for (let r = 0; r < tree.child.length; r++)
    if (tree.child[r]! >= n) up[tree.child[r]! - n] = tree.parent[r]! - n;
  // A cluster's label: its own if selected, else its parent's; parents come first in id order.
  const inherited = new Int32Array(labelOf.length).fill(-1);
  for (let c = 1; c < labelOf.length; c++)
    inherited[c] = labelOf[c] !== -1 ? labelOf[c]! : inherited[up[c]!]!;
  const labels = new Int32Array(n).fill(-1);
  for (let r = 0; r < tree.child.length; r++) {
    const p = tree.child[r]!;
    if (p < n) labels[p] = inherited[tree.parent[r]! - n]!;
  }
  return labels;
}

/**
 * Membership strength (scikit-learn's get_probabilities): the lambda at which the point left, capped at its
 * cluster's largest lambda, over that largest lambda; 1 where either is infinite or the cluster's is 0.
 */
function strengths(tree: CondensedTree, labels: Int32Array, clusterOfLabel: Int32Array): Float64Array {
  const { n } = tree;
  const deaths = maxLambdas(tree);
  const out = new Float64Array(n);
  for (let r = 0; r < tree.child.length; r++) {
    const p = tree.child[r]!;
    if (p >= n || labels[p] === -1) continue;
    const max = deaths[clusterOfLabel[labels[p]!]! - n]!;
    const l = tree.lambda[r]!;
    out[p] = max === 0 || !Number.isFinite(l) ? 1 : Math.min(l, max) / max;
  }
  return out;
}

/** The largest lambda among each cluster's own rows (scikit-learn's max_lambdas), by cluster − n. */
export function maxLambdas(tree: CondensedTree): Float64Array {
  const deaths = new Float64Array(clusterCount(tree));
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r]! - tree.n;
    if (tree.lambda[r]! > deaths[p]!) deaths[p] = tree.lambda[r]!;
  }
  return deaths;
}
