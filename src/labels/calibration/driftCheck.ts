// The judge drift alarm: on spot-checked judge pairs people labelled within a rolling window, the judge's
// agreement with them against the human–human agreement on the same items. One check writes one
// judge_drift row per rubric (its standing state) and says which alarms rose or cleared.
import { TABLES } from '../../names.js';
import type { Store } from '../../sink/Store.js';
import { itemAgreement } from '../stats/fleiss.js';
import { calibrationSql } from './calibrationSql.js';
import { VERDICTS, type Verdict } from './judgeMetrics.js';

export interface DriftItem {
  pairId: string;
  verdict: Verdict;
  labels: readonly Verdict[];
}

export interface DriftMeasure {
  /** Items with two or more labels: the only ones with a human–human baseline, so the only ones compared. */
  items: number;
  /** Share of (item, annotator) labels equal to the judge's verdict. */
  judgeAgreement: number;
  /** Mean share of agreeing annotator pairs per item (Fleiss' P̄). */
  baselineAgreement: number;
}

/**
 * Both agreements on the same items (NaN when there is nothing to measure). An item one person has
 * labelled so far has no baseline; counting it for the judge alone would compare the two on different
 * items, so it waits until a second label arrives.
 */
export function measureDrift(items: readonly DriftItem[]): DriftMeasure {
  let agree = 0;
  let labels = 0;
  let pSum = 0;
  let pItems = 0;
  for (const item of items) {
    const p = itemAgreement(VERDICTS.map((v) => item.labels.filter((l) => l === v).length));
    if (Number.isNaN(p)) continue;
    pSum += p;
    pItems++;
    for (const l of item.labels) {
      labels++;
      if (l === item.verdict) agree++;
    }
  }
  return {
    items: pItems,
    judgeAgreement: labels ? agree / labels : Number.NaN,
    baselineAgreement: pItems ? pSum / pItems : Number.NaN,
  };
}

export interface DriftSettings {
  /** How far the judge may fall below the human–human agreement before the alarm rises. */
  margin: number;
  /** Items needed in the window to decide; with fewer the standing state is kept. */
  minItems: number;
  /** Rolling window, ms. */
  window: number;
  /**
   * The judge rubrics serve runs now. A standing alarm of a rubric no longer among them, with nothing new to
   * measure, is cleared: nothing would ever decide it again, and `calibrate --check` would fail forever.
   */
  served?: ReadonlySet<string>;
}

export interface DriftState {
  rubric_id: string;
  judge_version: string;
  measured_at: string;
  window_items: number;
  judge_agreement: number | null;
  baseline_agreement: number | null;
  margin: number;
  alarm: boolean;
}

/** Rises when the judge is below the baseline by more than the margin; undecided (undefined) with too few items. */
export function driftAlarm(
  m: DriftMeasure,
  settings: Pick<DriftSettings, 'margin' | 'minItems'>,
): boolean | undefined {
  if (m.items < settings.minItems || Number.isNaN(m.judgeAgreement) || Number.isNaN(m.baselineAgreement))
    return undefined;
  return m.judgeAgreement < m.baselineAgreement - settings.margin;
}

/** The standing state of every rubric (latest judge_drift row). */
export async function latestDrift(store: Store): Promise<DriftState[]> {
  const rows = await store.query<Omit<DriftState, 'alarm'> & { alarm: number | string }>(
    calibrationSql('drift_latest'),
  );
  return rows
    .map((r) => ({
      ...r,
      window_items: Number(r.window_items),
      margin: Number(r.margin),
      alarm: Number(r.alarm) === 1,
    }))
    .sort((a, b) => (a.rubric_id < b.rubric_id ? -1 : a.rubric_id > b.rubric_id ? 1 : 0));
}

export interface DriftChange {
  rubric_id: string;
  change: 'rose' | 'cleared';
  state: DriftState;
}

/** One check: measures every rubric with spot-checked labels in the window, stores the states, reports changes. */
export async function checkDrift(
  store: Store,
  settings: DriftSettings,
  now: Date = new Date(),
): Promise<{ states: DriftState[]; changes: DriftChange[] }> {
  const rows = await store.query<{
    rubric_id: string;
    judge_version: string;
    pair_id: string;
    verdict: string;
    labels: [string, string][];
  }>(calibrationSql('drift_items'), { since_ms: now.getTime() - settings.window });
  const before = new Map((await latestDrift(store)).map((s) => [s.rubric_id, s]));
  const byRubric = new Map<string, { version: string; items: DriftItem[] }>();
  // Items judged by different judge versions (a rubric changed mid-window): the state names the version
  // most of them come from, not whichever pair sorts first.
  const versions = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const counts = versions.get(r.rubric_id) ?? new Map<string, number>();
    versions.set(r.rubric_id, counts.set(r.judge_version, (counts.get(r.judge_version) ?? 0) + 1));
  }
  const mostCommon = (rubricId: string): string =>
    [...(versions.get(rubricId) ?? new Map<string, number>())].sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1),
    )[0]?.[0] ?? '';
  for (const r of rows) {
    let entry = byRubric.get(r.rubric_id);
    if (!entry) byRubric.set(r.rubric_id, (entry = { version: mostCommon(r.rubric_id), items: [] }));
    entry.items.push({
      pairId: r.pair_id,
      verdict: r.verdict as Verdict,
      labels: r.labels.map((l) => l[1] as Verdict),
    });
  }
  // A rubric that had a state but no labelled items in the window now keeps its state (re-stated with 0 items),
  // unless serve no longer runs it (see DriftSettings.served).
  const retired = new Set<string>();
  for (const [id, s] of before)
    if (!byRubric.has(id)) {
      byRubric.set(id, { version: s.judge_version, items: [] });
      if (settings.served && !settings.served.has(id)) retired.add(id);
    }
  const states: DriftState[] = [];
  const changes: DriftChange[] = [];
  const at = now.toISOString();
  for (const [rubricId, { version, items }] of byRubric) {
    const m = measureDrift(items);
    const decided = driftAlarm(m, settings);
    const was = before.get(rubricId)?.alarm ?? false;
    const alarm = retired.has(rubricId) ? false : (decided ?? was);
    const state: DriftState = {
      rubric_id: rubricId,
      judge_version: version,
      measured_at: at,
      window_items: m.items,
      judge_agreement: Number.isFinite(m.judgeAgreement) ? m.judgeAgreement : null,
      baseline_agreement: Number.isFinite(m.baselineAgreement) ? m.baselineAgreement : null,
      margin: settings.margin,
      alarm,
    };
    states.push(state);
    if (alarm !== was) changes.push({ rubric_id: rubricId, change: alarm ? 'rose' : 'cleared', state });
  }
  if (states.length > 0) {
    await store.insert(
      TABLES.judgeDrift,
      states.map((s) => ({
        ...s,
        measured_at: at.replace('T', ' ').replace('Z', ''),
        alarm: s.alarm ? 1 : 0,
      })),
    );
  }
  return { states, changes };
}
