// HDBSCAN* (Campello et al. 2013; McInnes et al. 2017) as scikit-learn runs it, exact: core distances,
// mutual-reachability MST, single linkage, condensed tree, excess-of-mass selection, GLOSH. No I/O.
import { approximateNeighbours } from './approximateNeighbours.js';
import { condenseTree } from './condensedTree.js';
import type { CondensedTree } from './condensedTree.js';
import { coreDistances } from './coreDistances.js';
import { outlierScores } from './glosh.js';
import { mutualReachabilityTree } from './minimumSpanningTree.js';
import { coreFromNeighbours, neighbourSpanningTree } from './neighbourSpanningTree.js';
import type { Points } from './Points.js';
import { selectClusters } from './selectClusters.js';
import { singleLinkage } from './singleLinkage.js';

/** Options, scikit-learn's names in camelCase. */
export interface HdbscanOptions {
  /** Smallest group that counts as a cluster. Default 5. */
  readonly minClusterSize?: number;
  /** Neighbours (the point itself included) for the core distance. Default minClusterSize; capped at n. */
  readonly minSamples?: number;
  /**
   * Up to this many points the exact O(n²) path runs; above it, an approximate kNN graph (random projection
   * trees and one neighbour-of-neighbour pass) stands in for all pairs. Default 5000.
   */
  readonly exactUpTo?: number;
  /** Neighbours kept per point on the approximate path. Default max(min(minSamples, KNN_MIN_SAMPLES_CAP), 30). */
  readonly neighbours?: number;
}

/**
 * The most neighbours min_samples may ask of the approximate kNN graph. Its work grows with k² (leaves of
 * about 3k points compared in pairs, then each of k neighbours' k neighbours), so min_samples 200 at 100k
 * points took over ten CPU minutes; at 32 it costs what k = 32 costs. Above the cap the core distance is the 32nd neighbour's instead of the
 * min_samples-th: a smaller core distance, so the density estimate is smoothed less (min_samples beyond a
 * few dozen changes clusters little; min_cluster_size, which is not capped, still bounds their size). The
 * exact path is not capped.
 */
export const KNN_MIN_SAMPLES_CAP = 32;

/**
 * Neighbours per point on the approximate path when min_samples asks for fewer. A sparse graph misses the
 * edges between nearby groups, and the hierarchy then joins them through far-off points: on the planted
 * benchmark at 10k (bench/cluster.ts, min_samples 10) k = 15 gave ARI 0.23–0.37 against 0.58 on the exact
 * path; k = 30 gives 0.50–0.62 (seeds 11–14) for about 2.5 times the clustering CPU (10k: 1.1 → 2.8 s).
 * More projection trees at k = 15 did not help: the graph's degree, not its recall, was short.
 */
const DEFAULT_NEIGHBOURS = 30;

/** What HDBSCAN found. */
export interface HdbscanResult {
  /** Cluster per point, 0..k-1, noise −1. */
  readonly labels: Int32Array;
  /** Membership strength per point in [0, 1] (0 for noise). */
  readonly probabilities: Float64Array;
  /** GLOSH outlier score per point in [0, 1]. */
  readonly outlierScores: Float64Array;
  /** How many clusters. */
  readonly clusterCount: number;
  /** The condensed tree the labels came from (empty below two points). */
  readonly condensedTree: CondensedTree;
}

/**
 * Clusters the points by euclidean distance: exactly in O(n² · dim) time and O(n) memory up to
 * `exactUpTo` points, approximately above (about O(n · k² · dim) time, O(n · k) memory).
 */
export function hdbscan(points: Points, options: HdbscanOptions = {}): HdbscanResult {
  const minClusterSize = options.minClusterSize ?? 5;
  if (!Number.isInteger(minClusterSize) || minClusterSize < 2)
    throw new RangeError(`minClusterSize must be an integer of at least 2, got ${minClusterSize}`);
  const minSamples = options.minSamples ?? minClusterSize;
  if (!Number.isInteger(minSamples) || minSamples < 1)
    throw new RangeError(`minSamples must be a positive integer, got ${minSamples}`);
  const { n } = points;
  if (n < 2) return allNoise(n);
  if (n <= (options.exactUpTo ?? 5000)) {
    const core = coreDistances(points, minSamples);
    return fromDendrogramOf(n, mutualReachabilityTree(points, core), minClusterSize);
  }
  const graph = approximateNeighbours(
    points,
    Math.max(Math.min(minSamples, KNN_MIN_SAMPLES_CAP), options.neighbours ?? DEFAULT_NEIGHBOURS),
  );
  const core = coreFromNeighbours(graph, n, Math.min(minSamples, graph.k + 1));
  return fromDendrogramOf(n, neighbourSpanningTree(points, graph, core), minClusterSize);
}

/** The steps after the MST, shared with the approximate path. */
export function fromDendrogramOf(
  n: number,
  mst: Parameters<typeof singleLinkage>[1],
  minClusterSize: number,
): HdbscanResult {
  const condensedTree = condenseTree(singleLinkage(n, mst), minClusterSize);
  const { labels, probabilities, clusterOfLabel } = selectClusters(condensedTree);
  return {
    labels,
    probabilities,
    outlierScores: outlierScores(condensedTree),
    clusterCount: clusterOfLabel.length,
    condensedTree,
  };
}

function allNoise(n: number): HdbscanResult {
  const empty = {
    n,
    parent: new Int32Array(0),
    child: new Int32Array(0),
    lambda: new Float64Array(0),
    size: new Int32Array(0),
  };
  return {
    labels: new Int32Array(n).fill(-1),
    probabilities: new Float64Array(n),
    outlierScores: new Float64Array(n),
    clusterCount: 0,
    condensedTree: empty,
  };
}
