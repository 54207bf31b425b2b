// The HTML report is one self-contained page with every text escaped, and the chart draws each rubric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RubricComparison } from '../../../src/gate/compare.js';
import type { GateReport } from '../../../src/gate/report.js';
import { renderMarkdown, renderTable } from '../../../src/gate/report.js';
import { deltaChart, renderHtml } from '../../../src/gate/reportHtml.js';

const row = (id: string, lo: number, hi: number, critical = false): RubricComparison => ({
  id,
  critical,
  higher_is_better: true,
  tolerance: 0.05,
  n: 10,
  baseline: 0.5,
  candidate: 0.5 + (lo + hi) / 2,
  delta: (lo + hi) / 2,
  ci: [lo, hi],
  improvement: (lo + hi) / 2,
  improvement_ci: [lo, hi],
  pass_rate: { baseline: 0.5, candidate: 0.6, lost: 1, gained: 2, p: 1 },
});

const report: GateReport = {
  run_id: 'r1',
  mode: 'offline',
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: '2026-01-01T00:01:00.000Z',
  verdict: 'rollback',
  exit_code: 2,
  reasons: ['critical rubric <img src=x onerror=alert(1)> regressed'],
  warnings: ['"quoted" & <b>bold</b>'],
  rubric_file: { path: 'rubrics.yaml', version: 'abc' },
  rubric_versions_used: [],
  holdout: {
    path: '/h/<x>.jsonl',
    hash: 'h',
    format: 'dpo',
    records: 1,
    prompts: 1,
    pairs: 1,
    manifest: null,
  },
  baseline: { url: 'http://b/v1', model: 'base</code><script>alert(1)</script>' },
  candidate: { url: 'http://c/v1', model: 'cand' },
  judge: null,
  rubric_judges: ['tone@1/<i>judge</i>'],
  seed: 1,
  rubrics: [row('<svg onload=x>', 0.1, 0.2), row('safety', -0.3, -0.1, true)],
  combined: row('(combined)', -0.05, 0.02),
  preference_accuracy: null,
};

test('the HTML page escapes every text and loads nothing', () => {
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<script|<img|<svg onload|<b>bold/);
  assert.match(html, /base&lt;\/code&gt;&lt;script&gt;/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /judges: tone@1\/&lt;i&gt;judge&lt;\/i&gt;/);
  assert.doesNotMatch(html, /\b(src|href)=["']?https?:/, 'no external resource');
  assert.match(html, /<style>/);
});

test('the chart draws a point and whiskers per rubric, red for a regression past its tolerance', () => {
  const svg = deltaChart([...report.rubrics, report.combined]);
  assert.equal((svg.match(/<circle/g) ?? []).length, 3);
  assert.match(svg, /stroke="#cf222e"/, 'safety is red');
  assert.match(svg, /stroke="#1a7f37"/, 'the first rubric is green');
  assert.match(svg, /safety \*/);
});

test('Markdown and the terminal table carry the verdict, the reasons and every rubric', () => {
  const md = renderMarkdown(report);
  assert.match(md, /^# Release gate: ROLLBACK/);
  assert.match(md, /\| safety \(critical\) \| 0\.500 \| 0\.300 \| -0\.200 \| \[-0\.300, -0\.100\]/);
  const table = renderTable(report);
  assert.match(table, /^verdict: rollback \(exit 2\)/);
  assert.match(table, /\(combined\)/);
  assert.match(table, /^rubric file: rubrics\.yaml \(version abc\); judges: tone@1\/<i>judge<\/i>$/m);
});
