// GLOSH outlier scores (Campello et al. 2015): 1 − λ(x) / λmax, where λ(x) is the lambda at which x left
// the tree and λmax the largest lambda anywhere under the cluster it left (its densest point's).
import { maxLambdas } from './selectClusters.js';
import type { CondensedTree } from './condensedTree.js';

/**
 * Outlier score per point in [0, 1]: 0 for a point as dense as its cluster's densest, near 1 for one that
 * leaves far earlier. λmax is propagated up from sub-clusters, as the paper defines it; the `hdbscan`
 * package's loop stops that propagation early (it breaks at the first point row), so scores there can differ
 * for points whose cluster splits later.
 */
export function outlierScores(tree: CondensedTree): Float64Array {
  const { n } = tree;
  const deaths = maxLambdas(tree);
  // Children have larger ids than their parents: one pass from the highest id carries each maximum up.
  const up = new Int32Array(deaths.length).fill(-1);
  for (let r = 0; r < tree.child.length; r++)
    if (tree.child[r]! >= n) up[tree.child[r]! - n] = tree.parent[r]! - n;
  for (let c = deaths.length - 1; c >= 1; c--) {
    const p = up[c]!;
    if (deaths[c]! > deaths[p]!) deaths[p] = deaths[c]!;
  }
  const scores = new Float64Array(n);
  for (let r = 0; r < tree.child.length; r++) {
    const x = tree.child[r]!;
    if (x >= n) continue;
    const max = deaths[tree.parent[r]! - n]!;
    const l = tree.lambda[r]!;
    scores[x] = max === 0 || !Number.isFinite(l) ? 0 : (max - l) / max;
  }
  return scores;
}
