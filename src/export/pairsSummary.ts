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
}

/** Reads the summary from the views (a few aggregate queries; nothing is held in memory). */
export async function pairsSummary(store: Store): Promise<PairsSummary> {
  const rows = await store.query<SourceRow>(exportSql('summary_sources'));
  const found = await store.query<{ source: string; pairs: string }>(exportSql('summary_found_by'));
  const [extra] = await store.query<{
    contradictions: string;
    kto_desirable: string;
    kto_undesirable: string;
  }>(exportSql('summary_extra'));
  const foundBy = new Map(found.map((r) => [r.source, Number(r.pairs)]));
  const summary: PairsSummary = {
    total: 0,
    bySource: {},
    marginQuantiles: [],
    marginHistogram: [],
    contradictions: Number(extra?.contradictions ?? 0),
    kto: { desirable: Number(extra?.kto_desirable ?? 0), undesirable: Number(extra?.kto_undesirable ?? 0) },
  };
  for (const r of rows) {
    // The grouping-sets total row has the empty source.
    if (r.source === '') {
      summary.total = Number(r.pairs);
      summary.marginQuantiles = r.pairs === '0' ? [] : r.margin_quantiles;
      summary.marginHistogram = r.margin_histogram;
      continue;
    }
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
