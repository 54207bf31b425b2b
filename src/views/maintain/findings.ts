// A source's findings for some units only (issue 28's maintained pairs, src/views/README.md "Pairs at scale"):
// the rows pair_keys_<source> gives for those units, read through the units' own keys so the cost follows the
// units, not the store: prompt hashes for feedback, judge and cluster, prompt classes for rubric and session.
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

/** pair_keys_rubric's rows for these prompt classes, from their spans' evaluations alone. */
export async function rubricFindings(store: Store, promptClasses: readonly string[]): Promise<Finding[]> {
  if (promptClasses.length === 0) return [];
  return store.query<Finding>(maintainSql('rubric_findings', store.database), { classes: promptClasses });
}

/** pair_keys_session's rows for these prompt classes, from the sessions with spans of those classes alone. */
export async function sessionFindings(store: Store, promptClasses: readonly string[]): Promise<Finding[]> {
  if (promptClasses.length === 0) return [];
  return store.query<Finding>(maintainSql('session_findings', store.database), { classes: promptClasses });
}
