// Plain-text tables for `prefloop agreement` (store report and ratings-file report).
import type { Estimate, RatingsReport } from '../stats/ratings.js';
import type { StoreAgreementReport } from './storeAgreement.js';

/** A number to three decimals, or `-` when undefined. */
export function num(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(3);
}

/** `0.612 [0.480, 0.731]  n=40`. */
export function estimateText(e: Estimate | null | undefined): string {
  if (!e) return '-';
  return `${num(e.value)} [${num(e.ci_low)}, ${num(e.ci_high)}]  n=${e.items}`;
}

export function formatRatingsReport(r: RatingsReport): string {
  const lines = [
    `units ${r.units}, annotators ${r.annotators}, ratings ${r.ratings}  (95% bootstrap intervals over units)`,
    `${`krippendorff alpha (${r.level})`.padEnd(30)}${estimateText(r.krippendorff_alpha)}`,
    `${'fleiss kappa (nominal)'.padEnd(30)}${r.fleiss_kappa ? estimateText(r.fleiss_kappa) : r.level !== 'nominal' ? `- (a nominal statistic; the level is ${r.level})` : '- (units differ in number of ratings)'}`,
    `${'cohen kappa (nominal)'.padEnd(30)}${r.cohen_kappa ? estimateText(r.cohen_kappa) : r.level !== 'nominal' ? `- (a nominal statistic; the level is ${r.level})` : '- (needs exactly two annotators)'}`,
  ];
  return lines.join('\n') + '\n';
}

export function formatStoreAgreement(r: StoreAgreementReport): string {
  if (r.ratings === 0) {
    return 'no review labels yet: sample pairs with `prefloop review sample` and label them (docs/review.md)\n';
  }
  const width = Math.max(0, ...r.cohen.map((c) => `${c.a} × ${c.b}`.length));
  const out = [
    `labelled pairs ${r.pairs}, annotators ${r.annotators.length}, ratings ${r.ratings}  (95% bootstrap intervals over pairs)`,
    `fleiss kappa        ${estimateText(r.fleiss_kappa)}`,
    `krippendorff alpha  ${estimateText(r.krippendorff_alpha)}`,
    '',
    "cohen's kappa per annotator pair",
    ...(r.cohen.length === 0
      ? ['  - (no two annotators labelled the same pair)']
      : r.cohen.map((c) => `  ${`${c.a} × ${c.b}`.padEnd(width)}  ${estimateText(c)}`)),
    '',
    'sources against the human majority (kappa)',
    ...(r.sources.length === 0
      ? ['  - (not measured yet)']
      : r.sources.map(
          (s) =>
            `  ${s.source.padEnd(8)} ${num(s.kappa)} [${num(s.ci_low)}, ${num(s.ci_high)}]  n=${s.items}` +
            (s.status === 'below_floor'
              ? '  under the floor: unsampled pairs left out of export'
              : s.status === 'unknown'
                ? '  not measurable yet'
                : ''),
        )),
    '',
    'position: share of decided labels that picked the left answer (0.5 = no bias)',
    ...(r.position.length === 0
      ? ['  -']
      : r.position.map((p) => `  ${p.annotator.padEnd(width)}  ${num(p.left_share)}  n=${p.decided}`)),
    '',
    'pairs per band',
    ...(r.bands.length === 0
      ? ['  - (no pair has two labels yet)']
      : r.bands.map(
          (b) =>
            `  ${b.band.padEnd(8)} ${String(b.pairs).padStart(6)}${b.band === 'review' ? `  (${b.resolved} resolved)` : ''}`,
        )),
  ];
  return out.join('\n') + '\n';
}

/**
 * The JSON of `agreement --ratings`: each statistic as a plain number under its DESIGN.md key
 * (units, annotators, krippendorff_alpha, fleiss_kappa, cohen_kappa), its interval under `intervals`.
 */
export function ratingsJson(r: RatingsReport): Record<string, unknown> {
  const out: Record<string, unknown> = {
    units: r.units,
    annotators: r.annotators,
    ratings: r.ratings,
    level: r.level,
  };
  const intervals: Record<string, { ci_low: number; ci_high: number; items: number }> = {};
  for (const key of ['krippendorff_alpha', 'fleiss_kappa', 'cohen_kappa'] as const) {
    const e = r[key];
    if (!e) continue;
    out[key] = e.value;
    intervals[key] = { ci_low: e.ci_low, ci_high: e.ci_high, items: e.items };
  }
  out.intervals = intervals;
  return out;
}
