// Rubric agreement with people: measures each rubric version (and the combined score) on the human pairs, stores it.
import { COMBINED_RUBRIC_ID, DEFAULTS, PAIR_TABLES } from '../names.js';
import { wilsonInterval } from '../score/calibrate/wilson.js';
import type { Store } from '../sink/Store.js';
import { exportSql } from './sqlFiles.js';

/** How a rubric version stands against the floor: only 'agrees' lets its Path A pairs into export. */
export type AgreementStatus = 'agrees' | 'below_floor' | 'unknown';

/** Counts of one rubric version against the human pairs. */
export interface AgreementCounts {
  rubricId: string;
  rubricVersion: string;
  /** Human pairs in the store (feedback pairs: thumbs and accepted regenerates). */
  humanPairs: number;
  /** Human pairs whose both answers this rubric version scored. */
  scored: number;
  /** Of those, the pairs it scores further apart than its noise floor. */
  separated: number;
  /** Of those, the pairs it orders as people did. */
  agreed: number;
}

/** One measurement: counts, the share agreed with its Wilson 95% interval, and the status. */
export interface RubricAgreement extends AgreementCounts {
  /** agreed / separated; null when it separates no human pair. */
  agreement: number | null;
  lower: number;
  upper: number;
  floor: number;
  status: AgreementStatus;
}

/** The measurement of one rubric version's counts against a floor. Pure. */
export function measureAgreement(counts: AgreementCounts, floor: number): RubricAgreement {
  const { agreed, separated } = counts;
  if (separated === 0) return { ...counts, agreement: null, lower: 0, upper: 0, floor, status: 'unknown' };
  const [lower, upper] = wilsonInterval(agreed, separated);
  return {
    ...counts,
    agreement: agreed / separated,
    lower,
    upper,
    floor,
    status: lower > floor ? 'agrees' : 'below_floor',
  };
}

interface CountsRow {
  rubric_id: string;
  rubric_version: string;
  scored: string | number;
  separated: string | number;
  agreed: string | number;
}

/**
 * Measures every rubric version's agreement with the human pairs in the store now, and the combined
 * score's (under its current combination, even when it scored no human pair: then 'unknown'), and
 * stores one row each in `rubric_agreement`. The floor is the rubric file's `agreement_floor` as serve
 * last wrote it (default 0.5) unless given. Returns what it stored.
 */
export async function refreshRubricAgreement(
  store: Store,
  options: { floor?: number; now?: Date } = {},
): Promise<RubricAgreement[]> {
  const [context] = await store.query<{ floor: string; combination: string; human_pairs: string | number }>(
    exportSql('agreement_context'),
  );
  const stored = Number.parseFloat(context?.floor ?? '');
  const floor = options.floor ?? (Number.isFinite(stored) ? stored : DEFAULTS.agreementFloor);
  const humanPairs = Number(context?.human_pairs ?? 0);
  const counts = (await store.query<CountsRow>(exportSql('agreement_counts'))).map((r): AgreementCounts => ({
    rubricId: r.rubric_id,
    rubricVersion: r.rubric_version,
    humanPairs,
    scored: Number(r.scored),
    separated: Number(r.separated),
    agreed: Number(r.agreed),
  }));
  const combination = context?.combination ?? '';
  if (combination !== '' && !counts.some((c) => c.rubricId === COMBINED_RUBRIC_ID)) {
    counts.push({
      rubricId: COMBINED_RUBRIC_ID,
      rubricVersion: combination,
      humanPairs,
      scored: 0,
      separated: 0,
      agreed: 0,
    });
  }
  const measured = counts.map((c) => measureAgreement(c, floor));
  if (measured.length > 0) {
    const at = String((options.now ?? new Date()).getTime());
    await store.insert(
      PAIR_TABLES.rubricAgreement,
      measured.map((m) => ({
        MeasuredAt: at,
        RubricId: m.rubricId,
        RubricVersion: m.rubricVersion,
        HumanPairs: m.humanPairs,
        Scored: m.scored,
        Separated: m.separated,
        Agreed: m.agreed,
        Agreement: m.agreement,
        Lower: m.lower,
        Upper: m.upper,
        Floor: m.floor,
        Status: m.status,
      })),
    );
  }
  return measured;
}

/**
 * Re-measures rubric agreement every `intervalMs` (default 5 minutes) so the export gate follows the
 * labels as they arrive; for serve. The timer is unref'd; failures go to `onError`, never thrown.
 * Returns a function that stops it.
 */
export function scheduleRubricAgreement(
  store: Store,
  onError: (err: unknown) => void,
  intervalMs: number = DEFAULTS.agreementRefreshMs,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshRubricAgreement(store)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
