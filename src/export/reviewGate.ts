// The human-review gate on exported pairs (docs/review.md): which pairs people's labels keep out, and why.
// By default the discard band, unresolved review-band pairs, pairs people voided, and pairs nobody reviewed
// whose source's measured agreement with people is under the floor are left out and counted per reason.
import type { ReviewBands } from '../labels/reviewBands.js';
import { writeReviewBands } from '../labels/reviewBands.js';
import { datasetAgreement, measureSourceAgreement, storeSourceAgreement } from '../labels/sourceAgreement.js';
import type { DatasetAgreement, SourceAgreement } from '../labels/sourceAgreement.js';
import { DEFAULTS } from '../names.js';
import type { Store } from '../sink/Store.js';

export const REVIEW_GATE_REASONS = [
  'discard',
  'review_unresolved',
  'human_void',
  'source_below_floor',
] as const;
export type ReviewGateReason = (typeof REVIEW_GATE_REASONS)[number];

/** The review fields export_pairs.sql adds to a pair row. */
export interface ReviewedRow {
  source: string;
  /** The pair's review band, '' when it has none (fewer than two human ratings). */
  review_band: string;
  human_direction: string;
  resolved: number | boolean;
}

export interface ReviewGateOptions {
  /** Keep unresolved review-band pairs and unreviewed pairs of sources under the floor. */
  includeUnreviewed?: boolean;
  /** The band the export asked for by name (--agreement-band): that band is not gated out. */
  band?: string;
}

export interface ReviewGateManifest {
  include_unreviewed: boolean;
  /** Kappa under which a source's unreviewed pairs are left out. */
  floor: number;
  left_out: Record<ReviewGateReason, number>;
  /** Reviewed pairs exported, and how many of them people flipped (their majority preferred the rejected answer). */
  reviewed: { exported: number; flipped: number };
  /** Unreviewed pairs of sources under the floor exported anyway (include_unreviewed). */
  included_unreviewed: number;
  sources: SourceAgreement[];
  annotators: DatasetAgreement | null;
  measured_at: string;
  not_refreshed?: string;
}

/** Counts decisions as rows stream; `keep` says whether a row goes out. */
export class ReviewGate {
  readonly left_out: Record<ReviewGateReason, number> = {
    discard: 0,
    review_unresolved: 0,
    human_void: 0,
    source_below_floor: 0,
  };
  private exported = 0;
  private flipped = 0;
  private includedUnreviewed = 0;
  private readonly below: Set<string>;

  constructor(
    readonly sources: readonly SourceAgreement[],
    private readonly options: ReviewGateOptions,
  ) {
    this.below = new Set(sources.filter((s) => s.status === 'below_floor').map((s) => s.source));
  }

  /** Whether the row passes; a reviewed pair is decided by people (the rubric gate does not apply to it). */
  decide(row: ReviewedRow): { keep: boolean; reviewed: boolean } {
    const { band } = this.options;
    if (row.review_band !== '') {
      const reason: ReviewGateReason | undefined =
        row.human_direction === 'void'
          ? 'human_void'
          : row.review_band === 'discard' && band !== 'discard'
            ? 'discard'
            : row.review_band === 'review' &&
                !(row.resolved === true || Number(row.resolved) === 1) &&
                !this.options.includeUnreviewed &&
                band !== 'review'
              ? 'review_unresolved'
              : undefined;
      if (reason) {
        this.left_out[reason]++;
        return { keep: false, reviewed: true };
      }
      this.exported++;
      if (row.human_direction === 'rejected') this.flipped++;
      return { keep: true, reviewed: true };
    }
    if (this.below.has(row.source)) {
      if (!this.options.includeUnreviewed) {
        this.left_out.source_below_floor++;
        return { keep: false, reviewed: false };
      }
      this.includedUnreviewed++;
    }
    return { keep: true, reviewed: false };
  }

  manifest(
    extra: Pick<ReviewGateManifest, 'annotators' | 'measured_at' | 'not_refreshed'>,
  ): ReviewGateManifest {
    return {
      include_unreviewed: this.options.includeUnreviewed === true,
      floor: DEFAULTS.sourceAgreementFloor,
      left_out: { ...this.left_out },
      reviewed: { exported: this.exported, flipped: this.flipped },
      included_unreviewed: this.includedUnreviewed,
      sources: [...this.sources],
      annotators: extra.annotators,
      measured_at: extra.measured_at,
      ...(extra.not_refreshed !== undefined ? { not_refreshed: extra.not_refreshed } : {}),
    };
  }
}

/**
 * Measures what the gate needs, now: review labels change by the minute and measuring reads only the small
 * review tables, so the export gates on a fresh measurement, and stores it with the configured band
 * thresholds. A store without review labels is not written to; one that refuses the write (read-only
 * credentials, a folder serve holds) still gates on the fresh measurement, and the manifest says the
 * thresholds and measurement were not stored.
 */
export async function measureReviewGate(
  store: Store,
  bands: ReviewBands | undefined,
  now: Date = new Date(),
): Promise<{
  sources: SourceAgreement[];
  annotators: DatasetAgreement | null;
  measured_at: string;
  not_refreshed?: string;
}> {
  const measured_at = now.toISOString();
  const sources = await measureSourceAgreement(store);
  if (sources.length === 0) return { sources, annotators: null, measured_at };
  let not_refreshed: string | undefined;
  try {
    if (bands) await writeReviewBands(store, bands, now);
    await storeSourceAgreement(store, sources, now);
  } catch (err) {
    not_refreshed = `the store refused the review measurement (${(err as Error).message}); bands use the thresholds stored before`;
  }
  return {
    sources,
    annotators: await datasetAgreement(store),
    measured_at,
    ...(not_refreshed !== undefined ? { not_refreshed } : {}),
  };
}
