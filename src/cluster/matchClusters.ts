// Stable identity across runs: a cluster found now keeps the id of an earlier cluster of the same failure
// mode, judged by centroid similarity and member overlap; each earlier cluster is claimed at most once.

/** A cluster as matching sees it. */
export interface ClusterIdentity {
  /** Unit-length centroid. */
  readonly centroid: Float32Array;
  /** Member span ids. */
  readonly members: ReadonlySet<string>;
}

/** Thresholds: either signal alone can carry a match. */
export interface MatchOptions {
  /** Cosine of the centroids at or above which two clusters are the same mode. Default 0.85. */
  readonly minSimilarity?: number;
  /** Share of the smaller cluster's members in both at or above which they are the same. Default 0.5. */
  readonly minOverlap?: number;
}

/**
 * For each new cluster, the index of the earlier cluster it continues, or −1. Greedy on the combined score
 * (mean of similarity and overlap), best pairs first, so two new clusters never take one id.
 */
export function matchClusters(
  next: readonly ClusterIdentity[],
  earlier: readonly ClusterIdentity[],
  options: MatchOptions = {},
): number[] {
  const minSimilarity = options.minSimilarity ?? 0.85;
  const minOverlap = options.minOverlap ?? 0.5;
  const candidates: { a: number; b: number; score: number }[] = [];
  next.forEach((x, a) =>
    earlier.forEach((y, b) => {
      if (x.centroid.length !== y.centroid.length) return; // another model's vectors: no comparison
      const similarity = x.centroid.reduce((s, v, d) => s + v * y.centroid[d]!, 0);
      let shared = 0;
      for (const id of x.members) if (y.members.has(id)) shared++;
      const overlap = shared / Math.max(1, Math.min(x.members.size, y.members.size));
      if (similarity >= minSimilarity || overlap >= minOverlap)
        candidates.push({ a, b, score: (similarity + overlap) / 2 });
    }),
  );
  candidates.sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  const match = next.map(() => -1);
  const taken = new Set<number>();
  for (const { a, b } of candidates) {
    if (match[a] !== -1 || taken.has(b)) continue;
    match[a] = b;
    taken.add(b);
  }
  return match;
}
