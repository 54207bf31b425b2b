// A source's findings for some units only (issue 28's maintained pairs, src/views/README.md "Pairs at scale"):
// the rows pair_keys_<source> gives for those units, read through the units' own keys so the cost follows the
// units, not the store. Feedback, judge and cluster so far (units: prompt hashes); rubric and session (units:
// prompt classes) are not written yet.
import type { Store } from '../../sink/Store.js';
import { maintainSql } from './sqlFiles.js';

/** One finding, in pair_keys_<source>'s columns (hashes as the engine gives FixedString: raw bytes). */
export type Finding = Record<string, unknown> & { source: string; prompt_hash: string };

/** pair_keys_feedback's rows for these prompt hashes, computed from their spans and feedback alone. */
export async function feedbackFindings(store: Store, promptHashes: readonly string[]): Promise<Finding[]> {
  if (promptHashes.length === 0) return [];
  return store.query<Finding>(maintainSql('feedback_findings', store.database), { hashes: promptHashes });
}

/** pair_keys_judge's rows for these prompt hashes, from the verdicts naming their spans alone. */
export async function judgeFindings(store: Store, promptHashes: readonly string[]): Promise<Finding[]> {
  if (promptHashes.length === 0) return [];
  return store.query<Finding>(maintainSql('judge_findings', store.database), { hashes: promptHashes });
}

/** pair_keys_cluster's rows for these prompt hashes, from the fixes filed against their spans alone. */
export async function clusterFindings(store: Store, promptHashes: readonly string[]): Promise<Finding[]> {
  if (promptHashes.length === 0) return [];
  return store.query<Finding>(maintainSql('cluster_findings', store.database), { hashes: promptHashes });
}
