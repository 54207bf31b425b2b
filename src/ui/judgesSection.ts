// Judges' calibration against people and their drift state (tables from migration 0241, written by
// `prefloop calibrate` and serve's drift schedule); an empty state while neither exists or holds a row.
import type { Store } from '../sink/Store.js';
import { html, num, type SafeHtml } from './html.js';
import { OPTIONAL_TABLES, presentTables, uiQuery } from './uiSql.js';

interface Calibration {
  judge_version: string;
  measured: string;
  items: number;
  agreement: number | null;
  kappa: number | null;
  ci_low: number | null;
  ci_high: number | null;
  swap_consistency: number | null;
  position_bias: number | null;
  human_baseline_kappa: number | null;
  status: string;
}

interface Drift {
  rubric_id: string;
  judge_version: string;
  measured: string;
  window_items: number;
  judge_agreement: number | null;
  baseline_agreement: number | null;
  margin: number;
  alarm: number;
}

export async function judgesSection(store: Store): Promise<SafeHtml> {
  const present = await presentTables(store, [OPTIONAL_TABLES.judgeCalibrations, OPTIONAL_TABLES.judgeDrift]);
  const [calibrations, drift] = await Promise.all([
    present.has(OPTIONAL_TABLES.judgeCalibrations)
      ? uiQuery<Calibration>(store, 'judge_calibrations')
      : Promise.resolve([]),
    present.has(OPTIONAL_TABLES.judgeDrift) ? uiQuery<Drift>(store, 'judge_drift') : Promise.resolve([]),
  ]);
  if (!calibrations.length && !drift.length)
    return html`<p class="empty" id="judges-empty">
      No judge calibrated yet: <code>prefloop calibrate --judge RUBRIC_ID</code> measures a judge against the
      human labels.
    </p>`;
  const f = (v: number | null, d = 2) => num(v, d);
  return html`${
    calibrations.length
      ? html`<table id="judge-calibrations">
          <caption>
            Calibration against people (latest per judge version)
          </caption>
          <thead>
            <tr>
              <th scope="col">Judge version</th>
              <th scope="col">Measured (UTC)</th>
              <th scope="col" class="n">Items</th>
              <th scope="col" class="n">Agreement</th>
              <th scope="col" class="n">Cohen's κ (95% interval)</th>
              <th scope="col" class="n">Human–human κ</th>
              <th scope="col" class="n">Swap consistency</th>
              <th scope="col" class="n">Position bias</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            ${calibrations.map(
              (c) =>
                html`<tr>
                  <td>${c.judge_version}</td>
                  <td>${c.measured}</td>
                  <td class="n">${num(c.items)}</td>
                  <td class="n">${f(c.agreement)}</td>
                  <td class="n">${f(c.kappa)} (${f(c.ci_low)}–${f(c.ci_high)})</td>
                  <td class="n">${f(c.human_baseline_kappa)}</td>
                  <td class="n">${f(c.swap_consistency)}</td>
                  <td class="n">${f(c.position_bias)}</td>
                  <td><span class="status status-${c.status}">${c.status}</span></td>
                </tr>`,
            )}
          </tbody>
        </table>`
      : ''
  }
  ${
    drift.length
      ? html`<table id="judge-drift">
          <caption>
            Drift while serving (latest check per rubric)
          </caption>
          <thead>
            <tr>
              <th scope="col">Rubric</th>
              <th scope="col">Judge version</th>
              <th scope="col">Checked (UTC)</th>
              <th scope="col" class="n">Items</th>
              <th scope="col" class="n">Judge agreement</th>
              <th scope="col" class="n">Human baseline</th>
              <th scope="col" class="n">Margin</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            ${drift.map(
              (d) =>
                html`<tr>
                  <td>${d.rubric_id}</td>
                  <td>${d.judge_version}</td>
                  <td>${d.measured}</td>
                  <td class="n">${num(d.window_items)}</td>
                  <td class="n">${f(d.judge_agreement)}</td>
                  <td class="n">${f(d.baseline_agreement)}</td>
                  <td class="n">${f(d.margin)}</td>
                  <td>
                    ${
                      Number(d.alarm) === 1
                        ? html`<span class="status status-alarm">drift alarm</span>`
                        : html`<span class="status status-ok">ok</span>`
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
      : ''
  }`;
}
