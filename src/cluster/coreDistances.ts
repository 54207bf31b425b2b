// Core distances by brute force: each point's distance to its k-th nearest neighbour, the point itself
// counted as the first (scikit-learn's convention, so min_samples = 1 gives core distance 0).
import { distance } from './Points.js';
import type { Points } from './Points.js';

/**
 * Core distance of every point over `minSamples` neighbours including itself. O(n² · dim) time and O(n + k)
 * extra memory: a sorted window of the k smallest distances is kept per point instead of a row of n.
 */
export function coreDistances(points: Points, minSamples: number): Float64Array {
  const { n } = points;
  const k = Math.max(1, Math.min(minSamples, n));
  const core = new Float64Array(n);
  const best = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(Infinity);
    best[0] = 0; // the point itself
    let filled = 1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = distance(points, i, j);
      if (filled === k && d >= best[k - 1]!) continue;
      // Insert d into the sorted window, dropping the largest when full.
      let at = filled < k ? filled++ : k - 1;
      while (at > 0 && best[at - 1]! > d) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = d;
    }
    core[i] = best[k - 1]!;
  }
  return core;
}
