// `prefloop agreement` on the store: the annotators' agreement on the review labels (Cohen per annotator
// pair, Fleiss, Krippendorff nominal, each with a seeded bootstrap interval), each source's measured
// agreement with the human majority, and labelled pairs per band.
import { DEFAULTS } from '../../names.js';
import type { Store } from '../../sink/Store.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import { byUnit, categoryCounts, cohenEstimate, type Estimate, type Rating } from '../stats/ratings.js';
import { bootstrapInterval } from '../stats/bootstrap.js';
import { fleissKappa } from '../stats/fleiss.js';
import { krippendorffAlpha } from '../stats/krippendorff.js';
import { measureSourceAgreement, type SourceAgreement } from '../sourceAgreement.js';
import { calibrationSql } from './calibrationSql.js';

export interface AnnotatorPairKappa extends Estimate {
  a: string;
  b: string;
}

/** How often an annotator picked the answer shown on the left (A) among their chosen/rejected labels. */
export interface AnnotatorPosition {
  annotator: string;
  /** Labels that picked a side. */
  decided: number;
  /** Share of those that picked the left answer; 0.5 is no position bias. */
  left_share: number;
}

export interface StoreAgreementReport {
  /** Pairs with at least one rating (chosen, rejected or tie). */
  pairs: number;
  annotators: string[];
  ratings: number;
  cohen: AnnotatorPairKappa[];
  /** Over pairs with two or more ratings (the number of raters may vary: the common generalisation). */
  fleiss_kappa: Estimate | null;
  krippendorff_alpha: Estimate | null;
  /** Each source's Cohen's kappa against the human majority, measured now (as export measures before it gates). */
  sources: SourceAgreement[];
  bands: { band: string; pairs: number; resolved: number }[];
  /** Per annotator: the share of decided labels that picked the left answer (each saw their own A/B order). */
  position: AnnotatorPosition[];
}

/** Share of decided labels per annotator that picked answer A (shown left). */
export function annotatorPositions(
  rows: readonly { annotator_id: string; preferred: string; a_is_chosen: number | string | null }[],
): AnnotatorPosition[] {
  const tally = new Map<string, { decided: number; left: number }>();
  for (const r of rows) {
    if (r.preferred === 'tie' || r.a_is_chosen === null) continue;
    const t = tally.get(r.annotator_id) ?? { decided: 0, left: 0 };
    t.decided++;
    if ((r.preferred === 'chosen') === (Number(r.a_is_chosen) === 1)) t.left++;
    tally.set(r.annotator_id, t);
  }
  return [...tally]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([annotator, t]) => ({ annotator, decided: t.decided, left_share: t.left / t.decided }));
}

/** Estimate of a statistic over units, with its seeded interval. */
function over<T>(
  units: readonly T[],
  stat: (s: readonly T[]) => number,
  options: BootstrapOptions,
): Estimate | null {
  if (units.length === 0) return null;
  const ci = bootstrapInterval(units, stat, options);
  return { value: stat(units), ci_low: ci.low, ci_high: ci.high, items: units.length };
}

/** Reads the review labels and measurements and computes the report. */
export async function storeAgreement(
  store: Store,
  options: BootstrapOptions = {},
): Promise<StoreAgreementReport> {
  const rows = await store.query<{
    pair_id: string;
    annotator_id: string;
    preferred: string;
    a_is_chosen: number | string | null;
  }>(calibrationSql('review_ratings'));
  const ratings: Rating[] = rows.map((r) => ({
    unit: r.pair_id,
    annotator: r.annotator_id,
    value: r.preferred,
  }));
  const units = byUnit(ratings);
  const annotators = [...new Set(ratings.map((r) => r.annotator))].sort();
  const cohen: AnnotatorPairKappa[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const a = annotators[i] as string;
      const b = annotators[j] as string;
      const est = cohenEstimate(units, a, b, options);
      if (est.items > 0) cohen.push({ a, b, ...est });
    }
  }
  const pairable = [...units.values()].map((u) => [...u.values()]).filter((l) => l.length >= 2);
  const sources = await measureSourceAgreement(store, {
    seed: options.seed ?? 1,
    floor: DEFAULTS.sourceAgreementFloor,
  });
  const bands = (
    await store.query<{ band: string; pairs: number; resolved: number }>(calibrationSql('band_counts'))
  ).map((b) => ({ band: b.band, pairs: Number(b.pairs), resolved: Number(b.resolved) }));
  return {
    pairs: units.size,
    annotators,
    ratings: ratings.length,
    cohen,
    fleiss_kappa: over(pairable, (s) => fleissKappa(categoryCounts(s)), options),
    krippendorff_alpha: over(pairable, (s) => krippendorffAlpha(s).alpha, options),
    sources,
    bands,
    position: annotatorPositions(rows),
  };
}
