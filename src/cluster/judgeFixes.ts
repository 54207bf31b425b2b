// The judge's immediate_fix of each newly diagnosed cluster, filed as a fix: re-scored by the rubric
// file and stored (passed or failed), unless a person already wrote, approved or rejected the cluster's fix.
import type { FoundCluster } from './clusterFailures.js';
import { submitFix } from './clusterFixes.js';
import type { FixOutcome, Rescorer } from './clusterFixes.js';
import type { FixStore } from './FixStore.js';

/** Files each cluster's judged fix against its exemplar; returns what was stored. */
export async function proposeJudgeFixes(
  fixes: FixStore,
  rescorer: Rescorer,
  clusters: readonly FoundCluster[],
  fixedBy: string,
  now: Date,
): Promise<FixOutcome[]> {
  const withFix = clusters.filter((c) => (c.immediateFix ?? '') !== '');
  if (withFix.length === 0) return [];
  const current = new Map<string, { fixedBy: string; status: string }>();
  for (const f of await fixes.fixes(withFix.map((c) => c.id)))
    if (!current.has(f.clusterId)) current.set(f.clusterId, f);
  const out: FixOutcome[] = [];
  // One at a time: judge rubrics inside the rescoring have their own bounded concurrency.
  for (const c of withFix) {
    const had = current.get(c.id);
    if (had && (!had.fixedBy.startsWith('judge:') || had.status === 'approved' || had.status === 'rejected'))
      continue;
    out.push(
      await submitFix(
        fixes,
        rescorer,
        { clusterId: c.id, exemplarSpanId: c.exemplar.spanId, fixResponse: c.immediateFix!, fixedBy },
        { now },
      ),
    );
  }
  return out;
}
