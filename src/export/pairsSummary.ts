// `prefloop pairs`: what the pair views hold now — counts per source, margin spread, contradictions.
import type { Store } from '../sink/Store.js';
import { exportSql } from './sqlFiles.js';

export interface SourceSummary {
  /** Pairs whose primary source this is. */
  pairs: number;
  /** Pairs this source found at all (also counted when another source is primary). */
  foundBy: number;
  /** Margin at the 0, 10, 50, 90 and 100th percentile. */
  marginQuantiles: number[];
  /** Adaptive histogram of margins: [lower, upper, count]. */
  marginHistogram: Array<[number, number, number]>;
}

export interface PairsSummary {
  total: number;
  bySource: Record<string, SourceSummary>;
  marginQuantiles: number[];
  marginHistogram: Array<[number, number, number]>;
  contradictions: number;
  kto: { desirable: number; undesirable: number };
}

interface SourceRow {
  source: string;
  pairs: string;
  margin_quantiles: number[];
  margin_histogram: Array<[number, number, number]>;
  contradictions: string;
  found_by: Record<string, string>;
}

/** Reads the summary from the views: one pass over the pairs, one over the thumbs (nothing held here). */
export async function pairsSummary(store: Store): Promise<PairsSummary> {
  const rows = await store.query<SourceRow>(exportSql('summary_sources'));
  const [kto] = await store.query<{ kto_desirable: string; kto_undesirable: string }>(
    exportSql('summary_extra'),
  );
  const summary: PairsSummary = {
    total: 0,
    bySource: {},
    marginQuantiles: [],
    marginHistogram: [],
    contradictions: 0,
    kto: { desirable: Number(kto?.kto_desirable ?? 0), undesirable: Number(kto?.kto_undesirable ?? 0) },
  };
  // The grouping-sets total row has the empty source; it alone carries found-by counts.
  const total = rows.find((r) => r.source === '');
  const foundBy = new Map(Object.entries(total?.found_by ?? {}).map(([s, n]) => [s, Number(n)]));
  if (total) {
    summary.total = Number(total.pairs);
    summary.contradictions = Number(total.contradictions);
    summary.marginQuantiles = total.pairs === '0' ? [] : total.margin_quantiles;
    summary.marginHistogram = total.margin_histogram;
  }
  for (const r of rows) {
    // A source whose every finding is a contradiction is primary for no pair.
    if (r.source === '' || r.pairs === '0') continue;
    summary.bySource[r.source] = {
      pairs: Number(r.pairs),
      foundBy: foundBy.get(r.source) ?? 0,
      marginQuantiles: r.margin_quantiles,
      marginHistogram: r.margin_histogram,
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
  lines.push(`kto examples: ${s.kto.desirable} desirable, ${s.kto.undesirable} undesirable`);
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
