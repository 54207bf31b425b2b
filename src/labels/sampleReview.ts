// `prefloop review sample` on a store: draw candidates, plan the sample, copy the texts, record assignments.
import { randomBytes } from 'node:crypto';
import { TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import { planSample } from './sample.js';
import type { Candidate, SamplePlan } from './sample.js';
import { reviewSql } from './reviewSql.js';

export interface SampleReviewOptions {
  n: number;
  annotators: readonly string[];
  perItem: number;
  seed: number;
  /** Only pairs whose primary source is one of these (default: all). */
  sources?: readonly string[];
  now?: Date;
}

export interface SampleReviewResult extends SamplePlan {
  sample_id: string;
  /** Pairs that could have been drawn (not yet sampled, of the asked sources). */
  candidates: number;
  /** Assignment rows written (pairs × annotators per pair). */
  assignments: number;
}

/** Ids per texts query: keeps the IN list (a query parameter) small. */
const CHUNK = 500;

interface TextRow {
  pair_id: string;
  source: string;
  prompt: string;
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
}

export async function sampleReview(store: Store, o: SampleReviewOptions): Promise<SampleReviewResult> {
  const now = o.now ?? new Date();
  const candidates = (
    await store.query<Candidate>(reviewSql('sample_candidates'), { sources: (o.sources ?? []).join(',') })
  ).map((c) => ({ ...c, margin: Number(c.margin), noise_floor: Number(c.noise_floor) }));
  const plan = planSample(candidates, o);
  const sample_id = `${now.toISOString()}/seed-${o.seed}`;
  const texts = new Map<string, TextRow>();
  const ids = plan.items.map((i) => i.pair_id);
  for (let i = 0; i < ids.length; i += CHUNK)
    for (const row of await store.query<TextRow>(reviewSql('sample_texts'), { ids: ids.slice(i, i + CHUNK) }))
      texts.set(row.pair_id, row);
  const assignedAt = String(now.getTime());
  const rows = plan.items.flatMap((item) => {
    const t = texts.get(item.pair_id);
    // A pair gone between the two reads (its spans were deleted) is not assigned.
    if (!t) return [];
    return item.assignees.map((a) => ({
      sample_id,
      pair_id: item.pair_id,
      // What the annotator's page calls the item: 128 random bits, nothing derived from the texts.
      item_id: randomBytes(16).toString('hex'),
      annotator_id: a.annotator_id,
      source: item.source,
      stratum: item.stratum,
      a_is_chosen: a.a_is_chosen ? 1 : 0,
      prompt: t.prompt,
      chosen: t.chosen,
      rejected: t.rejected,
      chosen_span_id: t.chosen_span_id,
      rejected_span_id: t.rejected_span_id,
      assigned_at: assignedAt,
    }));
  });
  if (rows.length > 0) await store.insert(TABLES.reviewAssignments, rows);
  return { ...plan, sample_id, candidates: candidates.length, assignments: rows.length };
}
