// The Clusters part of the overview (name, size, trend over runs, exemplar, diagnosis, fix status) and the
// reviewer's list of Path B fixes a judge proposed that no person has approved yet.
import type { Store } from '../sink/Store.js';
import { clip, html, num, promptText, type SafeHtml } from './html.js';
import { sparkline } from './svg.js';
import { uiQuery } from './uiSql.js';

interface ClusterRow {
  id: string;
  name: string;
  size: number;
  sizes: number[];
  failingRubrics: string[];
  exemplarSpanId: string;
  diagnosis: string;
  fixStatus: string;
  exemplarPrompt: string;
  exemplarResponse: string;
}

export async function clustersSection(store: Store): Promise<SafeHtml> {
  const rows = await uiQuery<ClusterRow>(store, 'clusters');
  if (!rows.length)
    return html`<p class="empty">
      No failure clusters yet: run <code>prefloop cluster</code> once rubrics have failed some answers.
    </p>`;
  return html`<table id="clusters-table">
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col" class="n">Size</th>
        <th scope="col">Trend (runs)</th>
        <th scope="col">Exemplar</th>
        <th scope="col">Diagnosis</th>
        <th scope="col">Fix</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (c) =>
          html`<tr data-cluster="${c.id}">
            <td>
              <strong>${c.name}</strong>
              <div class="note">${c.failingRubrics.join(', ')}</div>
            </td>
            <td class="n">${num(c.size)}</td>
            <td>
              ${sparkline((c.sizes ?? []).map(Number), `${c.name}: size over ${c.sizes?.length ?? 0} runs`)}
            </td>
            <td>
              <div class="note text">${clip(promptText(c.exemplarPrompt), 200)}</div>
              <div class="text">${clip(c.exemplarResponse, 300)}</div>
            </td>
            <td class="text">${c.diagnosis || '–'}</td>
            <td><span class="status status-${c.fixStatus}">${c.fixStatus}</span></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

interface FixRow {
  id: string;
  name: string;
  size: number;
  diagnosis: string;
  exemplarSpanId: string;
  proposedFix: string;
  fixedBy: string;
  status: string;
  note: string;
  exemplarPrompt: string;
  exemplarResponse: string;
}

/**
 * Each cluster's current fix awaiting a person, with its exemplar: a text area to edit it and approve, save-edit
 * and reject buttons that reviewer.js sends to POST /v1/clusters/fixes/review. Only a fix the rubric file
 * passed can be approved as it stands; a failed one can be edited (and is re-scored) or rejected.
 */
export async function fixesSection(store: Store): Promise<SafeHtml> {
  const rows = await uiQuery<FixRow>(store, 'proposed_fixes');
  if (!rows.length)
    return html`<p class="empty" id="fixes-empty">
      No fixes awaiting approval: a judge proposes one per cluster when <code>prefloop cluster</code> runs
      with <code>--judge-url</code>, and <code>POST /v1/clusters/fixes</code> files one by hand.
    </p>`;
  return html`<ul class="fixes" id="fixes-list">
    ${rows.map(
      (f, i) =>
        html`<li class="fix" data-cluster="${f.id}" data-exemplar="${f.exemplarSpanId}">
          <h3>${f.name || f.id} <span class="note">(${num(f.size)} answers)</span></h3>
          <p>${f.diagnosis}</p>
          <div class="side">
            <div>
              <h4>Prompt</h4>
              <div class="text">${promptText(f.exemplarPrompt)}</div>
            </div>
            <div>
              <h4>Failing answer (exemplar)</h4>
              <div class="text">${f.exemplarResponse}</div>
            </div>
          </div>
          <p>
            Fix by ${f.fixedBy} · re-scored:
            <span class="status status-${f.status}">${f.status}</span
            >${f.note ? html` <span class="note">${f.note}</span>` : ''}
          </p>
          <label for="fix-${i}">Fixed answer (edit, then “Save edit”)</label>
          <textarea id="fix-${i}" class="fix-text" rows="5">${f.proposedFix}</textarea>
          <div class="actions">
            <button
              type="button"
              data-action="approve"
              ${f.status === 'passed' ? '' : html` disabled title="only a fix the rubric file passed can be approved; edit it instead"`}
            >
              Approve
            </button>
            <button type="button" data-action="edit">Save edit</button>
            <button type="button" data-action="reject" class="reject">Reject</button>
            <span class="fix-state" role="status"></span>
          </div>
        </li>`,
    )}
  </ul>`;
}
