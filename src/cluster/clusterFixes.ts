// Writing a fix: checked against the cluster it is filed under, re-scored by the rubric file, stored with
// the verdict. Only a passing (or approved) fix becomes a Path B pair (pair_keys_cluster.sql); a newer fix
// for the same cluster replaces the one before, so a cluster gives one pair at a time.
import type { FixExemplar, FixStatus, FixStore, StoredFix } from './FixStore.js';
import type { Rescoring } from './rescoreFix.js';

/** What re-scores a fix (FixRescorer). */
export interface Rescorer {
  rescore(exemplar: FixExemplar, fix: string): Promise<Rescoring>;
}

export interface FixInput {
  clusterId: string;
  exemplarSpanId: string;
  fixResponse: string;
  fixedBy: string;
  note?: string;
}

/** A fix written, with its rescoring. */
export interface FixOutcome {
  cluster_id: string;
  exemplar_span_id: string;
  fixed_by: string;
  status: FixStatus;
  required_rubrics: string[];
  scores: Rescoring['scores'];
  reasons: string[];
  /** Earlier fixes of the cluster this one replaced (their exemplar span ids). */
  replaced: string[];
}

/** A fix that cannot be filed: every problem, by field. */
export class FixProblems extends Error {
  constructor(readonly problems: string[]) {
    super(`the fix was not stored: ${problems.join('; ')}`);
    this.name = 'FixProblems';
  }
}

/** Checks, re-scores and stores a fix; a newer fix replaces the cluster's earlier ones. */
export async function submitFix(
  fixes: FixStore,
  rescorer: Rescorer,
  input: FixInput,
  options: { status?: (passed: boolean) => FixStatus; reviewer?: string; now?: Date } = {},
): Promise<FixOutcome> {
  const problems: string[] = [];
  if (input.fixResponse.trim() === '') problems.push('fix_response: must not be empty');
  if (input.fixedBy.trim() === '') problems.push('fixed_by: must name who (or which judge) wrote the fix');
  const [target, exemplar] = await Promise.all([
    fixes.target(input.clusterId, input.exemplarSpanId),
    fixes.exemplar(input.exemplarSpanId),
  ]);
  if (!target) problems.push(`cluster_id: no cluster ${JSON.stringify(input.clusterId)}`);
  if (!exemplar) problems.push(`exemplar_span_id: no LLM span ${JSON.stringify(input.exemplarSpanId)}`);
  else if (target && !target.isMember)
    problems.push(
      `exemplar_span_id: span ${input.exemplarSpanId} is not a member of cluster ${input.clusterId} (its exemplar is ${target.exemplarSpanId})`,
    );
  if (problems.length > 0 || !exemplar) throw new FixProblems(problems);
  const rescoring = await rescorer.rescore(exemplar, input.fixResponse);
  const passed = rescoring.status === 'passed';
  const at = await nextTime(fixes, input.clusterId, options.now);
  const fix: StoredFix = {
    clusterId: input.clusterId,
    exemplarSpanId: input.exemplarSpanId,
    fixResponse: input.fixResponse,
    fixedBy: input.fixedBy,
    status: options.status ? options.status(passed) : rescoring.status,
    scores: JSON.stringify(rescoring.scores),
    requiredRubrics: rescoring.required,
    reviewer: options.reviewer ?? '',
    note: rescoring.reasons.join('; '),
    at,
  };
  // The cluster's fixes for other exemplars stop pairing: this one is the cluster's fix now.
  const earlier = (await fixes.fixes([input.clusterId])).filter(
    (f) => f.exemplarSpanId !== input.exemplarSpanId && f.status !== 'replaced',
  );
  await fixes.save([...earlier.map((f) => ({ ...f, status: 'replaced' as const, at })), fix]);
  return {
    cluster_id: fix.clusterId,
    exemplar_span_id: fix.exemplarSpanId,
    fixed_by: fix.fixedBy,
    status: fix.status,
    required_rubrics: rescoring.required,
    scores: rescoring.scores,
    reasons: rescoring.reasons,
    replaced: earlier.map((f) => f.exemplarSpanId),
  };
}

export interface ReviewInput {
  clusterId: string;
  action: 'approve' | 'reject' | 'edit';
  reviewer: string;
  /** edit: the corrected fix. */
  fixResponse?: string;
}

/**
 * A person's review of a cluster's current fix: approve (only a fix that passed rescoring: the rubrics
 * are not overridden), reject (it never pairs), or edit (the corrected text is re-scored; approved when
 * it passes, failed when not).
 */
export async function reviewFix(
  fixes: FixStore,
  rescorer: Rescorer,
  input: ReviewInput,
  now?: Date,
): Promise<FixOutcome> {
  const problems: string[] = [];
  if (input.reviewer.trim() === '') problems.push('reviewer: must name the person reviewing');
  const current = (await fixes.fixes([input.clusterId]))[0];
  if (!current) problems.push(`cluster_id: cluster ${JSON.stringify(input.clusterId)} has no fix to review`);
  if (input.action === 'edit' && (input.fixResponse ?? '').trim() === '')
    problems.push('fix_response: edit needs the corrected fix');
  if (current && input.action === 'approve' && current.status !== 'passed' && current.status !== 'approved')
    problems.push(
      `action: the fix is ${current.status}, not passed: only a fix the rubric file passes can be approved (edit it instead)`,
    );
  if (problems.length > 0 || !current) throw new FixProblems(problems);
  if (input.action === 'edit')
    return submitFix(
      fixes,
      rescorer,
      {
        clusterId: current.clusterId,
        exemplarSpanId: current.exemplarSpanId,
        fixResponse: input.fixResponse!,
        fixedBy: input.reviewer,
      },
      { status: (passed) => (passed ? 'approved' : 'failed'), reviewer: input.reviewer, now },
    );
  const reviewed: StoredFix = {
    ...current,
    status: input.action === 'approve' ? 'approved' : 'rejected',
    reviewer: input.reviewer,
    at: await nextTime(fixes, current.clusterId, now),
  };
  await fixes.save([reviewed]);
  const scores = JSON.parse(reviewed.scores || '[]') as Rescoring['scores'];
  return {
    cluster_id: reviewed.clusterId,
    exemplar_span_id: reviewed.exemplarSpanId,
    fixed_by: reviewed.fixedBy,
    status: reviewed.status,
    required_rubrics: reviewed.requiredRubrics,
    scores,
    reasons: reviewed.note === '' ? [] : reviewed.note.split('; '),
    replaced: [],
  };
}

/** Now, but after every fix already stored for the cluster (the newest row wins; ms ties would not). */
async function nextTime(fixes: FixStore, clusterId: string, now = new Date()): Promise<number> {
  const latest = (await fixes.fixes([clusterId]))[0]?.at ?? 0;
  return Math.max(now.getTime(), latest + 1);
}
