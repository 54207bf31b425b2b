// The gate report as one self-contained HTML page: inline CSS, an inline SVG chart of each rubric's
// improvement with its 95% interval, every text HTML-escaped. No script, no external resource.
import type { RubricComparison } from './compare.js';
import { judgesOf } from './GateReport.js';
import type { GateReport } from './GateReport.js';
import { describePreference, num, plain } from './verdict.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}
h1 .ship{color:#1a7f37}h1 .hold{color:#9a6700}h1 .rollback{color:#cf222e}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}.warn{background:#fff8c5;padding:.5rem}svg text{font:12px system-ui,sans-serif}
code{background:#f6f8fa;padding:0 .2rem}`;

/**
 * A horizontal forest plot: one row per rubric (and the combined score), the point at its improvement
 * (positive = better in the rubric's own direction), whiskers at its interval, a band at ±tolerance.
 */
export function deltaChart(rows: readonly RubricComparison[]): string {
  const finite = rows.filter(
    (r) => Number.isFinite(r.improvement_ci[0]) && Number.isFinite(r.improvement_ci[1]),
  );
  const extent = Math.max(
    0.05,
    ...finite.flatMap((r) => [Math.abs(r.improvement_ci[0]), Math.abs(r.improvement_ci[1]), r.tolerance]),
  );
  const label = 170;
  const plot = 460;
  const rowH = 26;
  const height = rows.length * rowH + 40;
  const x = (v: number) => label + ((v + extent) / (2 * extent)) * plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${label + plot + 20}" height="${height}" role="img" aria-label="improvement per rubric with 95% intervals">`,
    `<line x1="${x(0)}" y1="10" x2="${x(0)}" y2="${height - 25}" stroke="#888" stroke-dasharray="3,3"/>`,
    `<text x="${x(-extent)}" y="${height - 8}">${num(-extent, 2)}</text>`,
    `<text x="${x(0) - 4}" y="${height - 8}">0</text>`,
    `<text x="${x(extent) - 30}" y="${height - 8}">${num(extent, 2)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 20 + i * rowH;
    const name = `${r.id}${r.critical ? ' *' : ''}`;
    parts.push(`<text x="4" y="${y + 4}">${escapeHtml(name)}</text>`);
    if (r.tolerance > 0)
      parts.push(
        `<rect x="${x(-r.tolerance)}" y="${y - 8}" width="${x(r.tolerance) - x(-r.tolerance)}" height="16" fill="#eee"/>`,
      );
    if (!Number.isFinite(r.improvement)) return;
    const [lo, hi] = r.improvement_ci;
    const colour = hi < -r.tolerance ? '#cf222e' : lo > 0 ? '#1a7f37' : '#555';
    parts.push(
      `<line x1="${x(lo)}" y1="${y}" x2="${x(hi)}" y2="${y}" stroke="${colour}" stroke-width="2"/>`,
      `<line x1="${x(lo)}" y1="${y - 5}" x2="${x(lo)}" y2="${y + 5}" stroke="${colour}"/>`,
      `<line x1="${x(hi)}" y1="${y - 5}" x2="${x(hi)}" y2="${y + 5}" stroke="${colour}"/>`,
      `<circle cx="${x(r.improvement)}" cy="${y}" r="4" fill="${colour}"/>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function rubricTable(rows: readonly RubricComparison[]): string {
  const cell = (s: string) => `<td>${escapeHtml(s)}</td>`;
  return [
    '<table><tr><th>rubric</th><th>baseline</th><th>candidate</th><th>delta</th><th>95% CI</th><th>pass rate</th><th>McNemar p</th><th>n</th></tr>',
    ...rows.map(
      (r) =>
        '<tr>' +
        cell(`${r.id}${r.critical ? ' (critical)' : ''}`) +
        cell(plain(r.baseline)) +
        cell(plain(r.candidate)) +
        cell(num(r.delta)) +
        cell(`[${num(r.ci[0])}, ${num(r.ci[1])}]`) +
        cell(
          r.pass_rate
            ? `${(r.pass_rate.baseline * 100).toFixed(0)}% → ${(r.pass_rate.candidate * 100).toFixed(0)}%`
            : '',
        ) +
        cell(r.pass_rate?.p !== undefined ? r.pass_rate.p.toPrecision(3) : '') +
        cell(String(r.n)) +
        '</tr>',
    ),
    '</table>',
  ].join('\n');
}

export function renderHtml(r: GateReport): string {
  const e = escapeHtml;
  const rows = [...r.rubrics, r.combined];
  const source = r.holdout
    ? `Hold-out <code>${e(r.holdout.path)}</code> (${e(r.holdout.format)}, ${r.holdout.prompts} prompts, ${r.holdout.pairs} pairs)`
    : `Production traffic from ${e(r.window?.since ?? '')} to ${e(r.window?.until ?? '')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>prefloop gate: ${e(r.verdict)}</title>
<style>${CSS}</style></head><body>
<h1>Release gate: <span class="${e(r.verdict)}">${e(r.verdict.toUpperCase())}</span></h1>
<p>Candidate <code>${e(r.candidate.model)}</code> (${e(r.candidate.url)}) against baseline <code>${e(r.baseline.model)}</code> (${e(r.baseline.url)}). Run ${e(r.run_id)}, ${e(r.started_at)}.<br>
Rubric file <code>${e(r.rubric_file.path)}</code>, version ${e(r.rubric_file.version)}; judges: ${e(judgesOf(r).join(', ') || 'none')}. ${source}.</p>
<h2>Reasons</h2><ul>${r.reasons.map((x) => `<li>${e(x)}</li>`).join('')}</ul>
${r.warnings.map((w) => `<p class="warn">${e(w)}</p>`).join('\n')}
<h2>Improvement per rubric (positive = better; 95% intervals; grey band = tolerance; * critical)</h2>
${deltaChart(rows)}
${rubricTable(rows)}
<h2>Preference accuracy</h2>
<p>${r.preference_accuracy ? e(`${describePreference(r.preference_accuracy)}; floor ${r.preference_accuracy.floor}`) : 'Not measured.'}</p>
${(r.classes ?? []).map((c) => `<h2>Prompt class ${e(c.prompt_class)}</h2>${deltaChart([...c.rubrics, c.combined])}${rubricTable([...c.rubrics, c.combined])}`).join('\n')}
</body></html>
`;
}
