// The Rubrics part of the overview (agreement with people, score distribution, judges' calibration and drift)
// and the Gates part (release-gate runs). Tables made by later migrations show an empty state when absent.
import type { Store } from '../sink/Store.js';
import { html, num, type SafeHtml } from './html.js';
import { barChart, histogram } from './svg.js';
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
  const present = await presentTables(store, [OPTIONAL_TABLES.judgeCalibrations]);
  const [agreement, scores, calibrations] = await Promise.all([
    uiQuery<AgreementRow>(store, 'rubric_agreement'),
    uiQuery<{ rubric: string; results: string; bins: [number, number, number][] }>(
      store,
      'score_distribution',
    ),
    present.has(OPTIONAL_TABLES.judgeCalibrations)
      ? uiQuery<Record<string, unknown>>(store, 'judge_calibrations')
      : Promise.resolve(undefined),
  ]);
  return html`<h3>Agreement with people</h3>
    ${
      agreement.length
        ? html`<table id="rubric-agreement">
            <thead>
              <tr>
                <th scope="col">Rubric</th>
                <th scope="col">Version</th>
                <th scope="col">Human pairs</th>
                <th scope="col">Separated</th>
                <th scope="col">Agreement</th>
                <th scope="col">95% interval</th>
                <th scope="col">Floor</th>
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
    ${
      calibrations === undefined
        ? html`<p class="empty">
            No judge calibrations yet: <code>prefloop calibrate --judge RUBRIC_ID</code> measures a judge
            against the human labels.
          </p>`
        : genericTable('judge-calibrations', calibrations, 'No judge calibrated yet.')
    }`;
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
            <td><span class="status status-${g.Verdict}">${g.Verdict}</span></td>
            <td>
              ${rubricDeltas(g.Report).map(
                (d) => html`<div>${d.rubric}: ${d.delta >= 0 ? '+' : ''}${num(d.delta, 3)}</div>`,
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

/**
 * The per-rubric deltas in a gate report: entries of its `rubrics` (an array or an object by rubric) that
 * carry a numeric `delta`. Tolerant: a report without them shows none rather than failing the page.
 */
export function rubricDeltas(report: string): { rubric: string; delta: number }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(report);
  } catch {
    return [];
  }
  const rubrics = (parsed as { rubrics?: unknown })?.rubrics;
  const entries: [string, unknown][] = Array.isArray(rubrics)
    ? rubrics.map((r: { rubric?: unknown; id?: unknown; rubric_id?: unknown }) => [
        String(r?.rubric ?? r?.rubric_id ?? r?.id ?? ''),
        r,
      ])
    : rubrics && typeof rubrics === 'object'
      ? Object.entries(rubrics)
      : [];
  return entries.flatMap(([rubric, r]) => {
    const delta = Number((r as { delta?: unknown })?.delta);
    return rubric && Number.isFinite(delta) ? [{ rubric, delta }] : [];
  });
}

/** A table of whatever columns the rows have (tables other helpers own, whose columns may still grow). */
function genericTable(id: string, rows: readonly Record<string, unknown>[], empty: string): SafeHtml {
  if (!rows.length) return html`<p class="empty" id="${id}-empty">${empty}</p>`;
  const keys = Object.keys(rows[0]!);
  return html`<table id="${id}">
    <thead>
      <tr>
        ${keys.map((k) => html`<th scope="col">${k}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${keys.map((k) => {
              const v = r[k];
              const text =
                typeof v === 'number' && !Number.isInteger(v)
                  ? v.toFixed(3)
                  : typeof v === 'object' && v !== null
                    ? JSON.stringify(v)
                    : String(v ?? '');
              return html`<td${/^status|verdict|passed$/i.test(k) ? html` class="status status-${text}"` : ''}>${text}</td>`;
            })}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
