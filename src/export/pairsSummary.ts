// `prefloop pairs`: what the pair views hold now — counts per source, margins, contradictions, rubric agreement.
import type { Store } from '../sink/Store.js';
import { contradictionReason, parseEvidence } from './contradictionReasons.js';
import type { ContradictionSample } from './contradictionReasons.js';
import type { AgreementStatus } from './rubricAgreement.js';
import { exportSql } from './sqlFiles.js';

/** Upper edges of the margin histogram's bins (summary_sources.sql spells the same list). */
export const MARGIN_BIN_EDGES = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, Infinity] as const;

/** A rubric version's (or the combined score's) latest measured agreement with human pairs. */
export interface RubricAgreementRow {
  rubricId: string;
  rubricVersion: string;
  /** True for the combined score Path A pairs on now (the one that gates export). */
  currentCombination: boolean;
  /** When it was measured (ms since the epoch). */
  measuredMs?: number;
  humanPairs: number;
  scored: number;
  separated: number;
  agreed: number;
  agreement: number | null;
  lower: number;
  upper: number;
  floor: number;
  status: AgreementStatus;
}

export interface SourceSummary {
  /** Pairs whose primary source this is. */
  pairs: number;
  /** Pairs this source found at all (also counted when another source is primary). */
  foundBy: number;
  /** Margin at the 0, 10, 50, 90 and 100th percentile. */
  marginQuantiles: number[];
  /** Histogram of margins, [lower, upper, count]: fixed bins whose counts add up to `pairs`. */
  marginHistogram: Array<[number, number, number]>;
}

export interface PairsSummary {
  total: number;
  bySource: Record<string, SourceSummary>;
  marginQuantiles: number[];
  marginHistogram: Array<[number, number, number]>;
  /** Contradictions: pairs two findings preferred both ways (each leaves a finding out). */
  contradictions: number;
  /** Of those, where the highest source disagreed with itself (both left out); the rest kept the higher source. */
  unresolved?: number;
  /** Up to 20 contradictions, with what each side rested on. */
  contradictionSamples?: ContradictionSample[];
  /** Rubric pairs the agreement gate keeps out of export (combined score unknown or below the floor). */
  ungatedRubricPairs?: number;
  /** Rubric matches within the noise floor, for a person to review. */
  rubricReview?: number;
  /** Human feedback naming a span, trace or session not stored (yet). */
  unmatchedFeedback?: number;
  /** Each rubric version's agreement with people, as last measured. */
  rubricAgreement?: RubricAgreementRow[];
  kto: { desirable: number; undesirable: number };
}

interface SourceRow {
  source: string;
  pairs: string;
  margin_quantiles: number[];
  margin_bins: [number[], Array<string | number>];
  margin_min: number;
  margin_max: number;
  contradictions: string;
  unresolved: string;
  ungated: string;
  contradiction_samples: Array<[string, string, string[], string, string]>;
  found_by: Record<string, string>;
}

interface AgreementRow {
  rubric_id: string;
  rubric_version: string;
  current_combination: boolean | number;
  measured_ms: number | string;
  human_pairs: number | string;
  scored: number | string;
  separated: number | string;
  agreed: number | string;
  agreement: number | null;
  lower: number;
  upper: number;
  floor: number;
  status: AgreementStatus;
}

/** The latest stored agreement of each rubric and judge version the current rubric file uses. */
export async function readRubricAgreement(store: Store): Promise<RubricAgreementRow[]> {
  const rows = await store.query<AgreementRow>(exportSql('agreement_current'));
  return rows.map((a) => ({
    rubricId: a.rubric_id,
    rubricVersion: a.rubric_version,
    currentCombination: Boolean(Number(a.current_combination)),
    measuredMs: Number(a.measured_ms),
    humanPairs: Number(a.human_pairs),
    scored: Number(a.scored),
    separated: Number(a.separated),
    agreed: Number(a.agreed),
    agreement: a.agreement === null ? null : Number(a.agreement),
    lower: Number(a.lower),
    upper: Number(a.upper),
    floor: Number(a.floor),
    status: a.status,
  }));
}

/** Exact bins (1-based index → count) as [lower, upper, count], clamped to the margins seen. Pure. */
export function marginHistogram(
  bins: [number[], Array<string | number>],
  min: number,
  max: number,
): Array<[number, number, number]> {
  const counts = new Map(bins[0].map((b, i) => [Number(b), Number(bins[1][i])]));
  const out: Array<[number, number, number]> = [];
  for (let i = 1; i <= MARGIN_BIN_EDGES.length; i++) {
    const count = counts.get(i) ?? 0;
    if (count === 0) continue;
    const lo = i === 1 ? min : Math.max(MARGIN_BIN_EDGES[i - 2]!, min);
    const hi = Math.min(MARGIN_BIN_EDGES[i - 1]!, max);
    out.push([lo, hi, count]);
  }
  return out;
}

/** Reads the summary from the views: one pass over the pairs, one over the thumbs (nothing held here). */
export async function pairsSummary(store: Store): Promise<PairsSummary> {
  const rows = await store.query<SourceRow>(exportSql('summary_sources'));
  const [extra] = await store.query<{
    kto_desirable: string;
    kto_undesirable: string;
    unmatched_feedback: string;
    rubric_review: string;
  }>(exportSql('summary_extra'));
  const agreement = await readRubricAgreement(store);
  const summary: PairsSummary = {
    total: 0,
    bySource: {},
    marginQuantiles: [],
    marginHistogram: [],
    contradictions: 0,
    unresolved: 0,
    contradictionSamples: [],
    ungatedRubricPairs: 0,
    rubricReview: Number(extra?.rubric_review ?? 0),
    unmatchedFeedback: Number(extra?.unmatched_feedback ?? 0),
    rubricAgreement: agreement,
    kto: { desirable: Number(extra?.kto_desirable ?? 0), undesirable: Number(extra?.kto_undesirable ?? 0) },
  };
  // The grouping-sets total row has the empty source; it alone carries found-by counts.
  const total = rows.find((r) => r.source === '');
  const foundBy = new Map(Object.entries(total?.found_by ?? {}).map(([s, n]) => [s, Number(n)]));
  if (total) {
    summary.total = Number(total.pairs);
    summary.contradictions = Number(total.contradictions);
    summary.unresolved = Number(total.unresolved);
    summary.ungatedRubricPairs = Number(total.ungated);
    summary.contradictionSamples = total.contradiction_samples.map(
      ([resolution, kept, leftOut, cls, ev]) => ({
        resolution: resolution === 'unresolved' ? 'unresolved' : 'overridden',
        keptSource: kept,
        leftOut,
        promptClass: cls,
        evidence: parseEvidence(ev),
      }),
    );
    summary.marginQuantiles = total.pairs === '0' ? [] : total.margin_quantiles;
    summary.marginHistogram = marginHistogram(total.margin_bins, total.margin_min, total.margin_max);
  }
  for (const r of rows) {
    // A source whose every finding is a contradiction is primary for no pair.
    if (r.source === '' || r.pairs === '0') continue;
    summary.bySource[r.source] = {
      pairs: Number(r.pairs),
      foundBy: foundBy.get(r.source) ?? 0,
      marginQuantiles: r.margin_quantiles,
      marginHistogram: marginHistogram(r.margin_bins, r.margin_min, r.margin_max),
    };
  }
  for (const [source, n] of foundBy)
    summary.bySource[source] ??= { pairs: 0, foundBy: n, marginQuantiles: [], marginHistogram: [] };
  return summary;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

/** The summary as text for a terminal. Pure. */
export function formatPairsSummary(s: PairsSummary): string {
  const lines: string[] = [];
  lines.push(`preference pairs: ${s.total}   contradictions left out: ${s.contradictions}`);
  if (s.contradictions > 0) {
    const unresolved = s.unresolved ?? 0;
    lines.push(
      `  ${s.contradictions - unresolved} kept the higher source's pair (humans > sessions > judge > rubrics > clusters), ${unresolved} unresolved (the highest source both ways: both left out)`,
    );
  }
  lines.push(`kto examples: ${s.kto.desirable} desirable, ${s.kto.undesirable} undesirable`);
  if (s.unmatchedFeedback)
    lines.push(
      `feedback matching no stored span: ${s.unmatchedFeedback} (kept; applied when its span arrives; see feedback_unmatched)`,
    );
  if (s.ungatedRubricPairs)
    lines.push(
      `rubric and judge pairs held out of export by the agreement gate: ${s.ungatedRubricPairs} (export --include-ungated to include them)`,
    );
  if (s.rubricReview)
    lines.push(`rubric matches within the noise floor, for review: ${s.rubricReview} (rubric_review_pairs)`);
  lines.push(...agreementLines(s.rubricAgreement ?? []));
  if (s.contradictionSamples?.length) {
    lines.push('');
    lines.push(
      `why contradictions were left out${s.contradictionSamples.length < s.contradictions ? ` (first ${s.contradictionSamples.length})` : ''}:`,
    );
    for (const c of s.contradictionSamples) lines.push(`  ${contradictionReason(c)}`);
  }
  if (s.total === 0 && Object.keys(s.bySource).length === 0) {
    lines.push('no pairs yet: send traces with feedback, rubric scores, judge verdicts or cluster fixes');
    return lines.join('\n');
  }
  lines.push('');
  lines.push('source    pairs  found-by  margin p0 / p10 / p50 / p90 / p100');
  for (const [source, r] of Object.entries(s.bySource).sort(([a], [b]) => a.localeCompare(b))) {
    const q = r.marginQuantiles.length ? r.marginQuantiles.map(num).join(' / ') : '-';
    lines.push(`${source.padEnd(8)} ${String(r.pairs).padStart(6)} ${String(r.foundBy).padStart(9)}  ${q}`);
  }
  if (s.marginHistogram.length > 0) {
    lines.push('');
    lines.push('margin histogram (all pairs):');
    const peak = Math.max(...s.marginHistogram.map((b) => b[2]));
    for (const [lo, hi, count] of s.marginHistogram) {
      const bar = '#'.repeat(peak > 0 ? Math.round((count / peak) * 30) : 0);
      lines.push(
        `  ${num(lo).padStart(8)} .. ${num(hi).padEnd(8)} ${String(Math.round(count)).padStart(7)} ${bar}`,
      );
    }
  }
  return lines.join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The rubric agreement table: each rubric version and the combined score that gates rubric pairs. */
function agreementLines(rows: readonly RubricAgreementRow[]): string[] {
  if (rows.length === 0) return [];
  const humanPairs = Math.max(...rows.map((r) => r.humanPairs));
  const lines = [
    '',
    `rubric agreement with people (${humanPairs} human pairs; an interval's lower bound above the floor lets rubric pairs into export):`,
    '  rubric                      agreement  95% interval    separated/scored  floor  status',
  ];
  for (const r of rows) {
    const label = r.currentCombination ? `combined (${r.rubricVersion})` : `${r.rubricId}@${r.rubricVersion}`;
    const agreement = r.agreement === null ? 'n/a' : pct(r.agreement);
    const interval = r.agreement === null ? '-' : `${pct(r.lower)}–${pct(r.upper)}`;
    lines.push(
      `  ${label.padEnd(27).slice(0, 27)} ${agreement.padStart(9)}  ${interval.padEnd(14)} ${`${r.separated}/${r.scored}`.padStart(16)}  ${pct(r.floor).padStart(5)}  ${r.status}${r.currentCombination ? ' (gates rubric pairs)' : ''}`,
    );
  }
  return lines;
}
