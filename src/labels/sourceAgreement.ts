// How far each pair source agrees with people (Cohen's kappa of the source's label against the human
// majority on the sampled pairs, seeded bootstrap interval), and the dataset-level agreement of the
// annotators. `prefloop export` measures both before it gates (docs/review.md says why there).
import { DEFAULTS, TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import { bootstrapInterval } from './stats/bootstrap.js';
import { cohenKappa } from './stats/cohen.js';
import { ratingsReport } from './stats/ratings.js';
import type { Estimate } from './stats/ratings.js';
import { reviewSql } from './reviewSql.js';

export interface SourceAgreement {
  source: string;
  items: number;
  /** null when it cannot be computed (no item). */
  kappa: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** 'agrees' when kappa >= floor, 'below_floor' when under it, 'unknown' when not computable. */
  status: 'agrees' | 'below_floor' | 'unknown';
}

const CATEGORIES = ['first', 'second', 'tie'] as const;

/**
 * A source always says its chosen answer wins, so against a fixed "chosen" the kappa would be 0 by
 * construction. Each pair is therefore read in a fixed arbitrary orientation (from its id): the source's
 * label is "first" or "second", and so is the human majority ("tie" when people voided the pair).
 */
export function oriented(pairId: string, direction: string): (typeof CATEGORIES)[number] {
  if (direction === 'void' || direction === 'tie') return 'tie';
  let h = 0x811c9dc5;
  for (let i = 0; i < pairId.length; i++) h = Math.imul(h ^ pairId.charCodeAt(i), 0x01000193) >>> 0;
  const chosenFirst = (h & 1) === 1;
  return (direction === 'chosen') === chosenFirst ? 'first' : 'second';
}

/** Kappa per source from labelled pairs {pair_id, source, human_direction}. Pure. */
export function sourceAgreements(
  items: readonly { pair_id: string; source: string; human_direction: string }[],
  options: { seed?: number; floor?: number } = {},
): SourceAgreement[] {
  const floor = options.floor ?? DEFAULTS.sourceAgreementFloor;
  const bySource = new Map<string, { source: string; human: string }[]>();
  for (const it of items) {
    const list = bySource.get(it.source) ?? [];
    list.push({ source: oriented(it.pair_id, 'chosen'), human: oriented(it.pair_id, it.human_direction) });
    bySource.set(it.source, list);
  }
  const kappaOf = (s: readonly { source: string; human: string }[]): number =>
    cohenKappa(
      s.map((x) => x.source),
      s.map((x) => x.human),
      { categories: CATEGORIES },
    );
  return [...bySource]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, list]) => {
      const kappa = kappaOf(list);
      const ci = bootstrapInterval(list, kappaOf, { seed: options.seed ?? 1 });
      const num = (x: number): number | null => (Number.isFinite(x) ? x : null);
      return {
        source,
        items: list.length,
        kappa: num(kappa),
        ci_low: num(ci.low),
        ci_high: num(ci.high),
        status: !Number.isFinite(kappa) ? 'unknown' : kappa >= floor ? 'agrees' : 'below_floor',
      };
    });
}

/** Measures every source on the store's labelled pairs (reads only). */
export async function measureSourceAgreement(
  store: Store,
  options: { seed?: number; floor?: number } = {},
): Promise<SourceAgreement[]> {
  const items = await store.query<{ pair_id: string; source: string; human_direction: string }>(
    reviewSql('source_agreement_items'),
  );
  return sourceAgreements(items, options);
}

/** Stores a measurement (source_agreement; the latest row per source is current). */
export async function storeSourceAgreement(
  store: Store,
  measured: readonly SourceAgreement[],
  now: Date = new Date(),
): Promise<void> {
  if (measured.length === 0) return;
  const at = String(now.getTime());
  await store.insert(
    TABLES.sourceAgreement,
    measured.map((m) => ({
      measured_at: at,
      source: m.source,
      items: m.items,
      kappa: m.kappa,
      ci_low: m.ci_low,
      ci_high: m.ci_high,
    })),
  );
}

/** Measures every source and stores the measurement. */
export async function refreshSourceAgreement(
  store: Store,
  options: { now?: Date; seed?: number; floor?: number } = {},
): Promise<SourceAgreement[]> {
  const measured = await measureSourceAgreement(store, options);
  await storeSourceAgreement(store, measured, options.now);
  return measured;
}

export interface DatasetAgreement {
  pairs: number;
  ratings: number;
  annotators: number;
  /** Fleiss' kappa over the labelled pairs (two or more ratings), with interval; null without such pairs. */
  fleiss_kappa: Estimate | null;
  /** Krippendorff's alpha (nominal), with interval; null without pairable ratings. */
  krippendorff_alpha: Estimate | null;
}

/** The annotators' agreement over every current rating (chosen / rejected / tie). */
export async function datasetAgreement(store: Store, seed = 1): Promise<DatasetAgreement> {
  const rows = await store.query<{ pair_id: string; annotator_id: string; preferred: string }>(
    reviewSql('dataset_ratings'),
  );
  const ratings = rows.map((r) => ({ unit: r.pair_id, annotator: r.annotator_id, value: r.preferred }));
  const report = ratingsReport(ratings, { seed, fleiss: 'any' });
  const finite = (e: Estimate | undefined): Estimate | null => (e && Number.isFinite(e.value) ? e : null);
  return {
    pairs: report.units,
    ratings: report.ratings,
    annotators: report.annotators,
    fleiss_kappa: finite(report.fleiss_kappa),
    krippendorff_alpha: finite(report.krippendorff_alpha),
  };
}

/**
 * Re-measures source agreement while serve runs (the overview and `prefloop agreement` read the stored
 * measurement); export measures afresh anyway. Returns the stop function.
 */
export function scheduleSourceAgreement(
  store: Store,
  onError: (err: unknown) => void,
  intervalMs: number = DEFAULTS.agreementRefreshMs,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshSourceAgreement(store)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
