// The first step of pair maintenance (issue 28, src/views/README.md "Pairs at scale"): which units of pair
// work the rows inserted since a watermark can change. Nothing reads pairs from state yet; this is the part
// the maintained state will be built on, tested on every late-arrival case.
import type { Store } from '../../sink/Store.js';
import { maintainSql } from './sqlFiles.js';

/** What changed since a watermark, as units a maintenance pass recomputes. */
export interface TouchedUnits {
  /** Prompt hashes whose feedback, judge and cluster findings (and merged pairs) may have changed. */
  promptHashes: string[];
  /** Prompt classes whose rubric and session findings may have changed. */
  promptClasses: string[];
  /** Global inputs that changed (pair_settings, rubric_pair_config, rubric_agreement, judge_calibrations). */
  global: string[];
}

/**
 * The units touched by rows inserted at or after `since` (the engine's insert time, UTC). A superset:
 * recomputing an unchanged unit is harmless, missing one would leave a stale pair.
 */
export async function touchedUnits(store: Store, since: Date): Promise<TouchedUnits> {
  if (Number.isNaN(since.getTime())) throw new Error('touchedUnits: since is not a valid time');
  const rows = await store.query<{ kind: string; unit: string }>(
    maintainSql('touched_units', store.database),
    {
      since: since.toISOString().replace('T', ' ').replace('Z', ''),
    },
  );
  const out: TouchedUnits = { promptHashes: [], promptClasses: [], global: [] };
  for (const r of rows) {
    if (r.kind === 'prompt_hash') out.promptHashes.push(r.unit);
    else if (r.kind === 'prompt_class') out.promptClasses.push(r.unit);
    else out.global.push(r.unit);
  }
  return out;
}

/** The store's clock now (insert times are the engine's, so the watermark must be too). */
export async function storeNow(store: Store): Promise<Date> {
  const [row] = await store.query<{ now: string }>("SELECT toString(now64(3), 'UTC') AS now");
  return new Date(`${row!.now.replace(' ', 'T')}Z`);
}
