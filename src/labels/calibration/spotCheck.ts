// Spot checks while serving: a fixed share of judge pairs goes to review (review_assignments, stratum
// 'spot_check'), so the judge keeps being compared with people. Which pairs is decided by a hash of the
// pair id, so a replay or a second serve picks the same ones.
import { createHash, randomBytes } from 'node:crypto';
import { TABLES } from '../../names.js';
import type { Store } from '../../sink/Store.js';
import { calibrationSql } from './calibrationSql.js';

export const SPOT_CHECK_STRATUM = 'spot_check';

export interface SpotCheckSettings {
  /** Share of judge pairs sent to review (0..1). */
  share: number;
  /** Who labels them; each pair goes to `perItem` of them (fewer when fewer are named). */
  annotators: readonly string[];
  perItem: number;
  /** Only pairs created since (ms). */
  sinceMs: number;
  /** At most this many candidates are read per check. */
  limit?: number;
}

/** A number in [0, 1) from the hash of `text`. */
export function hashShare(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 0x1_0000_0000;
}

interface Candidate {
  pair_id: string;
  source: string;
  prompt: string;
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
}

/** Assigns the spot-check share of new judge pairs to annotators; returns how many pairs were sent. */
export async function assignSpotChecks(
  store: Store,
  settings: SpotCheckSettings,
  now: Date = new Date(),
): Promise<number> {
  if (settings.share <= 0 || settings.annotators.length === 0) return 0;
  const candidates = await store.query<Candidate>(calibrationSql('spot_check_candidates'), {
    since_ms: settings.sinceMs,
    limit: settings.limit ?? 10_000,
  });
  const picked = candidates.filter((c) => hashShare(`spot:${c.pair_id}`) < settings.share);
  if (picked.length === 0) return 0;
  const k = Math.min(settings.perItem, settings.annotators.length);
  const at = now.toISOString().replace('T', ' ').replace('Z', '');
  const sampleId = `spot-${now.toISOString()}`;
  const rows = picked.flatMap((c) => {
    // Start the rotation at a hashed offset so the load spreads over the annotators.
    const start = Math.floor(hashShare(`start:${c.pair_id}`) * settings.annotators.length);
    return Array.from({ length: k }, (_, i) => {
      const annotator = settings.annotators[(start + i) % settings.annotators.length] as string;
      return {
        sample_id: sampleId,
        pair_id: c.pair_id,
        // The annotator's page names the item by this (random; never derived from the texts).
        item_id: randomBytes(16).toString('hex'),
        annotator_id: annotator,
        source: c.source,
        stratum: SPOT_CHECK_STRATUM,
        // Each annotator's own random A/B order, so position bias can be measured. Drawn, not hashed from
        // the pair id: anyone who can hash the texts in both orders could recompute a hashed order.
        a_is_chosen: randomBytes(1)[0]! < 128 ? 1 : 0,
        prompt: c.prompt,
        chosen: c.chosen,
        rejected: c.rejected,
        chosen_span_id: c.chosen_span_id,
        rejected_span_id: c.rejected_span_id,
        assigned_at: at,
      };
    });
  });
  await store.insert(TABLES.reviewAssignments, rows);
  return picked.length;
}
