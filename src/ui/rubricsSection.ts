// The Rubrics part of the overview (agreement with people, score distribution, judges' calibration and drift)
// and the Gates part (release-gate runs). Tables made by later migrations show an empty state when absent.
import type { Store } from '../sink/Store.js';
import { html, num, type SafeHtml } from './html.js';
import { barChart, histogram } from './svg.js';
import { judgesSection } from './judgesSection.js';
import { OPTIONAL_TABLES, presentTables, uiQuery } from './uiSql.js';

interface AgreementRow {
  RubricId: string;
  RubricVersion: string;
  MeasuredAt: string;
  HumanPairs: number;
  Separated: number;
  Agreed: number;
  Agreement: number | null;
  Lower: number;
  Upper: number;
  Floor: number;
  Status: string;
}

export async function rubricsSection(store: Store): Promise<SafeHtml> {
  const [agreement, scores, judges] = await Promise.all([
    uiQuery<AgreementRow>(store, 'rubric_agreement'),
    uiQuery<{ rubric: string; results: string; bins: [number, number, number][] }>(
      store,
      'score_distribution',
    ),
    judgesSection(store),
  ]);
  return html`<h3>Agreement with people</h3>
    ${
      agreement.length
        ? html`<table id="rubric-agreement">
            <thead>
              <tr>
                <th scope="col">Rubric</th>
                <th scope="col">Version</th>
                <th scope="col" class="n">Human pairs</th>
                <th scope="col" class="n">Separated</th>
                <th scope="col" class="n">Agreement</th>
                <th scope="col" class="n">95% interval</th>
                <th scope="col" class="n">Floor</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              ${agreement.map(
                (a) =>
                  html`<tr>
                    <td>${a.RubricId}</td>
                    <td>${a.RubricVersion}</td>
                    <td class="n">${num(a.HumanPairs)}</td>
                    <td class="n">${num(a.Separated)}</td>
                    <td class="n">${num(a.Agreement, 2)}</td>
                    <td class="n">${num(a.Lower, 2)}–${num(a.Upper, 2)}</td>
                    <td class="n">${num(a.Floor, 2)}</td>
                    <td><span class="status status-${a.Status}">${a.Status}</span></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="empty">
            No agreement measured yet: it is measured once human thumbs and rubric scores meet on the same
            answers.
          </p>`
    }
    <h3>Score distribution</h3>
    ${
      scores.length
        ? html`<div class="charts" id="score-distribution">
            ${scores.map(
              (s) =>
                html`<figure>
                  <figcaption>${s.rubric} (${num(s.results)} results)</figcaption>
                  ${barChart(
                    histogram(s.bins.map(([lower, , count]) => ({ lower, count }))),
                    `${s.rubric} score distribution`,
                    320,
                    120,
                  )}
                </figure>`,
            )}
          </div>`
        : html`<p class="empty">No rubric results yet.</p>`
    }
    <h3>Judges' calibration and drift</h3>
    ${judges}`;
}

export async function gatesSection(store: Store): Promise<SafeHtml> {
  const present = await presentTables(store, [OPTIONAL_TABLES.gateRuns]);
  const rows = present.has(OPTIONAL_TABLES.gateRuns) ? await uiQuery<GateRow>(store, 'gate_runs') : [];
  if (!rows.length)
    return html`<p class="empty" id="gates-empty">
      No gate runs yet: <code>prefloop gate</code> records each release-gate run here.
    </p>`;
  return html`<table id="gate-runs">
    <thead>
      <tr>
        <th scope="col">Started (UTC)</th>
        <th scope="col">Mode</th>
        <th scope="col">Baseline → candidate</th>
        <th scope="col">Judge</th>
        <th scope="col">Verdict</th>
        <th scope="col">Per-rubric deltas</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (g) =>
          html`<tr data-run="${g.RunId}">
            <td>${g.StartedAt}</td>
            <td>${g.Mode}</td>
            <td>${g.BaselineModel} → ${g.CandidateModel}</td>
            <td>${g.JudgeVersion || '–'}</td>
            <td>
              <span class="status status-${g.Verdict}">${g.Verdict}</span>
              ${gateReasons(g.Report).map((r) => html`<div class="note">${r}</div>`)}
            </td>
            <td>
              ${rubricDeltas(g.Report).map(
                (d) =>
                  html`<div class="${d.worse ? 'worse' : 'better'}">
                    ${d.rubric}:
                    ${d.delta >= 0 ? '+' : ''}${num(d.delta, 3)}${
                      d.ci ? html` <span class="note">[${num(d.ci[0], 3)}, ${num(d.ci[1], 3)}]</span>` : ''
                    }
                  </div>`,
              )}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

interface GateRow {
  RunId: string;
  Mode: string;
  StartedAt: string;
  Verdict: string;
  BaselineModel: string;
  CandidateModel: string;
  JudgeVersion: string;
  Report: string;
}

/** One rubric's change in a gate run: candidate − baseline, its 95% interval when given, and whether it got worse. */
export interface RubricDelta {
  rubric: string;
  delta: number;
  ci?: [number, number];
  /** True when the change, signed so that positive is better, is below zero. */
  worse: boolean;
}

/**
 * The per-rubric deltas in a gate report (src/gate/report.ts: `rubrics: [{id, delta, ci, improvement}]`; an
 * object keyed by rubric is read too). Tolerant: a report without them shows none rather than failing the page.
 */
export function rubricDeltas(report: string): RubricDelta[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(report);
  } catch {
    return [];
  }
  const rubrics = (parsed as { rubrics?: unknown })?.rubrics;
  const entries: [string, unknown][] = Array.isArray(rubrics)
    ? rubrics.map((r: { rubric?: unknown; id?: unknown; rubric_id?: unknown }) => [
        String(r?.id ?? r?.rubric ?? r?.rubric_id ?? ''),
        r,
      ])
    : rubrics && typeof rubrics === 'object'
      ? Object.entries(rubrics)
      : [];
  return entries.flatMap(([rubric, value]) => {
    const r = value as { delta?: unknown; ci?: unknown; improvement?: unknown };
    const delta = Number(r?.delta);
    if (!rubric || !Number.isFinite(delta)) return [];
    const ci =
      Array.isArray(r.ci) && r.ci.length === 2 && r.ci.every((x) => Number.isFinite(Number(x)))
        ? ([Number(r.ci[0]), Number(r.ci[1])] as [number, number])
        : undefined;
    const improvement = Number.isFinite(Number(r.improvement)) ? Number(r.improvement) : delta;
    return [{ rubric, delta, ...(ci ? { ci } : {}), worse: improvement < 0 }];
  });
}

/** The first reasons of a gate report's verdict (why it ships, holds or rolls back). */
export function gateReasons(report: string): string[] {
  try {
    const reasons = (JSON.parse(report) as { reasons?: unknown }).reasons;
    return Array.isArray(reasons) ? reasons.slice(0, 3).map(String) : [];
  } catch {
    return [];
  }
}
