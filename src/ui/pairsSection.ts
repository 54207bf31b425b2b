// The Pairs part of the overview: counts per source and band over time, the margin distribution, the
// contradictions with their reasons, and one page of the searchable pairs table. Aggregates and LIMITs only.
import { contradictionReason, parseEvidence } from '../export/contradictionReasons.js';
import type { Store } from '../sink/Store.js';
import { clip, html, num, promptText, type SafeHtml } from './html.js';
import { barChart, histogram, lineChart } from './svg.js';
import type { Snapshot } from './pairSnapshot.js';
import { uiQuery } from './uiSql.js';

/** Rows a page of the pairs table shows. */
export const PAGE_SIZE = 25;
/** The longest search text accepted (a search is a substring match, not a query language). */
export const MAX_SEARCH = 200;

/** When the pairs shown were copied from the views, and whether a newer copy is being taken. */
export function snapshotNote(snapshot: Snapshot): SafeHtml {
  const since = !snapshot.changed
    ? ''
    : snapshot.refreshing
      ? ': the store has changed since and a newer copy is being taken (reload in a while)'
      : ': the store has changed since; a newer copy is taken on a later visit';
  return html`<p class="note snapshot" data-snapshot="${snapshot.at}">
    Pairs as of ${snapshot.at} UTC (copied from the pair views in ${num(snapshot.seconds, 1)} s)${since}.
  </p>`;
}

export async function pairsCharts(store: Store, snapshot: Snapshot): Promise<SafeHtml> {
  const at = { at: snapshot.atMs };
  const [overTime, margins, contradictions] = await Promise.all([
    uiQuery<{ day: string; source: string; band: string; pairs: string }>(store, 'pairs_over_time', at),
    uiQuery<{ pairs: string; bins: [number, number, number][] }>(store, 'margin_histogram', at),
    uiQuery<{
      resolution: 'overridden' | 'unresolved';
      keptSource: string;
      leftOut: string[];
      promptClass: string;
      evidence: string;
      total: string;
    }>(store, 'contradictions', at),
  ]);
  const days = [...new Set(overTime.map((r) => r.day))].sort().slice(-30);
  // MM-DD under the axis when every day is in one year (the year is in the points' titles otherwise).
  const oneYear = new Set(days.map((d) => d.slice(0, 4))).size <= 1;
  const dayLabels = oneYear ? days.map((d) => d.slice(5)) : days;
  const seriesOf = (key: (r: (typeof overTime)[number]) => string) => {
    const names = [...new Set(overTime.map(key))].sort();
    return names.map((name) => ({
      name,
      values: days.map((d) =>
        overTime.filter((r) => r.day === d && key(r) === name).reduce((t, r) => t + Number(r.pairs), 0),
      ),
    }));
  };
  const totals = new Map<string, number>();
  for (const r of overTime) totals.set(r.source, (totals.get(r.source) ?? 0) + Number(r.pairs));
  const m = margins[0];
  const total = Number(contradictions[0]?.total ?? 0);
  return html`<div class="cards" id="pair-counts">
      ${[...totals].map(
        ([source, n]) => html`<div class="card"><span class="big">${num(n)}</span> ${source} pairs</div>`,
      )}${totals.size ? '' : html`<p class="empty">No pairs yet: pairs appear once spans carry feedback, sessions or rubric scores.</p>`}
    </div>
    <div class="charts">
      <figure>
        <figcaption>Pairs per day by source</figcaption>
        ${lineChart(
          dayLabels,
          seriesOf((r) => r.source),
          'Pairs per day by source',
        )}
      </figure>
      <figure>
        <figcaption>Pairs per day by review band</figcaption>
        ${lineChart(
          dayLabels,
          seriesOf((r) => r.band),
          'Pairs per day by review band',
        )}
      </figure>
      <figure id="margin-histogram">
        <figcaption>Margin distribution (${num(m?.pairs)} pairs)</figcaption>
        ${barChart(
          histogram((m?.bins ?? []).map(([lower, , count]) => ({ lower, count }))),
          'Margin distribution',
        )}
      </figure>
    </div>
    <h3>Contradictions (${num(total)})</h3>
    ${
      contradictions.length
        ? html`<table id="contradictions">
              <thead>
                <tr>
                  <th scope="col">Resolution</th>
                  <th scope="col">Kept</th>
                  <th scope="col">Left out</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                ${contradictions.map(
                  (c) =>
                    html`<tr>
                      <td>${c.resolution}</td>
                      <td>${c.keptSource || '–'}</td>
                      <td>${c.leftOut.join(', ')}</td>
                      <td>${reasonOf(c)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${total > contradictions.length ? html`<p class="note">The first ${contradictions.length} of ${num(total)}; <code>prefloop pairs</code> lists them all.</p>` : ''}`
        : html`<p class="empty">No contradictions: no two sources prefer the same two answers both ways.</p>`
    }`;
}

function reasonOf(c: {
  resolution: 'overridden' | 'unresolved';
  keptSource: string;
  leftOut: string[];
  promptClass: string;
  evidence: string;
}): string {
  try {
    return contradictionReason({ ...c, evidence: parseEvidence(c.evidence) });
  } catch (err) {
    return (err as Error).message;
  }
}

export interface PairsQuery {
  readonly q: string;
  readonly source: string;
  readonly offset: number;
}

/** The table's query from a request's search parameters; bad values are corrected, never passed on. */
export function pairsQuery(params: URLSearchParams): PairsQuery {
  const offset = Number(params.get('offset') ?? 0);
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH),
    source: (params.get('source') ?? '').slice(0, 40),
    offset: Number.isSafeInteger(offset) && offset > 0 ? Math.min(offset, 1_000_000) : 0,
  };
}

interface PairRow {
  pair_id: string;
  source: string;
  margin: number;
  agreement: number | null;
  band: string;
  prompt: string;
  chosen: string;
  rejected: string;
  created: string;
}

/** The search form, one page of pairs and the pager (one row more than a page is read to know if there is a next). */
export async function pairsTable(store: Store, snapshot: Snapshot, query: PairsQuery): Promise<SafeHtml> {
  const [rows, sources] = await Promise.all([
    uiQuery<PairRow>(store, 'pairs_page', {
      at: snapshot.atMs,
      q: query.q,
      source: query.source,
      limit: PAGE_SIZE + 1,
      offset: query.offset,
    }),
    uiQuery<{ source: string; pairs: string }>(store, 'sources', { at: snapshot.atMs }),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  const more = rows.length > PAGE_SIZE;
  return html`<form id="pairs-search" class="search" role="search">
      <label for="pairs-q">Search prompt and answers</label>
      <input id="pairs-q" name="q" type="search" maxlength="${MAX_SEARCH}" value="${query.q}" />
      <label for="pairs-source">Source</label>
      <select id="pairs-source" name="source">
        <option value="">all</option>
        ${sources.map(
          (s) =>
            html`<option value="${s.source}" ${s.source === query.source ? html` selected` : ''}>
              ${s.source} (${num(s.pairs)})
            </option>`,
        )}
      </select>
      <button type="submit">Search</button>
    </form>
    ${
      page.length
        ? html`<table id="pairs-table" class="pairs">
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                <th scope="col">Chosen</th>
                <th scope="col">Rejected</th>
                <th scope="col">Source</th>
                <th scope="col" class="n">Margin</th>
                <th scope="col" class="n">Agreement</th>
              </tr>
            </thead>
            <tbody>
              ${page.map(
                (p) =>
                  html`<tr data-pair="${p.pair_id}">
                    <td class="text">${clip(promptText(p.prompt), 300)}</td>
                    <td class="text">${clip(p.chosen, 300)}</td>
                    <td class="text">${clip(p.rejected, 300)}</td>
                    <td>${p.source}</td>
                    <td class="n">${num(p.margin, 2)}</td>
                    <td class="n">
                      ${p.agreement === null ? '–' : num(p.agreement, 2)}${p.band && p.band !== 'unlabelled' ? html` <span class="band band-${p.band}">${p.band}</span>` : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="empty">
            ${query.q || query.source ? 'No pair matches this search.' : 'No pairs yet.'}
          </p>`
    }
    <nav class="pager" aria-label="Pairs pages">
      ${
        query.offset > 0
          ? html`<button type="button" data-offset="${Math.max(0, query.offset - PAGE_SIZE)}">
              ← Newer
            </button>`
          : ''
      } <span>rows ${page.length ? query.offset + 1 : 0}–${query.offset + page.length}</span> ${
        more ? html`<button type="button" data-offset="${query.offset + PAGE_SIZE}">Older →</button>` : ''
      }
    </nav>`;
}
