// Export filters → query parameters (never pasted into SQL), with every problem named. Pure.
import { PAIR_SOURCES } from '../names.js';
import type { PairSource } from '../names.js';
import type { QueryParams } from '../sink/Store.js';

/**
 * Annotator-agreement bands (docs/pairs.md, docs/review.md): below 0.5 discard, 0.5 to 0.7 review, 0.7 and
 * above train. A named band matches a reviewed pair's band (pair_review, thresholds from review.bands) or,
 * for a pair nobody reviewed, its thumbs majority share; a pair with neither is in no band.
 */
export const AGREEMENT_BANDS = {
  discard: { min: 0, max: 0.5 },
  review: { min: 0.5, max: 0.7 },
  train: { min: 0.7, max: 2 },
} as const;
export type AgreementBand = keyof typeof AGREEMENT_BANDS;

export interface ExportFilters {
  /** Keep pairs found by any of these sources (default: all). */
  sources?: readonly PairSource[];
  /** Keep pairs with margin >= this. */
  minMargin?: number;
  /** Keep pairs created at or after this time. */
  since?: Date;
  /** Keep pairs created before this time. */
  until?: Date;
  /** Keep one prompt class. */
  promptClass?: string;
  /** Keep pairs in this band (named: pairs in no band are left out; a {min, max} range lets them through). */
  agreementBand?: AgreementBand | { min: number; max: number };
}

/** Year 9999 in ms: the open upper end of a time range. */
const FOREVER_MS = 253_402_300_799_000;

/** Query parameters of export_pairs.sql / export_kto.sql; throws listing every bad option. */
export function filterParams(f: ExportFilters): QueryParams {
  const problems: string[] = [];
  for (const s of f.sources ?? [])
    if (!(PAIR_SOURCES as readonly string[]).includes(s))
      problems.push(`sources: unknown source ${JSON.stringify(s)} (known: ${PAIR_SOURCES.join(', ')})`);
  if (f.minMargin !== undefined && !Number.isFinite(f.minMargin))
    problems.push(`minMargin must be a number, got ${f.minMargin}`);
  for (const key of ['since', 'until'] as const) {
    const d = f[key];
    if (d !== undefined && Number.isNaN(d.getTime())) problems.push(`${key} is not a valid date`);
  }
  const band = typeof f.agreementBand === 'string' ? AGREEMENT_BANDS[f.agreementBand] : f.agreementBand;
  if (typeof f.agreementBand === 'string' && band === undefined)
    problems.push(`agreementBand must be one of ${Object.keys(AGREEMENT_BANDS).join(', ')} or {min, max}`);
  if (band && !(band.min <= band.max))
    problems.push(`agreementBand min (${band.min}) is above max (${band.max})`);
  if (problems.length > 0) throw new Error(`invalid export options:\n  ${problems.join('\n  ')}`);
  return {
    sources: (f.sources ?? []).join(','),
    min_margin: f.minMargin ?? '-inf',
    since_ms: f.since ? f.since.getTime() : 0,
    until_ms: f.until ? f.until.getTime() : FOREVER_MS,
    prompt_class: f.promptClass ?? '',
    // Neutral: every agreement passes (a 2–1 split's per-item Fleiss term can be far below −1); the review
    // gate, not this filter, decides and counts what people's bands leave out.
    agreement_min: band?.min ?? '-inf',
    agreement_max: band?.max ?? 'inf',
    band: typeof f.agreementBand === 'string' ? f.agreementBand : '',
  };
}

/** The filters as the manifest records them (dates as ISO text, unset ones left out). */
export function describeFilters(f: ExportFilters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.sources?.length) out.sources = [...f.sources];
  if (f.minMargin !== undefined) out.min_margin = f.minMargin;
  if (f.since) out.since = f.since.toISOString();
  if (f.until) out.until = f.until.toISOString();
  if (f.promptClass !== undefined) out.prompt_class = f.promptClass;
  if (f.agreementBand !== undefined) out.agreement_band = f.agreementBand;
  return out;
}
