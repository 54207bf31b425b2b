// The clusters as `prefloop clusters --format json`, `GET /v1/clusters` and the Markdown report show them:
// each stored cluster with its trend across runs.
import type { ClusterListing, ClusterStore } from './ClusterStore.js';

/** A cluster with its trend: new, growing, shrinking, steady or gone. */
export type ListedCluster = ClusterListing & { trend: string };

/** Every cluster, those of the latest run first, largest first. */
export async function listClusters(store: ClusterStore): Promise<ListedCluster[]> {
  return (await store.list()).map((r) => ({ ...r, trend: trendOf(r) }));
}

/** new: found by the latest run only; gone: not found by it; otherwise by the size against the run before. */
export function trendOf(r: Pick<ClusterListing, 'inLastRun' | 'runs' | 'previousSize' | 'size'>): string {
  if (Number(r.inLastRun) !== 1) return 'gone';
  if (Number(r.runs) <= 1) return 'new';
  const before = Number(r.previousSize);
  return r.size > before ? 'growing' : r.size < before ? 'shrinking' : 'steady';
}
