// The judge-calibration arithmetic without a judge or a store: majority, verdicts from both orders and
// from pointwise scores, swap consistency, position bias, the human baseline, the drift measure and
// alarm, and the rubric-file rewrite of --retune.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calibrationStatus,
  humanBaselineKappa,
  humanMajority,
  pairwiseVerdict,
  pointwiseVerdict,
  summarizeJudge,
  type JudgedItem,
  type Verdict,
} from '../../../../src/labels/calibration/judgeMetrics.js';
import { driftAlarm, measureDrift } from '../../../../src/labels/calibration/driftCheck.js';
import { nextVersionPath, retuneText } from '../../../../src/labels/calibration/retuneRubricText.js';
import { bestRule, inHoldout, retuneDecision } from '../../../../src/labels/calibration/retune.js';
import { parseRubricFile } from '../../../../src/score/RubricFile.js';
import { cohenKappa } from '../../../../src/labels/stats/cohen.js';

test('human majority: a strict plurality of chosen or rejected, else a tie', () => {
  assert.equal(humanMajority(['chosen', 'chosen', 'rejected']), 'chosen');
  assert.equal(humanMajority(['rejected', 'tie', 'rejected']), 'rejected');
  assert.equal(humanMajority(['chosen', 'rejected']), 'tie');
  assert.equal(humanMajority(['tie', 'tie', 'chosen']), 'tie');
  assert.equal(humanMajority([]), 'tie');
});

test('pairwise verdict from both orders; pointwise verdict from threshold and noise floor', () => {
  assert.equal(pairwiseVerdict(['A', 'A']), 'chosen');
  assert.equal(pairwiseVerdict(['B', null]), 'rejected');
  assert.equal(pairwiseVerdict(['A', 'B']), 'tie', 'a flip with the order is a tie');
  assert.equal(pairwiseVerdict(['tie', 'A']), 'chosen');
  assert.equal(pairwiseVerdict([null, null]), 'tie');
  const rule = { threshold: 0.5, noiseFloor: 0.1, higherIsBetter: true };
  assert.equal(pointwiseVerdict({ chosen: 0.6, rejected: 0.4 }, rule), 'chosen', 'one passes, one fails');
  assert.equal(pointwiseVerdict({ chosen: 0.9, rejected: 0.85 }, rule), 'tie', 'both pass, within the floor');
  assert.equal(
    pointwiseVerdict({ chosen: 0.7, rejected: 0.95 }, rule),
    'rejected',
    'both pass, beyond the floor',
  );
  assert.equal(
    pointwiseVerdict({ chosen: 0.2, rejected: 0.4 }, { ...rule, higherIsBetter: false }),
    'chosen',
  );
});

test('summary: swap consistency, position bias and ties counted as defined', () => {
  const h = (v: Verdict) =>
    new Map([
      ['ann', v],
      ['bob', v],
    ]);
  const items: JudgedItem[] = [
    { pairId: '1', humans: h('chosen'), orders: ['A', 'A'] }, // consistent; first wins once (order 1)
    { pairId: '2', humans: h('rejected'), orders: ['A', 'B'] }, // first shown wins both times: a flip → tie
    { pairId: '3', humans: h('rejected'), orders: ['B', 'B'] }, // consistent; first wins in order 2
    { pairId: '4', humans: h('chosen'), orders: ['A', null] }, // one order unreadable
  ];
  const s = summarizeJudge(items, undefined, { resamples: 50 });
  assert.equal(s.items, 4);
  assert.equal(s.swap_consistency, 2 / 3);
  // Decided single-order answers: 7; first-shown wins: item1 1, item2 2, item3 1, item4 1 = 5.
  assert.equal(s.position_bias, 5 / 7 - 0.5);
  assert.equal(s.ties, 1 / 4);
  assert.equal(s.agreement, 3 / 4);
  assert.equal(
    s.kappa,
    cohenKappa(['chosen', 'tie', 'rejected', 'chosen'], ['chosen', 'rejected', 'rejected', 'chosen'], {
      categories: ['chosen', 'rejected', 'tie'],
    }),
  );
  assert.equal(s.human_baseline_kappa, 1);
  assert.equal(calibrationStatus(0.6, 30, 0.5, 20), 'calibrated');
  assert.equal(calibrationStatus(0.4, 30, 0.5, 20), 'under_floor');
  assert.equal(calibrationStatus(0.9, 10, 0.5, 20), 'uncalibrated');
  assert.ok(Number.isNaN(humanBaselineKappa([{ humans: new Map([['a', 'chosen']]) }])));
});

test('drift: judge agreement per label, baseline = mean share of agreeing annotator pairs; alarm past the margin', () => {
  const m = measureDrift([
    { pairId: '1', verdict: 'chosen', labels: ['chosen', 'chosen'] },
    { pairId: '2', verdict: 'chosen', labels: ['rejected', 'rejected'] },
    { pairId: '3', verdict: 'chosen', labels: ['chosen', 'rejected', 'chosen'] },
    // One label so far: no baseline on it, so the judge is not measured on it either (same items).
    { pairId: '4', verdict: 'chosen', labels: ['chosen'] },
  ]);
  assert.equal(m.items, 3);
  assert.equal(m.judgeAgreement, 4 / 7);
  assert.equal(m.baselineAgreement, (1 + 1 + 1 / 3) / 3);
  assert.equal(driftAlarm(m, { margin: 0.1, minItems: 3 }), true);
  assert.equal(driftAlarm(m, { margin: 0.5, minItems: 3 }), false);
  assert.equal(driftAlarm(m, { margin: 0.1, minItems: 4 }), undefined, 'too few items: undecided');
});

test('retune text: threshold and noise floor set in place, comments kept, a pinned version suffixed', () => {
  const text = [
    '# top comment',
    'rubrics:',
    '  - id: other',
    '    evaluator: length',
    '    threshold: 0.5',
    '  - id: "judge"   # the judge',
    '    evaluator: llm_judge',
    '    version: 3',
    '    threshold: 0.7 # strict',
    '    judge:',
    '      base_url: http://127.0.0.1:9/v1',
    '      model: m',
    '      criteria: c',
    '',
  ].join('\n');
  const out = retuneText(text, 'judge', { threshold: 0.35, noiseFloor: 0.15, versionSuffix: '-retuned' });
  assert.match(out, /^# top comment/);
  assert.match(out, /threshold: 0\.35 # strict/);
  assert.match(out, /noise_floor: 0\.15 # set by prefloop calibrate --retune/);
  assert.match(out, /version: "3-retuned"/);
  const set = parseRubricFile(out);
  assert.equal(set.rubrics.find((r) => r.id === 'other')!.threshold, 0.5, 'other rubrics untouched');
  const j = set.rubrics.find((r) => r.id === 'judge')!;
  assert.deepEqual([j.threshold, j.noiseFloor, j.version], [0.35, 0.15, '3-retuned']);
  assert.throws(
    () => retuneText(text, 'missing', { threshold: 0.1, noiseFloor: 0, versionSuffix: '' }),
    /no `- id: missing`/,
  );
  const taken = new Set(['/x/rubrics.v2.yaml']);
  assert.equal(
    nextVersionPath('/x/rubrics.yaml', (p) => taken.has(p)),
    '/x/rubrics.v3.yaml',
  );
  assert.equal(
    nextVersionPath('/x/rubrics.v3.yaml', () => false),
    '/x/rubrics.v4.yaml',
  );
});

test('the hold-out is pinned by pair id: the same ids, whatever the order or the rest of the set', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `pair-${i}`);
  const held = ids.filter((id) => inHoldout(id, 0.3));
  assert.deepEqual(
    [...ids]
      .reverse()
      .filter((id) => inHoldout(id, 0.3))
      .reverse(),
    held,
  );
  assert.ok(held.length > 250 && held.length < 350, `${held.length} of 1000 at share 0.3`);
});

test('retune writes only a different rule that does at least as well on the hold-out', () => {
  const rule = (threshold: number, kappa: number) => ({ threshold, noise_floor: 0.1, agreement: 0.5, kappa });
  const base = {
    train_items: 20,
    holdout_items: 10,
    current: { train: rule(0.5, 0.2), holdout: rule(0.5, 0.4) },
    proposed: { train: rule(0.7, 0.6), holdout: rule(0.7, 0.4) },
  };
  assert.equal(retuneDecision(base).write, true, 'equal on the hold-out is at least as good');
  const worse = retuneDecision({ ...base, proposed: { ...base.proposed, holdout: rule(0.7, 0.39) } });
  assert.equal(worse.write, false);
  assert.match(worse.reason, /does worse on the hold-out \(kappa 0\.390 < 0\.400\); nothing written/);
  const undefinedProposal = { ...base, proposed: { ...base.proposed, holdout: rule(0.7, Number.NaN) } };
  assert.equal(retuneDecision(undefinedProposal).write, false);
  const same = { ...base, proposed: { train: rule(0.5, 0.2), holdout: rule(0.5, 0.4) } };
  assert.match(retuneDecision(same).reason, /already agree best/);
  assert.match(retuneDecision({ ...base, holdout_items: 0 }).reason, /too few labelled pairs to split/);
});

test('retune proposes the grid rule with the best training kappa', () => {
  // People prefer the higher-scoring answer; the current noise floor (0.5) hides every gap, so all are ties.
  const items = Array.from({ length: 12 }, (_, i) => {
    const good = 0.62 + (i % 3) * 0.1;
    const bad = 0.2 + (i % 4) * 0.08;
    const chosenIsGood = i % 2 === 0;
    return {
      pairId: String(i),
      humans: new Map<string, Verdict>([['ann', chosenIsGood ? 'chosen' : 'rejected']]),
      scores: chosenIsGood ? { chosen: good, rejected: bad } : { chosen: bad, rejected: good },
    };
  });
  const best = bestRule(items, { threshold: 0.9, noiseFloor: 0.5, higherIsBetter: true });
  assert.equal(best.kappa, 1);
  // Many rules reach kappa 1 (any floor under the smallest gap, 0.18); the one nearest the current rule wins.
  assert.deepEqual([best.threshold, best.noise_floor], [0.9, 0.15]);
});
