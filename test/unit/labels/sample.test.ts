// Sampling for review: equal shares per source, low-margin pairs oversampled, K distinct annotators per pair
// with balanced load, a per-annotator A/B order, the same plan for the same seed; bad options all named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalShares, lowMarginSet, planSample, sampleProblems } from '../../../src/labels/sample.js';
import type { Candidate } from '../../../src/labels/sample.js';

const candidates = (
  source: string,
  n: number,
  margin = (i: number) => i + 1,
  floor = Number.NaN,
): Candidate[] =>
  Array.from({ length: n }, (_, i) => ({
    pair_id: `${source}-${String(i).padStart(4, '0')}`,
    source,
    margin: margin(i),
    noise_floor: floor,
  }));

const options = { n: 20, annotators: ['ann', 'bob', 'cy', 'dan'], perItem: 3, seed: 1 };

test('each drawn pair goes to K distinct annotators, and the load differs by at most one', () => {
  const plan = planSample(candidates('feedback', 50), { ...options, n: 10 });
  assert.equal(plan.items.length, 10);
  for (const item of plan.items) {
    const names = item.assignees.map((a) => a.annotator_id);
    assert.equal(new Set(names).size, 3);
  }
  const loads = Object.values(plan.load);
  assert.equal(
    loads.reduce((s, x) => s + x, 0),
    30,
  );
  assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, JSON.stringify(plan.load));
});

test('sources get equal shares; what a small source cannot fill goes to the others', () => {
  assert.deepEqual(equalShares([100, 5, 100], 30), [13, 5, 12]);
  assert.deepEqual(equalShares([3, 4], 100), [3, 4]);
  const plan = planSample([...candidates('feedback', 100), ...candidates('judge', 5)], options);
  const by = (s: string) => plan.items.filter((i) => i.source === s).length;
  assert.equal(by('judge'), 5);
  assert.equal(by('feedback'), 15);
});

test('low-margin pairs (within twice the noise floor, else the lowest quarter) are drawn more often', () => {
  const rubric = candidates('rubric', 100, (i) => (i < 20 ? 0.15 : 1), 0.1);
  const low = lowMarginSet(rubric);
  assert.equal(low.size, 20);
  assert.equal(lowMarginSet(candidates('feedback', 8)).size, 2, 'lowest quarter of margins');
  assert.equal(lowMarginSet(candidates('feedback', 8, () => 1)).size, 0, 'margins all alike: no band');
  let drawnLow = 0;
  let drawn = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const plan = planSample(rubric, { ...options, n: 20, seed });
    drawn += plan.items.length;
    drawnLow += plan.items.filter((i) => i.stratum === 'rubric/low_margin').length;
  }
  // 20% of the candidates; weight 2 puts them near a third of the draw.
  const share = drawnLow / drawn;
  assert.ok(share > 0.26 && share < 0.42, `low-margin share ${share}`);
});

test('the same candidates and seed draw the same pairs for the same people, in any input order; another seed another', () => {
  const c = candidates('feedback', 40);
  const a = planSample(c, options);
  const b = planSample([...c].reverse(), options);
  // Everything but the A/B order, which is drawn apart from the seed (it must not be recomputable).
  const who = (p: typeof a) =>
    p.items.map((i) => [i.pair_id, i.stratum, i.assignees.map((x) => x.annotator_id)]);
  assert.deepEqual(who(a), who(b));
  assert.notDeepEqual(who(planSample(c, { ...options, seed: 2 })), who(a));
  // Each annotator sees their own order: about half the assignments show the chosen answer first.
  const flags = a.items.flatMap((i) => i.assignees.map((x) => x.a_is_chosen));
  const first = flags.filter(Boolean).length;
  assert.ok(first > flags.length * 0.3 && first < flags.length * 0.7, `${first} of ${flags.length}`);
});

test('bad options are all named', () => {
  const problems = sampleProblems({ n: 0, annotators: ['ann', 'ann', 'bad name'], perItem: 4, seed: 1.5 });
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems.join('\n'), /--n must be/);
  assert.match(problems.join('\n'), /named twice: ann/);
  assert.match(problems.join('\n'), /"bad name"/);
  assert.match(problems.join('\n'), /--per-item 4 needs at least 4 annotators/);
  assert.throws(() => planSample([], { ...options, perItem: 5 }), /--per-item 5/);
});
