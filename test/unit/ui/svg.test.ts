// The inline SVG charts: well-formed, titled for screen readers, no inline style, labels escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateReasons, rubricDeltas } from '../../../src/ui/rubricsSection.js';
import { barChart, histogram, lineChart, sparkline } from '../../../src/ui/svg.js';

test('a bar chart draws one bar per value, scaled to the largest, with an accessible title', () => {
  const svg = barChart(
    [
      { label: 'a', value: 1 },
      { label: 'b', value: 4 },
    ],
    'Counts <x>',
  ).text;
  assert.equal(svg.match(/<rect\s+class="bar"/g)?.length, 2);
  assert.match(svg, /role="img"\s+aria-label="Counts &lt;x&gt;"/);
  assert.match(svg, /<title>b: 4<\/title>/);
  const heights = [...svg.matchAll(/height="([\d.]+)"\s*><title>/g)].map((m) => Number(m[1]));
  assert.equal(heights[1]! / heights[0]!, 4);
  assert.doesNotMatch(svg, /style=/);
});

test('a line chart has a polyline and a legend entry per series; label text is escaped', () => {
  const svg = lineChart(
    ['d1', 'd2', 'd3'],
    [
      { name: 'feedback', values: [1, 2, 3] },
      { name: '<b>rubric</b>', values: [0, 5] },
    ],
    'Pairs',
  ).text;
  assert.equal(svg.match(/<polyline/g)?.length, 2);
  assert.match(svg, /&lt;b&gt;rubric&lt;\/b&gt;/);
  assert.doesNotMatch(svg, /<b>/);
  // A missing value is drawn at zero.
  assert.match(svg, /rubric&lt;\/b&gt; d3: 0/);
});

test('empty charts say so instead of drawing nothing', () => {
  assert.match(barChart([], 'Margins').text, /no data yet/);
  assert.match(lineChart([], [], 'Pairs').text, /aria-label="Pairs: no data"/);
  assert.match(sparkline([], 'Trend').text, /no data/);
});

test('a sparkline of one run is a dot; of several a line ending in a dot', () => {
  assert.match(sparkline([3], 'one').text, /<circle/);
  const svg = sparkline([1, 4, 2], 'three').text;
  assert.equal(svg.match(/,/g)?.length, 3);
});

test('histogram bins become bars labelled by their lower edge', () => {
  assert.deepEqual(histogram([{ lower: 0.123, count: 3 }]), [{ label: '0.12', value: 3 }]);
});

test('gate reports give their per-rubric deltas (with intervals and direction), and anything else gives none', () => {
  const report = JSON.stringify({
    reasons: ['toxicity regressed'],
    rubrics: [
      { id: 'toxicity', delta: 0.1, ci: [0.02, 0.2], improvement: -0.1 },
      { id: 'length', delta: 0.2 },
      { id: 'x' },
    ],
  });
  assert.deepEqual(rubricDeltas(report), [
    { rubric: 'toxicity', delta: 0.1, ci: [0.02, 0.2], worse: true },
    { rubric: 'length', delta: 0.2, worse: false },
  ]);
  assert.deepEqual(gateReasons(report), ['toxicity regressed']);
  assert.deepEqual(rubricDeltas(JSON.stringify({ rubrics: { length: { delta: -0.2 } } })), [
    { rubric: 'length', delta: -0.2, worse: true },
  ]);
  assert.deepEqual(rubricDeltas('not json'), []);
  assert.deepEqual(rubricDeltas('{}'), []);
  assert.deepEqual(gateReasons('nope'), []);
});
